/**
 * Mail (`mbox`, `.eml`) read into {@link ActivityEvent}s: one per thread per day, with
 * everyone in From, To and Cc (the planner drops the owner and matches the rest by
 * address). Only headers are read; bodies are skipped by the splitter (`mail-split.ts`).
 *
 * - Headers: unfolded here (RFC 5322 §2.2.3), then addresses and encoded words
 *   (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) read by postal-mime's `addressParser` and
 *   `decodeWords`. A header block that is not UTF-8 (8-bit Latin-1 names) is read as
 *   Windows-1252.
 * - Dates: `Date:`, else the newest `Received:` date, else the mbox `From ` line's date,
 *   read by the strict clock (`src/time/mail-date.ts`).
 * - Thread: the first id of `References`, else `In-Reply-To`, else the message's own
 *   `Message-ID`; a reply (`Re:`) with neither takes the thread of the first message of
 *   this file with the same subject; a message with no id at all is threaded by its
 *   normalised subject. Source key `mail:<thread>|<UTC day>`, group `mail:<thread>`.
 * - Dedup: a `Message-ID` seen before in the same file is counted once; re-importing adds
 *   nothing because the thread-day keys are the notebook's already.
 * - Never counted, each with a counted reason: bulk mail (List-Id, List-Unsubscribe,
 *   `Precedence: bulk/list/junk`), automatic mail (`Auto-Submitted` other than `no`,
 *   `X-Autoreply`, `X-Autorespond`, bounces), no-reply senders, more than
 *   {@link MAX_RECIPIENTS} recipients, no readable date, a date in the future, headers
 *   too large, no address at all.
 */
import { addressParser, decodeWords, type Address } from 'postal-mime';
import { formatInstant } from '../time/dates.ts';
import { parseMailDate } from '../time/mail-date.ts';
import type { ActivityEvent, ParsedActivity, Participant } from './activity.ts';
import type { ImportProgress, SkippedRow } from './incoming.ts';
import { MailSplitter, MAX_HEADER_BYTES, type SplitMessage } from './mail-split.ts';

/** Messages with more recipients (To + Cc) than this are bulk: no touch. */
export const MAX_RECIPIENTS = 20;

/** Mail formats (further `--format` names of `vitrine import`). */
export const MAIL_FORMATS = ['mbox', 'eml'] as const;
/** One of {@link MAIL_FORMATS}. */
export type MailFormat = (typeof MAIL_FORMATS)[number];

/** Why a message gave no touch. */
export type MailSkip =
  | 'list'
  | 'bulk'
  | 'automatic'
  | 'no-reply'
  | 'recipients'
  | 'duplicate'
  | 'no-date'
  | 'future'
  | 'too-large'
  | 'no-address';

/** The sentences for each reason, as the summary shows them. */
export const MAIL_SKIP_REASONS: Record<MailSkip, string> = {
  list: 'mailing-list or newsletter mail (List-Id or List-Unsubscribe)',
  bulk: 'bulk mail (Precedence: bulk, list or junk)',
  automatic: 'automatic mail (Auto-Submitted, auto-replies, bounces)',
  'no-reply': 'from a no-reply address',
  recipients: `sent to more than ${MAX_RECIPIENTS} people`,
  duplicate: 'the same Message-ID again (a copy of a message already read)',
  'no-date': 'no date that can be read (Date, Received and the From line)',
  future: 'dated in the future',
  'too-large': `headers larger than ${MAX_HEADER_BYTES / 1048576} MB`,
  'no-address': 'no address in From, To or Cc',
};

/** What reading a mailbox found, beside the events. */
export interface MailStats {
  /** Messages in the file. */
  messages: number;
  /** Messages that count (not skipped). */
  counted: number;
  /** Messages skipped, per reason, with the first one's place. */
  skipped: { reason: MailSkip; text: string; count: number; first: string }[];
}

/** {@link ParsedActivity} with the mail's own counts. */
export interface ParsedMail extends ParsedActivity {
  mail: MailStats;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/** The header fields we read (lower case); the rest are passed over. */
const WANTED = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'date',
  'received',
  'message-id',
  'in-reply-to',
  'references',
  'subject',
  'list-id',
  'list-unsubscribe',
  'precedence',
  'auto-submitted',
  'x-autoreply',
  'x-autorespond',
  'return-path',
]);

/** A header block as fields: lower-case name → values in order. Unfolded, not decoded. */
export function headerFields(bytes: Uint8Array): Map<string, string[]> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    // 8-bit headers from before MIME: almost always Latin-1 / Windows-1252.
    text = cp1252.decode(bytes);
  }
  const out = new Map<string, string[]>();
  let name: string | undefined;
  let value = '';
  const flush = () => {
    if (name === undefined) return;
    const list = out.get(name);
    if (list) list.push(value.trim());
    else out.set(name, [value.trim()]);
    name = undefined;
  };
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9) {
      // A folded continuation (RFC 5322 §2.2.3: unfolding removes the line break only).
      if (name !== undefined) value += text.slice(pos, end);
    } else {
      flush();
      const colon = text.indexOf(':', pos);
      if (colon > pos && colon < end) {
        const key = text.slice(pos, colon).trimEnd().toLowerCase();
        if (WANTED.has(key)) {
          name = key;
          value = text.slice(colon + 1, end);
        }
      }
    }
    pos = nl + 1;
  }
  flush();
  return out;
}

/** The first `<id>` in a header value, or the bare value when it has no brackets. */
export function firstMessageId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const open = value.indexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open + 1);
    if (close > open + 1) {
      const id = value.slice(open + 1, close).trim();
      if (id && !/\s/.test(id)) return id;
    }
    return undefined;
  }
  const bare = value.trim();
  return bare && !/\s/.test(bare) && bare.includes('@') ? bare : undefined;
}

const REPLY = /^\s*(?:re|aw|sv|vs|antw|odp|ynt|r)\s*(?:\[\d+\]|\(\d+\))?\s*:/i;
const PREFIXES =
  /^\s*(?:(?:re|aw|sv|vs|antw|odp|ynt|r|fwd?|wg|tr|rv|enc|vl)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*|\[[^\]]{1,40}\]\s*)+/i;

/** A subject for threading: prefixes (`Re:`, `Fwd:`, `AW:`, `[list]`) off, spaces folded, lower case. */
export function normaliseSubject(subject: string): string {
  return subject.replace(PREFIXES, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** A cheap stable hash (FNV-1a, two lanes) for thread ids too long to store as they are. */
function hashId(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `${a.toString(36)}${b.toString(36)}.${s.length}`;
}

/** A 53-bit hash of a string (for the Message-ID dedup set; a false match is ~1 in 10^10). */
function hash53(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return (a & 0x1fffff) * 4294967296 + b;
}

/** A thread id as stored in a source key: no `|` (it separates the day), bounded. */
function keyOf(thread: string): string {
  if (thread.length > 200) return `#${hashId(thread)}`;
  if (!thread.includes('|') && !thread.includes('%')) return thread;
  return thread.replace(/%/g, '%25').replace(/\|/g, '%7C');
}

const NO_REPLY =
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|[a-z0-9._-]*-daemon)(?:[-+_.].*)?$/i;

/** Is this address one that nobody writes back to (`no-reply@`, `mailer-daemon@`, …)? */
export function isNoReply(address: string): boolean {
  const at = address.lastIndexOf('@');
  return NO_REPLY.test(at < 0 ? address : address.slice(0, at));
}

function mailboxes(values: string[] | undefined, into: Participant[]): number {
  if (!values) return 0;
  let n = 0;
  for (const v of values) {
    let list: Address[];
    try {
      list = addressParser(v, { flatten: true });
    } catch {
      continue;
    }
    for (const a of list) {
      if (!a.address || !a.address.includes('@')) continue;
      n++;
      into.push({ email: a.address, ...(a.name ? { name: a.name } : {}) });
    }
  }
  return n;
}

const length = (values: string[] | undefined) => values?.reduce((n, v) => n + v.length, 0) ?? 0;

function atSigns(values: string[] | undefined): number {
  let n = 0;
  for (const v of values ?? []) for (let i = v.indexOf('@'); i >= 0; i = v.indexOf('@', i + 1)) n++;
  return n;
}

/** One message as the import sees it. */
export interface MailMessage {
  id?: string;
  thread: string;
  /** Sending time, ms since the epoch. */
  time: number;
  participants: Participant[];
  /** Normalised subject (for threading replies without references). */
  subject: string;
  reply: boolean;
  hasRefs: boolean;
}

/** Read one header block: a message, or why it gives no touch. */
export function readMessage(
  m: SplitMessage,
  now: number,
): { message: MailMessage } | { skip: MailSkip } {
  if (m.tooLarge) return { skip: 'too-large' };
  const f = headerFields(m.header);
  const one = (k: string) => f.get(k)?.[0];
  const from: Participant[] = [];
  mailboxes(f.get('from') ?? f.get('sender'), from);
  const recipients: Participant[] = [];
  const to = f.get('to');
  const cc = f.get('cc');
  if (atSigns(to) + atSigns(cc) > MAX_RECIPIENTS && length(to) + length(cc) > 65536) {
    // Thousands of recipients: bulk without parsing every one of them.
    return { skip: 'recipients' };
  }
  const count = mailboxes(to, recipients) + mailboxes(cc, recipients);
  if (f.has('list-id') || f.has('list-unsubscribe')) return { skip: 'list' };
  if (/^\s*(bulk|list|junk)\b/i.test(one('precedence') ?? '')) return { skip: 'bulk' };
  const auto = one('auto-submitted');
  if (
    (auto !== undefined && !/^\s*no\b/i.test(auto)) ||
    f.has('x-autoreply') ||
    f.has('x-autorespond') ||
    /^\s*<\s*>\s*$/.test(one('return-path') ?? '')
  )
    return { skip: 'automatic' };
  if (from.some((p) => isNoReply(p.email!))) return { skip: 'no-reply' };
  if (count > MAX_RECIPIENTS) return { skip: 'recipients' };
  if (!from.length && !recipients.length) return { skip: 'no-address' };
  let time = parseMailDate(one('date'));
  if (time === undefined) {
    // The newest hop's stamp (the first Received header), after its last ';'.
    const r = one('received');
    const semi = r ? r.lastIndexOf(';') : -1;
    if (r && semi >= 0) time = parseMailDate(r.slice(semi + 1));
  }
  if (time === undefined && m.fromLine) {
    // "From sender@example.com Tue Mar  3 10:00:00 2026": the date follows the address.
    time = parseMailDate(m.fromLine.replace(/^From\s+\S*\s*/, ''));
  }
  if (time === undefined) return { skip: 'no-date' };
  if (time > now + 86_400_000) return { skip: 'future' };
  const id = firstMessageId(one('message-id'));
  const refs = one('references');
  const root = firstMessageId(refs) ?? firstMessageId(one('in-reply-to'));
  // The subject matters only to thread a message without references (most replies have).
  let subject = root === undefined ? (one('subject') ?? '') : '';
  if (subject.includes('=?')) {
    try {
      subject = decodeWords(subject);
    } catch {
      // an undecodable encoded word: keep the raw text for threading
    }
  }
  return {
    message: {
      ...(id ? { id } : {}),
      thread: root ?? id ?? '',
      time,
      participants: [...from, ...recipients],
      subject: subject ? normaliseSubject(subject) : '',
      reply: subject ? REPLY.test(subject) : false,
      hasRefs: root !== undefined,
    },
  };
}

/** Examples of each skip reason kept as warnings (the counts are complete). */
const EXAMPLES = 20;

/**
 * Collects messages into thread-day events as they are read; memory grows with threads
 * and addresses, not with the file.
 */
export class MailCollector {
  /** Message-IDs seen, as 53-bit hashes (a tenth of the memory of the strings). */
  private readonly ids = new Set<number>();
  private readonly subjects = new Map<string, string>();
  /** Thread-day → its latest time and everyone in it (a short array: no Map per day). */
  private readonly days = new Map<string, { at: number; people: Participant[] }>();
  private readonly interned = new Map<string, Participant>();
  private readonly addresses = new Map<string, number>();
  private readonly skipped = new Map<MailSkip, { count: number; first: string }>();
  private readonly warnings: SkippedRow[] = [];
  private messages = 0;
  private counted = 0;

  constructor(
    private readonly name: string,
    private readonly now: number,
  ) {}

  /** Take one split message. */
  add(m: SplitMessage): void {
    this.messages++;
    const ref = `message ${m.index} (line ${m.line})`;
    let r: ReturnType<typeof readMessage>;
    try {
      r = readMessage(m, this.now);
    } catch {
      // Nothing in a header should throw, but one message never stops the import.
      r = { skip: 'no-address' };
    }
    if ('skip' in r) return this.skip(r.skip, ref);
    const msg = r.message;
    if (msg.id) {
      const h = hash53(msg.id);
      if (this.ids.has(h)) return this.skip('duplicate', ref);
      this.ids.add(h);
    }
    let thread = msg.thread;
    if (!msg.hasRefs && msg.subject) {
      const subject = msg.subject.slice(0, 160);
      const known = this.subjects.get(subject);
      if (known !== undefined && (msg.reply || !msg.id)) thread = known;
      else if (!known && msg.id && !msg.reply) this.subjects.set(subject, msg.id);
      if (!thread) thread = `subject:${subject}`;
    }
    if (!thread) {
      // No id, no subject: the message is a thread of its own (sender and time).
      thread = `msg:${msg.participants[0]?.email ?? ''}/${msg.time}`;
    }
    this.counted++;
    const at = formatInstant(msg.time);
    const key = `${keyOf(thread)}|${at.slice(0, 10)}`;
    let d = this.days.get(key);
    if (!d) this.days.set(key, (d = { at: msg.time, people: [] }));
    if (msg.time > d.at) d.at = msg.time;
    for (const p of msg.participants) {
      const addr = p.email!.toLowerCase();
      this.addresses.set(addr, (this.addresses.get(addr) ?? 0) + 1);
      const ik = `${addr}\u0000${p.name ?? ''}`;
      let shared = this.interned.get(ik);
      if (!shared) this.interned.set(ik, (shared = { ...p, email: addr }));
      if (!d.people.some((q) => q.email === addr)) d.people.push(shared);
    }
  }

  private skip(reason: MailSkip, ref: string): void {
    const s = this.skipped.get(reason);
    if (s) s.count++;
    else this.skipped.set(reason, { count: 1, first: ref });
    // The broken ones are listed (a few) so the owner can look; bulk mail only counted.
    if (
      (reason === 'no-date' || reason === 'too-large' || reason === 'future') &&
      (s?.count ?? 1) <= EXAMPLES
    ) {
      this.warnings.push({ ref: `${this.name}: ${ref}`, reason: MAIL_SKIP_REASONS[reason] });
    }
  }

  /** The events and counts read so far. */
  finish(): ParsedMail {
    const events: ActivityEvent[] = [];
    for (const [key, d] of this.days) {
      const bar = key.lastIndexOf('|');
      events.push({
        source: `mail:${key}`,
        at: formatInstant(d.at),
        kind: 'email',
        participants: d.people,
        group: `mail:${key.slice(0, bar)}`,
      });
    }
    this.days.clear();
    this.ids.clear();
    this.subjects.clear();
    // The address in the most messages, to suggest as the owner's own (`--me`).
    const organizers: Record<string, number> = {};
    let best: [string, number] | undefined;
    for (const [a, n] of this.addresses) if (!best || n > best[1]) best = [a, n];
    if (best) organizers[best[0]] = best[1];
    return {
      events,
      warnings: this.warnings,
      owner: [],
      organizers,
      mail: {
        messages: this.messages,
        counted: this.counted,
        skipped: [...this.skipped].map(([reason, s]) => ({
          reason,
          text: MAIL_SKIP_REASONS[reason],
          count: s.count,
          first: s.first,
        })),
      },
    };
  }
}

/** Does the start of a file look like an mbox (`From ` line first) or one message? */
export function sniffMail(head: Uint8Array, name: string): MailFormat | undefined {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 10 || head[i] === 13 || head[i] === 32)) i++;
  const text = new TextDecoder('latin1').decode(head.subarray(i, i + 16384));
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (/^From \S/.test(firstLine) && !/^From\s*:/.test(firstLine)) {
    // An .eml saved with a separator line is still one message.
    return /\.eml$/i.test(name) ? 'eml' : 'mbox';
  }
  // A header block: the first line a header, and the fields every message has.
  const headerEnd = text.search(/\r?\n\r?\n/);
  const block = headerEnd < 0 ? text : text.slice(0, headerEnd);
  if (!/^[!-9;-~]+[ \t]*:/.test(firstLine)) return undefined;
  const has = (f: string) => new RegExp(`^${f}[ \\t]*:`, 'im').test(block);
  const score = ['From', 'To', 'Date', 'Subject', 'Message-ID', 'Received', 'MIME-Version'].filter(
    has,
  ).length;
  if (score >= 3 && has('From')) return /\.mbox$/i.test(name) ? 'mbox' : 'eml';
  return undefined;
}

/** Options for reading mail. */
export interface MailReadOptions {
  /** "Now" (tests): later messages are skipped as dated in the future. */
  now?: Date;
  /** Total bytes, when known, for progress. */
  total?: number;
  onProgress?: (p: ImportProgress) => void;
}

/** A source of bytes: a whole file, or chunks as a stream gives them. */
export type MailSource =
  Uint8Array | AsyncIterable<Uint8Array> | { getReader(): ReadableStreamDefaultReader<Uint8Array> };

async function* chunksOf(source: MailSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let i = 0; i < source.length; i += 1 << 20) yield source.subarray(i, i + (1 << 20));
    return;
  }
  if ('getReader' in source) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Uint8Array>;
}

/**
 * Read a mailbox (or one message) streamed: each chunk is split, each header block read
 * and folded into thread-day events, and the chunk let go.
 */
export async function readMail(
  source: MailSource,
  name: string,
  format: MailFormat,
  options: MailReadOptions = {},
): Promise<ParsedMail> {
  const collector = new MailCollector(name, (options.now ?? new Date()).getTime());
  const splitter = new MailSplitter(format, (m) => collector.add(m));
  const total = options.total ?? (source instanceof Uint8Array ? source.length : 0);
  let reported = 0;
  for await (const chunk of chunksOf(source)) {
    splitter.push(chunk);
    if (options.onProgress && splitter.bytes - reported >= 4 << 20) {
      reported = splitter.bytes;
      options.onProgress({ phase: 'read', done: splitter.bytes, total });
    }
  }
  splitter.end();
  options.onProgress?.({ phase: 'read', done: splitter.bytes, total: total || splitter.bytes });
  return collector.finish();
}

/** {@link readMail} over bytes already in memory, as a step generator (no awaiting). */
export function* readMailSteps(
  bytes: Uint8Array,
  name: string,
  format: MailFormat,
  options: { now?: Date } = {},
): Generator<ImportProgress, ParsedMail, void> {
  const collector = new MailCollector(name, (options.now ?? new Date()).getTime());
  const splitter = new MailSplitter(format, (m) => collector.add(m));
  const step = 4 << 20;
  for (let i = 0; i < bytes.length; i += step) {
    splitter.push(bytes.subarray(i, i + step));
    yield { phase: 'read', done: Math.min(bytes.length, i + step), total: bytes.length };
  }
  splitter.end();
  return collector.finish();
}
