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
const utf8Loose = new TextDecoder('utf-8');
const cp1252 = new TextDecoder('windows-1252');

/** The header fields we read (lower case); the rest are passed over without being decoded. */
const WANTED = [
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
] as const;
type Field = (typeof WANTED)[number];
const FIELD = Object.fromEntries(WANTED.map((n, i) => [n, i])) as Record<Field, number>;

/** The wanted names by length, as bytes, to match a field name where it lies. */
const BY_LENGTH: { field: number; code: Uint8Array }[][] = [];
for (const [i, n] of WANTED.entries()) {
  (BY_LENGTH[n.length] ??= []).push({ field: i, code: new TextEncoder().encode(n) });
}

/** The wanted field named `b[start…end)` (any case, trailing blanks ignored), or -1. */
function wantedField(b: Uint8Array, start: number, end: number): number {
  while (end > start && (b[end - 1] === 0x20 || (b[end - 1]! >= 0x09 && b[end - 1]! <= 0x0d)))
    end--;
  const list = BY_LENGTH[end - start];
  if (!list) return -1;
  next: for (const { field, code } of list) {
    for (let i = 0; i < code.length; i++) {
      let c = b[start + i]!;
      if (c >= 0x41 && c <= 0x5a) c += 32;
      if (c !== code[i]) continue next;
    }
    return field;
  }
  return -1;
}

/**
 * One header block read where it lies: a pass over its bytes notes where each wanted
 * field's value is (unfolding continuation lines, RFC 5322 §2.2.3); a value becomes a
 * string only when asked for. Most messages need From, To, Cc, Date and Message-ID:
 * Received, DKIM signatures and the rest are never decoded. A block that is not UTF-8
 * (8-bit Latin-1 names from before MIME) is read as Windows-1252, as a whole. Reused from
 * message to message (`read` starts over).
 */
export class HeaderBlock {
  private bytes: Uint8Array = new Uint8Array(0);
  /** Per field found, in order: field, value start, value end, folded (1) or not (0). */
  private spans = new Int32Array(4 * 32);
  private n = 0;
  /** One bit per wanted field present. */
  private present = 0;
  /** How the block's 8-bit bytes read: not known yet (0), UTF-8 (1), Windows-1252 (2). */
  private charset = 0;

  /** Read a new block (the previous one is forgotten). */
  read(bytes: Uint8Array): this {
    this.bytes = bytes;
    this.n = 0;
    this.present = 0;
    this.charset = 0;
    const len = bytes.length;
    let pos = 0;
    // A byte-order mark before the first field (an .eml saved by a Windows tool).
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
    /** Where in `spans` the field being continued is, or -1 (none, or not wanted). */
    let open = -1;
    while (pos < len) {
      let nl = bytes.indexOf(10, pos);
      if (nl < 0) nl = len;
      let end = nl;
      if (end > pos && bytes[end - 1] === 13) end--;
      const c = bytes[pos];
      if (c === 32 || c === 9) {
        // A folded continuation: the value runs on to this line's end.
        if (open >= 0) {
          this.spans[open + 2] = end;
          this.spans[open + 3] = 1;
        }
      } else {
        open = -1;
        let colon = pos;
        while (colon < end && bytes[colon] !== 0x3a) colon++;
        if (colon > pos && colon < end) {
          const field = wantedField(bytes, pos, colon);
          if (field >= 0) open = this.add(field, colon + 1, end);
        }
      }
      pos = nl + 1;
    }
    return this;
  }

  private add(field: number, start: number, end: number): number {
    const at = this.n * 4;
    if (at + 4 > this.spans.length) {
      const next = new Int32Array(this.spans.length * 2);
      next.set(this.spans);
      this.spans = next;
    }
    this.spans[at] = field;
    this.spans[at + 1] = start;
    this.spans[at + 2] = end;
    this.spans[at + 3] = 0;
    this.n++;
    this.present |= 1 << field;
    return at;
  }

  /** Is the field there (even empty)? */
  has(name: Field): boolean {
    return ((this.present >>> FIELD[name]) & 1) === 1;
  }

  /** The field's first value, unfolded and trimmed, or undefined. */
  first(name: Field): string | undefined {
    const field = FIELD[name];
    if (!((this.present >>> field) & 1)) return undefined;
    for (let i = 0; i < this.n * 4; i += 4) if (this.spans[i] === field) return this.value(i);
    return undefined;
  }

  /** Every value of the field in order, or undefined when there is none. */
  all(name: Field): string[] | undefined {
    const field = FIELD[name];
    if (!((this.present >>> field) & 1)) return undefined;
    const out: string[] = [];
    for (let i = 0; i < this.n * 4; i += 4) if (this.spans[i] === field) out.push(this.value(i));
    return out;
  }

  /** Every wanted field: lower-case name → values in order. */
  fields(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < this.n * 4; i += 4) {
      const name = WANTED[this.spans[i]!]!;
      const list = out.get(name);
      if (list) list.push(this.value(i));
      else out.set(name, [this.value(i)]);
    }
    return out;
  }

  private value(i: number): string {
    const start = this.spans[i + 1]!;
    const end = this.spans[i + 2]!;
    let text = this.text(start, end);
    if (this.spans[i + 3]) text = text.replace(/\r?\n/g, '');
    return text.trim();
  }

  /** The bytes `[start, end)` as text: ASCII as it is, 8-bit as the whole block reads. */
  private text(start: number, end: number): string {
    const b = this.bytes;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (b[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      if (end - start <= 1024) {
        return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
      }
      return cp1252.decode(b.subarray(start, end));
    }
    if (!this.charset) {
      try {
        utf8.decode(b);
        this.charset = 1;
      } catch {
        this.charset = 2;
      }
    }
    return (this.charset === 1 ? utf8Loose : cp1252).decode(b.subarray(start, end));
  }
}

/** A header block as fields: lower-case name → values in order. Unfolded, not decoded. */
export function headerFields(bytes: Uint8Array): Map<string, string[]> {
  return new HeaderBlock().read(bytes).fields();
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

/** A cheap stable hash of a string in two 32-bit lanes (FNV-1a, and the same walk with another prime). */
function hashLanes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return [a, b];
}

/** A short stable id for thread ids too long to store as they are. */
function hashId(s: string): string {
  const [a, b] = hashLanes(s);
  return `${a.toString(36)}${b.toString(36)}.${s.length}`;
}

/** A 53-bit hash of a string (for the Message-ID dedup set; a false match is ~1 in 10^10). */
function hash53(s: string): number {
  const [a, b] = hashLanes(s);
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

/** Reads one address header value into participants (those with an `@`). */
export type AddressReader = (value: string) => readonly Participant[];

/** postal-mime's `addressParser` on one value: groups, quoted names, encoded words. */
export function readAddresses(value: string): Participant[] {
  let list: Address[];
  try {
    list = addressParser(value, { flatten: true });
  } catch {
    return [];
  }
  const out: Participant[] = [];
  for (const a of list) {
    if (!a.address || !a.address.includes('@')) continue;
    out.push({ email: a.address, ...(a.name ? { name: a.name } : {}) });
  }
  return out;
}

function mailboxes(values: string[] | undefined, into: Participant[], read: AddressReader): number {
  if (!values) return 0;
  let n = 0;
  for (const v of values) {
    for (const p of read(v)) {
      n++;
      into.push(p);
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

/** The block {@link readMessage} reads into (one at a time: reading is synchronous). */
const scratch = new HeaderBlock();

/**
 * Read one header block: a message, or why it gives no touch. `read` turns an address
 * header into participants (the collector's remembers values it has read).
 */
export function readMessage(
  m: SplitMessage,
  now: number,
  read: AddressReader = readAddresses,
): { message: MailMessage } | { skip: MailSkip } {
  if (m.tooLarge) return { skip: 'too-large' };
  const f = scratch.read(m.header);
  const from: Participant[] = [];
  mailboxes(f.all('from') ?? f.all('sender'), from, read);
  const recipients: Participant[] = [];
  const to = f.all('to');
  const cc = f.all('cc');
  if (atSigns(to) + atSigns(cc) > MAX_RECIPIENTS && length(to) + length(cc) > 65536) {
    // Thousands of recipients: bulk without parsing every one of them.
    return { skip: 'recipients' };
  }
  const count = mailboxes(to, recipients, read) + mailboxes(cc, recipients, read);
  if (f.has('list-id') || f.has('list-unsubscribe')) return { skip: 'list' };
  if (f.has('precedence') && /^\s*(bulk|list|junk)\b/i.test(f.first('precedence')!))
    return { skip: 'bulk' };
  const auto = f.first('auto-submitted');
  if (
    (auto !== undefined && !/^\s*no\b/i.test(auto)) ||
    f.has('x-autoreply') ||
    f.has('x-autorespond') ||
    (f.has('return-path') && /^\s*<\s*>\s*$/.test(f.first('return-path')!))
  )
    return { skip: 'automatic' };
  if (from.some((p) => isNoReply(p.email!))) return { skip: 'no-reply' };
  if (count > MAX_RECIPIENTS) return { skip: 'recipients' };
  if (!from.length && !recipients.length) return { skip: 'no-address' };
  let time = parseMailDate(f.first('date'));
  if (time === undefined) {
    // The newest hop's stamp (the first Received header), after its last ';'.
    const r = f.first('received');
    const semi = r ? r.lastIndexOf(';') : -1;
    if (r && semi >= 0) time = parseMailDate(r.slice(semi + 1));
  }
  if (time === undefined && m.fromLine) {
    // "From sender@example.com Tue Mar  3 10:00:00 2026": the date follows the address.
    time = parseMailDate(m.fromLine.replace(/^From\s+\S*\s*/, ''));
  }
  if (time === undefined) return { skip: 'no-date' };
  if (time > now + 86_400_000) return { skip: 'future' };
  const id = firstMessageId(f.first('message-id'));
  const root = firstMessageId(f.first('references')) ?? firstMessageId(f.first('in-reply-to'));
  // The subject matters only to thread a message without references (most replies have).
  let subject = root === undefined ? (f.first('subject') ?? '') : '';
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
      participants: from.concat(recipients),
      subject: subject ? normaliseSubject(subject) : '',
      reply: subject ? REPLY.test(subject) : false,
      hasRefs: root !== undefined,
    },
  };
}

/** Examples of each skip reason kept as warnings (the counts are complete). */
const EXAMPLES = 20;

/** Address header values remembered as read (the same correspondents write again and again). */
const REMEMBERED = 4096;

/** Days since 1970 and the thread's number in one map key (years 1000–9999 fit). */
const DAY_OFFSET = 1 << 19;
const DAY_SPAN = 1 << 22;

/** A thread's day: its latest time and everyone in it (a short array: no Map per day). */
interface Day {
  thread: number;
  at: number;
  people: Participant[];
}

/**
 * Collects messages into thread-day events as they are read; memory grows with threads
 * and addresses, not with the file. Kept compact for mailboxes of 200,000 messages:
 * Message-IDs as 53-bit hashes, each thread id once (a number for it in each day's key),
 * each address and name once (the same participant object in every day that has it).
 */
export class MailCollector {
  /** Message-IDs seen, as 53-bit hashes (a tenth of the memory of the strings). */
  private readonly ids = new Set<number>();
  /** Normalised subject → the number of the thread it started. */
  private readonly subjects = new Map<string, number>();
  /** Thread id → its number; the ids as source keys write them, by number. */
  private readonly threads = new Map<string, number>();
  private readonly threadKeys: string[] = [];
  /** (thread number, UTC day) → that day. */
  private readonly days = new Map<number, Day>();
  /** Address (lower case) → name → the one participant object for them. */
  private readonly interned = new Map<string, Map<string, Participant>>();
  /** Address header value → its participants, interned (bounded). */
  private readonly values = new Map<string, readonly Participant[]>();
  private readonly addresses = new Map<string, number>();
  private readonly skipped = new Map<MailSkip, { count: number; first: string }>();
  private readonly warnings: SkippedRow[] = [];
  private messages = 0;
  private counted = 0;
  private readonly read: AddressReader = (value) => {
    const known = this.values.get(value);
    if (known) return known;
    const list = readAddresses(value).map((p) => this.intern(p));
    if (value.length <= 1024) {
      if (this.values.size >= REMEMBERED) this.values.clear();
      this.values.set(value, list);
    }
    return list;
  };

  constructor(
    private readonly name: string,
    private readonly now: number,
  ) {}

  private intern(p: Participant): Participant {
    const addr = p.email!.toLowerCase();
    let names = this.interned.get(addr);
    if (!names) this.interned.set(addr, (names = new Map()));
    const name = p.name ?? '';
    let shared = names.get(name);
    if (!shared) names.set(name, (shared = { ...p, email: addr }));
    return shared;
  }

  private thread(id: string): number {
    let n = this.threads.get(id);
    if (n === undefined) {
      n = this.threadKeys.length;
      this.threads.set(id, n);
      this.threadKeys.push(keyOf(id));
    }
    return n;
  }

  /** Take one split message. */
  add(m: SplitMessage): void {
    this.messages++;
    let r: ReturnType<typeof readMessage>;
    try {
      r = readMessage(m, this.now, this.read);
    } catch {
      // Nothing in a header should throw, but one message never stops the import.
      r = { skip: 'no-address' };
    }
    if ('skip' in r) return this.skip(r.skip, m);
    const msg = r.message;
    if (msg.id) {
      const h = hash53(msg.id);
      if (this.ids.has(h)) return this.skip('duplicate', m);
      this.ids.add(h);
    }
    let thread = msg.thread ? this.thread(msg.thread) : -1;
    if (!msg.hasRefs && msg.subject) {
      const subject = msg.subject.slice(0, 160);
      const known = this.subjects.get(subject);
      if (known !== undefined && (msg.reply || !msg.id)) thread = known;
      else if (known === undefined && msg.id && !msg.reply) this.subjects.set(subject, thread);
      if (thread < 0) thread = this.thread(`subject:${subject}`);
    }
    if (thread < 0) {
      // No id, no subject: the message is a thread of its own (sender and time).
      thread = this.thread(`msg:${msg.participants[0]?.email ?? ''}/${msg.time}`);
    }
    this.counted++;
    const key = thread * DAY_SPAN + Math.floor(msg.time / 86_400_000) + DAY_OFFSET;
    let d = this.days.get(key);
    if (!d) this.days.set(key, (d = { thread, at: msg.time, people: [] }));
    if (msg.time > d.at) d.at = msg.time;
    for (const p of msg.participants) {
      const addr = p.email!;
      this.addresses.set(addr, (this.addresses.get(addr) ?? 0) + 1);
      if (!d.people.some((q) => q.email === addr)) d.people.push(p);
    }
  }

  private skip(reason: MailSkip, m: SplitMessage): void {
    const s = this.skipped.get(reason);
    if (s) s.count++;
    else this.skipped.set(reason, { count: 1, first: `message ${m.index} (line ${m.line})` });
    // The broken ones are listed (a few) so the owner can look; bulk mail only counted.
    if (
      (reason === 'no-date' || reason === 'too-large' || reason === 'future') &&
      (s?.count ?? 1) <= EXAMPLES
    ) {
      this.warnings.push({
        ref: `${this.name}: message ${m.index} (line ${m.line})`,
        reason: MAIL_SKIP_REASONS[reason],
      });
    }
  }

  /** The events and counts read so far. */
  finish(): ParsedMail {
    const events: ActivityEvent[] = [];
    for (const d of this.days.values()) {
      const thread = this.threadKeys[d.thread]!;
      const at = formatInstant(d.at);
      events.push({
        source: `mail:${thread}|${at.slice(0, 10)}`,
        at,
        kind: 'email',
        // An exact copy: a list grown by push keeps room for 17.
        participants: d.people.slice(),
        group: `mail:${thread}`,
      });
    }
    this.days.clear();
    this.ids.clear();
    this.subjects.clear();
    this.threads.clear();
    this.values.clear();
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
