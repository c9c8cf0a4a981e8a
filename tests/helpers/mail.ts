/** Building mailboxes for the mail tests and benches. */

/** One message's text (headers, an empty line, a body), lines ending in `\n`. */
export function message(headers: Record<string, string | string[]>, body = 'Hello.\n'): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
  }
  return `${lines.join('\n')}\n\n${body}`;
}

/** An mbox of messages, each after a `From ` separator line (and an empty line before it). */
export function mbox(...messages: string[]): string {
  return messages
    .map(
      (m) =>
        `From sender@example.org Tue Mar  3 10:00:00 2026\n${m}${m.endsWith('\n') ? '' : '\n'}`,
    )
    .join('\n');
}

export const bytes = (text: string) => new TextEncoder().encode(text);
