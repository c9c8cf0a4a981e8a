/**
 * Links and e-mail addresses, checked the same way on every write path (form, command,
 * import, peer). A link must be a web address (`http:` or `https:`): `javascript:`,
 * `data:`, `vbscript:`, `file:` and every other scheme are refused, because the app renders
 * links as real `<a href>`s. A bare address (`example.com/ana`) is stored as
 * `https://example.com/ana`.
 */
import { birthdayProblem } from '../time/dates.ts';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
// Whitespace and control characters: browsers strip tabs and newlines inside URLs, which
// turns "java\tscript:" into "javascript:", so none are allowed anywhere in a link.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\s\u0000-\u001f\u007f-\u009f]/;

/**
 * A link as the notebook stores it, or `undefined` when it is not a web address. Keeps the
 * text as typed (trimmed) when it has a scheme; adds `https://` to a bare address.
 */
export function normaliseLink(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const raw = text.trim();
  if (!raw || raw.length > 2048 || UNSAFE_CHARS.test(raw) || raw.startsWith('/')) return undefined;
  const scheme = SCHEME.exec(raw);
  // "example.com:8080/x" is a bare host and port, not a scheme called "example.com".
  const hasScheme = !!scheme && !/^:\d/.test(raw.slice(scheme[1]!.length));
  if (hasScheme && !/^https?$/i.test(scheme![1]!)) return undefined;
  const candidate = hasScheme ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname;
  // A bare word ("ana") is not an address; a host needs a dot, or is localhost or [IPv6].
  if (!host || !(host.includes('.') || host === 'localhost' || host.startsWith('['))) {
    return undefined;
  }
  if (hasScheme && !/^https?:\/\/[^/]/i.test(raw)) return undefined;
  return candidate;
}

/** Is `value` a link the notebook may store and render (http or https)? */
export function isWebLink(value: unknown): value is string {
  return typeof value === 'string' && normaliseLink(value) === value;
}

/** Why `text` is not a link, as a sentence, or `undefined` when it is one. */
export function linkProblem(text: string): string | undefined {
  if (normaliseLink(text) !== undefined) return undefined;
  return `${JSON.stringify(String(text).trim().slice(0, 60))} is not a web link: links must start with http:// or https:// (or be an address like example.com/ana).`;
}

// An addr-spec a person would recognise: the HTML `<input type=email>` rule (dot-atom
// local part, dotted domain of letter/digit/hyphen labels), letters of any script allowed,
// and the domain must have a dot.
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * An e-mail address as the notebook stores it (trimmed, a `mailto:` prefix dropped), or
 * `undefined` when it is not a sane address like `ana@example.com`.
 */
export function normaliseEmail(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const e = text.trim().replace(/^mailto:/i, '');
  if (e.length > 254) return undefined;
  const at = e.lastIndexOf('@');
  if (at < 1 || at > 64) return undefined;
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  if (!LOCAL.test(local)) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  return e;
}

/** Is `value` an e-mail address the notebook may store? */
export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && normaliseEmail(value) === value;
}

/** Why `text` is not an e-mail address, as a sentence, or `undefined` when it is one. */
export function emailProblem(text: string): string | undefined {
  if (normaliseEmail(text) !== undefined) return undefined;
  return `${JSON.stringify(String(text).trim().slice(0, 60))} is not an e-mail address; write it like ana@example.com.`;
}

/** How one kind of contact value is normalised, and the sentence when it cannot be. */
export interface ContactCheck {
  readonly normalise: (text: string) => string | undefined;
  readonly problem: (text: string) => string | undefined;
}

/** The checks for the two contact lists, by field name. */
export const CONTACT_CHECKS: Readonly<Record<'emails' | 'links', ContactCheck>> = {
  emails: { normalise: normaliseEmail, problem: emailProblem },
  links: { normalise: normaliseLink, problem: linkProblem },
};

/** The fields of an incoming person that {@link dropBadContacts} checks. */
export interface ContactFields {
  emails?: readonly string[];
  links?: readonly string[];
  birthday?: string;
}

/**
 * For importers: the same checks as the commands, but a bad value is dropped (with a
 * sentence in `problems`) instead of costing the whole person. Links are normalised
 * (`example.com` → `https://example.com`), `mailto:` prefixes dropped.
 */
export function dropBadContacts<T extends ContactFields>(
  fields: T,
): { fields: T; problems: string[] } {
  const problems: string[] = [];
  const out = { ...fields };
  const keep = (list: readonly string[], check: ContactCheck): string[] => {
    const good: string[] = [];
    for (const v of list) {
      const ok = check.normalise(v);
      if (ok === undefined) problems.push(`${check.problem(v)} It was left out.`);
      else if (!good.includes(ok)) good.push(ok);
    }
    return good;
  };
  if (fields.emails) out.emails = keep(fields.emails, CONTACT_CHECKS.emails);
  if (fields.links) out.links = keep(fields.links, CONTACT_CHECKS.links);
  const bday = fields.birthday?.trim();
  if (bday) {
    const problem = birthdayProblem(bday);
    if (problem) {
      problems.push(`${problem} It was left out.`);
      delete out.birthday;
    } else out.birthday = bday;
  }
  return { fields: out, problems };
}
