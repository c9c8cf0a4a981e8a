/**
 * `vitrine import mail.mbox` (and `.eml`): the mailbox is streamed from disk (never read
 * whole), planned like any activity, applied as one undoable step, with a progress line
 * on stderr and a summary on stdout.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { initNotebook } from '../model/index.ts';
import { applyActivityImport } from '../io/activity-import.ts';
import { planMailImport, sniffMail, type MailFormat } from '../io/mail-import.ts';
import type { ImportProgress } from '../io/formats.ts';
import { loadNotebook, readError, saveNotebook } from './files.ts';

/** Where the CLI writes (the same shape as `Io` in `main.ts`, plus an optional progress line). */
export interface MailIo {
  out(text: string): void;
  err(text: string): void;
  progress?(text: string): void;
}

/** The first `n` bytes of a file (for detection), with the CLI's sentences on failure. */
export async function readHead(path: string, n = 65536): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buf = new Uint8Array(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    throw readError(path, e);
  } finally {
    await handle?.close();
  }
}

/** Is this file a mailbox or a message, by its content (then its name)? */
export function detectMail(head: Uint8Array, path: string): MailFormat | undefined {
  return sniffMail(head, basename(path));
}

const count = (n: number) => n.toLocaleString('en');
const mb = (n: number) => `${count(Math.round(n / 1048576))} MB`;

/** Import a mailbox into a notebook file, streamed. */
export async function importMail(
  file: string,
  nbPath: string,
  format: MailFormat,
  me: readonly string[],
  io: MailIo,
  extra: { add?: 'frequent' } = {},
): Promise<void> {
  const name = basename(file);
  const total = (await stat(file)).size;
  const nb = await loadNotebook(nbPath, { create: true });
  // One progress line at most every tenth of the file (or every 256 MB when unknown).
  let next = 0;
  const step = total ? Math.max(total / 10, 1 << 20) : 256 << 20;
  const say = io.progress?.bind(io) ?? ((t: string) => io.err(`${t}\n`));
  const onProgress = (p: ImportProgress) => {
    if (p.phase !== 'read' || p.done < next) return;
    next = p.done + step;
    say(`Reading ${name}: ${mb(p.done)} of ${mb(total || p.total)}`);
  };
  const plan = await planMailImport(nb, createReadStream(file), name, format, {
    me,
    total,
    onProgress,
  });
  // An empty progress line clears it on a terminal before the summary.
  io.progress?.('');
  const a = plan.activity;
  const add = extra.add === 'frequent' ? a.candidates.map((c) => c.key) : [];
  const { activity: r } = applyActivityImport(nb, plan, { add });
  if (!nb.ownerId) initNotebook(nb);
  await saveNotebook(nb, nbPath);
  const m = plan.mail!;
  const unmatched = a.candidates.length + a.unmatchedOthers.people;
  const known = a.known + r.touchesKnown;
  const lines = [
    `Imported ${name} (${format}) into ${nbPath}:`,
    `  ${count(m.messages)} messages read, ${count(m.counted)} counted`,
    `  ${count(r.touches)} touches added${known ? ` (${count(known)} already there)` : ''}`,
    `  ${count(a.matched.length)} people matched, ${count(unmatched)} unmatched${r.people ? `, ${count(r.people)} added as people` : ''}`,
    `  ${count(r.tiesInferred)} ties inferred${r.tiesUpdated ? `, ${count(r.tiesUpdated)} updated` : ''}`,
  ];
  for (const s of m.skipped) {
    lines.push(`  skipped ${count(s.count)}: ${s.text} (first: ${s.first})`);
  }
  if (!r.people) {
    for (const c of a.candidates.slice(0, 10)) {
      lines.push(
        `  unmatched, in ${count(c.count)} threads: ${c.name}${c.email && c.email !== c.name ? ` <${c.email}>` : ''}`,
      );
    }
    if (a.candidates.length > 10)
      lines.push(`  … and ${count(a.candidates.length - 10)} more seen 3+ times`);
  }
  if (a.suggestedMe) {
    lines.push(
      `  tip: ${a.suggestedMe} is in the most messages; if that is you, import again with --me ${a.suggestedMe}`,
    );
  }
  lines.push(...a.warnings.slice(0, 20).map((w) => `  note ${w.ref}: ${w.reason}`));
  if (a.warnings.length > 20) lines.push(`  … and ${a.warnings.length - 20} more notes`);
  io.out(lines.join('\n') + '\n');
}
