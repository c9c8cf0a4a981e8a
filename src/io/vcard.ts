/**
 * vCard (`.vcf`): import 2.1, 3.0 and 4.0 as address books really write them, export 4.0.
 *
 * Reading is done here rather than through ical.js (see docs/decisions/0004, addendum):
 * ical.js reads every card that does not start with `VERSION:4.0` with its vCard 3.0
 * rules, which split a 2.1 NOTE at its first comma, keep `\:` and `\,` inside URLs
 * (`http\://…`, as Google and Apple write them), and know nothing of 2.1's
 * quoted-printable, `CHARSET=` or bare `TYPE` words. No maintained JavaScript library reads
 * 2.1; the line syntax itself is small, so this module:
 * - splits lines on LF, CRLF, CR and CR CR LF (iOS 6 writes the last), and unfolds them in
 *   one linear pass (folded continuation lines, 2.1 quoted-printable soft line breaks, and
 *   2.1 base64 blocks that end at a blank line);
 * - splits the file into cards by their BEGIN/END lines (a card nested inside another, a
 *   2.1 AGENT, is skipped), so one broken card is skipped with its line instead of failing
 *   the file;
 * - decodes quoted-printable and base64 text in its declared `CHARSET`, or as UTF-8 when
 *   the bytes are valid UTF-8 and Windows-1252 otherwise (a 2.1 file without a CHARSET
 *   from a Western European phone or Outlook); the same repair applies to raw 8-bit values
 *   (see {@link repairRaw});
 * - unescapes values by version: 3.0/4.0 text `\\ \, \; \: \n`, URLs too; 2.1 only `\;`
 *   inside structured values (N, ADR, ORG), where a comma is just a comma;
 * - maps properties to person fields; RELATED (4.0) and Apple's X-ABRELATEDNAMES (3.0)
 *   become ties, resolved by UID, email or a unique name.
 *
 * Writing (4.0) is hand-written too, after RFC 6350 §3.2–3.4: text escapes `\\ \, \; \n`
 * (a CR, CRLF or LF in a note is one `\n`), parameter values use RFC 6868 (`^n ^^ ^'`),
 * and lines are folded at 75 octets without splitting a UTF-8 sequence.
 *
 * Vitrine-specific data rides in X- properties and parameters (X-VITRINE-HOW-WE-MET,
 * X-VITRINE-UNDER-GLASS, X-VITRINE-OWNER, RELATED;X-VITRINE-KIND/-STRENGTH/-SINCE), which
 * other apps ignore, so an export read back loses nothing a person or tie holds except
 * vetting records, touches and introductions (use Vitrine JSON for those).
 */
import { VitrineError, listPeople, listTies, type Notebook } from '../model/index.ts';
import {
  blankPerson,
  clean,
  pushAll,
  relationKind,
  type IncomingPerson,
  type IncomingRelation,
  type ParseSteps,
  type ParsedContacts,
} from './incoming.ts';
import { decodeWindows1252, headLines } from './text.ts';

/** Does this text look like vCards? */
export function sniffVcard(text: string): boolean {
  const first = headLines(text, 20).find((l) => l.trim());
  return !!first && /^begin:vcard$/i.test(first.trim());
}

interface RawCard {
  line: number;
  lines: LogicalLine[];
  complete: boolean;
}

/** One unfolded content line and the physical line it starts on. */
interface LogicalLine {
  line: number;
  text: string;
}

/** Index of the `:` that ends a content line's name and parameters (quotes respected). */
function valueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34 /* " */) quoted = !quoted;
    else if (c === 58 /* : */ && !quoted) return i;
  }
  // An unbalanced quote: fall back to the first colon rather than lose the line.
  return line.indexOf(':');
}

const QP_HEAD = /;\s*(?:encoding\s*=\s*)?quoted-printable\b/i;
const B64_HEAD = /;\s*(?:encoding\s*=\s*)?(?:base64|b)\b/i;
const B64_LINE = /^[A-Za-z0-9+/=]+$/;

/**
 * Logical (unfolded) lines, in one linear pass: each logical line collects its pieces in
 * an array joined once at the end, and what kind of line it is (quoted-printable, base64)
 * is worked out once from its first piece.
 */
function unfold(text: string): LogicalLine[] {
  // CR CR LF (iOS 6), CRLF, LF and lone CR all end a line.
  const physical = text.split(/\r*\n|\r/);
  const out: LogicalLine[] = [];
  let parts: string[] = [];
  let start = 0;
  let qp = false;
  let b64 = false;
  let v21 = false;
  let lastPart = '';
  const flush = () => {
    if (parts.length)
      out.push({ line: start, text: parts.length === 1 ? parts[0]! : parts.join('') });
    parts = [];
  };
  for (let i = 0; i < physical.length; i++) {
    const l = physical[i]!;
    if (parts.length && qp && lastPart.endsWith('=')) {
      // 2.1 quoted-printable: a line ending in "=" goes on with the whole next line.
      parts[parts.length - 1] = lastPart.slice(0, -1);
      parts.push(l);
      lastPart = l;
      continue;
    }
    const first = l.charCodeAt(0);
    if (parts.length && (first === 32 || first === 9)) {
      // RFC 2425/6350: drop the line break and one space. 2.1 folds before the space and
      // keeps it; base64 data does not care either way.
      const piece = v21 && !b64 ? l : l.slice(1);
      parts.push(piece);
      lastPart = piece;
      continue;
    }
    if (parts.length && b64 && l && B64_LINE.test(l)) {
      // 2.1 base64 blocks may continue on unindented lines until a blank line.
      parts.push(l);
      lastPart = l;
      continue;
    }
    flush();
    if (!l.trim()) continue;
    start = i + 1;
    parts.push(l);
    lastPart = l;
    const colon = valueColon(l);
    const head = colon < 0 ? l : l.slice(0, colon);
    qp = QP_HEAD.test(head);
    b64 = B64_HEAD.test(head);
    if (/^version$/i.test(head.trim())) v21 = l.slice(colon + 1).trim() === '2.1';
    else if (/^begin$/i.test(head.trim())) v21 = false;
  }
  flush();
  return out;
}

function cardsOf(text: string): RawCard[] {
  const cards: RawCard[] = [];
  let cur: RawCard | undefined;
  let nested = 0;
  for (const logical of unfold(text)) {
    const t = logical.text.trim();
    if (/^begin:vcard$/i.test(t)) {
      const last = cur?.lines[cur.lines.length - 1]?.text ?? '';
      if (cur && (nested || /^(?:[^:;.]*\.)?agent[;:]/i.test(last))) {
        nested++; // a card inside a card (2.1 AGENT:): not a person of this file
        continue;
      }
      // Anywhere else, a BEGIN inside a card means that card was cut short.
      if (cur) cards.push(cur);
      cur = { line: logical.line, lines: [], complete: false };
    } else if (/^end:vcard$/i.test(t)) {
      if (nested) nested--;
      else if (cur) {
        cur.complete = true;
        cards.push(cur);
        cur = undefined;
      }
    } else if (cur && !nested) {
      cur.lines.push(logical);
    }
  }
  if (cur) cards.push(cur);
  return cards;
}

/** One property of a card: `group.NAME;param=value:value`. */
interface Prop {
  group: string;
  name: string;
  params: Map<string, string[]>;
  /** The value as written (decoded from quoted-printable/base64, not yet unescaped). */
  raw: string;
}

const ENCODING_WORDS = new Set(['quoted-printable', 'base64', 'b', '8bit', '7bit']);
const DROP = new Set(['photo', 'logo', 'sound', 'key']);

/** Split on `sep` outside double quotes. */
function splitQuoted(s: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (c === sep && !quoted) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** RFC 6868 parameter value escapes. */
function paramUnescape(v: string): string {
  return v.replace(/\^(['n^])/g, (_, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));
}

function parseProp(line: string): Prop | undefined {
  const colon = valueColon(line);
  if (colon <= 0) return undefined; // a comment or stray line: no property there
  const head = splitQuoted(line.slice(0, colon), ';');
  const full = head[0]!.trim();
  const dot = full.lastIndexOf('.');
  const params = new Map<string, string[]>();
  const addParam = (k: string, vs: string[]) => {
    const list = params.get(k);
    if (list) list.push(...vs);
    else params.set(k, vs);
  };
  for (const p of head.slice(1)) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      // 2.1 writes bare words: TEL;CELL;PREF, NOTE;QUOTED-PRINTABLE.
      const word = p.trim();
      if (!word) continue;
      if (ENCODING_WORDS.has(word.toLowerCase())) addParam('encoding', [word]);
      else addParam('type', [word]);
      continue;
    }
    const key = p.slice(0, eq).trim().toLowerCase();
    const values = splitQuoted(p.slice(eq + 1), ',').map((v) =>
      paramUnescape(v.trim().replace(/^"([\s\S]*)"$/, '$1')),
    );
    addParam(key, values);
  }
  return {
    group: dot < 0 ? '' : full.slice(0, dot).toLowerCase(),
    name: full.slice(dot + 1).toLowerCase(),
    params,
    raw: line.slice(colon + 1),
  };
}

const param = (p: Prop, name: string): string[] => p.params.get(name) ?? [];

// Windows-1252 maps each of the 256 bytes to a distinct character, so text decoded that
// way (text.ts does, for files that are not valid UTF-8) can be turned back into bytes.
let CP1252: Map<string, number> | undefined;
function cp1252(): Map<string, number> {
  if (!CP1252) {
    const chars = decodeWindows1252(Uint8Array.from({ length: 256 }, (_, i) => i));
    CP1252 = new Map([...chars].map((c, i) => [c, i]));
  }
  return CP1252;
}

function toBytes1252(s: string): Uint8Array | undefined {
  const table = cp1252();
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const b = table.get(s[i]!);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}

function decodeStrict(bytes: Uint8Array, label: string): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined; // not that encoding, or a label this platform does not know
  }
}

// Labels that WHATWG decodes as Windows-1252 (a superset of Latin-1 on every printable byte).
const WESTERN = new Set([
  'windows-1252',
  'cp1252',
  'iso-8859-1',
  'iso8859-1',
  'latin1',
  'us-ascii',
  'ascii',
]);

/**
 * Bytes in the declared charset, else UTF-8 if they are valid UTF-8, else Windows-1252
 * (the legacy 8-bit encoding of Western European phones and Outlook; never U+FFFD).
 */
function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  return inCharset(bytes, charset) ?? decodeStrict(bytes, 'utf-8') ?? decodeWindows1252(bytes);
}

/** Bytes decoded in a declared charset other than UTF-8, if they are valid in it. */
function inCharset(bytes: Uint8Array, charset: string | undefined): string | undefined {
  const cs = charset?.trim().toLowerCase();
  if (!cs || cs === 'utf-8' || cs === 'utf8') return undefined;
  return WESTERN.has(cs) ? decodeWindows1252(bytes) : decodeStrict(bytes, cs);
}

/**
 * A raw (not quoted-printable) value as the file meant it. When the whole file was not
 * valid UTF-8, text.ts decoded it as Windows-1252: a value in another declared charset
 * (`N;CHARSET=SHIFT_JIS:…`), UTF-8 cards in a file with one Latin-1 card, and a UTF-8
 * character that a line fold split in two all come out as mojibake. Their bytes are
 * recovered through the Windows-1252 table and decoded again; text that does not decode
 * cleanly that way is left as it was.
 */
function repairRaw(value: string, charset: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  const bytes = toBytes1252(value);
  if (!bytes) return value;
  return inCharset(bytes, charset) ?? decodeStrict(bytes, 'utf-8') ?? value;
}

function qpBytes(value: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const hex = value.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = c.charCodeAt(0);
      if (code < 0x80) out.push(code);
      else out.push(...(toBytes1252(c) ?? enc.encode(c)));
    }
  }
  return new Uint8Array(out);
}

/** A property's value decoded from its transfer encoding and charset (still escaped). */
function decoded(p: Prop): string {
  const encoding = param(p, 'encoding')[0]?.toLowerCase() ?? '';
  const charset = param(p, 'charset')[0];
  if (encoding === 'quoted-printable') return decodeBytes(qpBytes(p.raw), charset);
  if (encoding === 'base64' || encoding === 'b') {
    try {
      const bin = atob(p.raw.replace(/\s+/g, ''));
      return decodeBytes(
        Uint8Array.from(bin, (c) => c.charCodeAt(0)),
        charset,
      );
    } catch {
      return repairRaw(p.raw, charset);
    }
  }
  return repairRaw(p.raw, charset);
}

/** Split on an unescaped separator (a backslash escapes the next character). */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === sep) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** 3.0/4.0 text unescaping: `\n` is a line break, any other escaped character is itself. */
function unescapeText(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([\s\S])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Reads one card's properties with the rules of its version. */
class CardReader {
  readonly props: Prop[];
  private readonly v21: boolean;

  constructor(props: Prop[]) {
    this.props = props;
    const version = props.find((p) => p.name === 'version')?.raw.trim();
    this.v21 = version === '2.1' || version === '1.0';
  }

  all(name: string): Prop[] {
    return this.props.filter((p) => p.name === name);
  }

  one(name: string): Prop | undefined {
    return this.props.find((p) => p.name === name);
  }

  /** A single text value (2.1 keeps backslashes and commas as written). */
  text(p: Prop | undefined): string | undefined {
    if (!p) return undefined;
    const v = decoded(p);
    // Outlook's quoted-printable notes break lines with =0D=0A: the model uses LF.
    return clean((this.v21 ? v : unescapeText(v)).replace(/\r\n?/g, '\n'));
  }

  /** A URI value: Google and Apple escape `:` and `,` in URLs (`http\://…`) even in 3.0. */
  uri(p: Prop): string | undefined {
    return clean(decoded(p).replace(/\\([\\,;:])/g, '$1'));
  }

  /** A structured value (N, ADR, ORG): its components, each unescaped. */
  parts(p: Prop | undefined): string[] {
    if (!p) return [];
    return splitEscaped(decoded(p), ';').map((c) =>
      this.v21 ? c.replace(/\\;/g, ';').trim() : unescapeText(c).trim(),
    );
  }

  /** A list value (CATEGORIES, NICKNAME): split on commas. */
  list(p: Prop): string[] {
    const v = decoded(p);
    return splitEscaped(v, ',').map((c) => (this.v21 ? c : unescapeText(c)).trim());
  }
}

function isoBirthday(b: string): string {
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(b);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^--(\d{2})-?(\d{2})$/.exec(b);
  if (m) return `--${m[1]}-${m[2]}`;
  return b;
}

/** Apple's label words: `_$!<Spouse>!$_` → `Spouse`. */
const appleLabel = (s: string | undefined) => s?.replace(/^_\$!<(.*)>!\$_$/, '$1');

function cardToPerson(
  card: CardReader,
  raw: RawCard,
  index: number,
): IncomingPerson | { skip: string } {
  const kind = card.text(card.one('kind'))?.toLowerCase();
  if (kind && kind !== 'individual') {
    return { skip: `it is a KIND:${kind} card, not a person` };
  }
  const ref = `card ${index + 1} (line ${raw.line})`;
  const p = blankPerson(ref, raw.line);
  for (const e of card.all('email')) pushAll(p.emails, [card.text(e)?.replace(/^mailto:/i, '')]);
  for (const t of card.all('tel')) pushAll(p.phones, [card.text(t)?.replace(/^tel:/i, '')]);
  for (const u of [...card.all('url'), ...card.all('x-socialprofile')])
    pushAll(p.links, [card.uri(u)]);
  const n = card.parts(card.one('n'));
  const fromN = [n[1], n[2], n[0]].filter((x) => x && x.trim()).join(' ');
  const orgs = card.parts(card.one('org'));
  p.org = orgs[0]
    ? orgs.slice(1).some(Boolean)
      ? `${orgs[0]} (${orgs.slice(1).filter(Boolean).join(', ')})`
      : orgs[0]
    : undefined;
  p.name = card.text(card.one('fn')) ?? clean(fromN) ?? p.org ?? p.emails[0] ?? '';
  if (!p.name) return { skip: 'it has no name (no FN or N) and no email' };
  p.role = card.text(card.one('title')) ?? card.text(card.one('role'));
  p.notes =
    card
      .all('note')
      .map((x) => card.text(x))
      .filter(Boolean)
      .join('\n\n') || undefined;
  for (const c of card.all('categories')) pushAll(p.tags, card.list(c));
  const bday = card.text(card.one('bday'));
  // 4.0 dates are written in the basic format (19880402, --0415); the model keeps the
  // extended ISO form everywhere else, so convert.
  if (bday) p.birthday = isoBirthday(bday);
  const adr = card.one('adr');
  if (adr) {
    const a = card.parts(adr);
    p.location =
      clean([a[3], a[4], a[6]].filter((x) => x && x.trim()).join(', ')) ??
      clean(param(adr, 'label').join(','));
  }
  p.howWeMet = card.text(card.one('x-vitrine-how-we-met'));
  if (/^true$/i.test(card.text(card.one('x-vitrine-under-glass')) ?? '')) p.underGlass = true;
  if (/^true$/i.test(card.text(card.one('x-vitrine-owner')) ?? '')) p.isOwner = true;
  p.key = card.text(card.one('uid'));
  for (const r of card.all('related')) {
    const value = card.text(r);
    if (!value) continue;
    const rel: IncomingRelation = {
      kind: param(r, 'x-vitrine-kind')[0] ?? relationKind(param(r, 'type')[0]),
    };
    const strength = Number(param(r, 'x-vitrine-strength')[0]);
    if (strength >= 1 && strength <= 5) rel.strength = strength;
    const since = param(r, 'x-vitrine-since')[0];
    if (since) rel.since = since;
    if (/^mailto:/i.test(value)) rel.email = value.slice(7);
    else if (param(r, 'value')[0]?.toLowerCase() === 'text') rel.name = value;
    else rel.key = value;
    p.relations.push(rel);
  }
  // Apple (3.0): item1.X-ABRELATEDNAMES:Anna with item1.X-ABLabel:_$!<Spouse>!$_
  for (const r of card.all('x-abrelatednames')) {
    const name = card.text(r);
    if (!name) continue;
    const label = r.group
      ? card.props.find((q) => q.name === 'x-ablabel' && q.group === r.group)
      : undefined;
    p.relations.push({ kind: relationKind(appleLabel(card.text(label))), name });
  }
  return p;
}

/** Parse a file of vCards, card by card (yields progress; returns the people). */
export function* parseVcard(text: string, name: string): ParseSteps {
  const cards = cardsOf(text);
  if (!cards.length) {
    throw new VitrineError(
      `${name} has no vCards in it (no line reads BEGIN:VCARD). Export contacts as vCard (.vcf) and import that.`,
    );
  }
  const out: ParsedContacts = { people: [], skipped: [], warnings: [] };
  for (let i = 0; i < cards.length; i++) {
    const card = cards[i]!;
    const ref = `card ${i + 1} (line ${card.line})`;
    if (!card.complete) {
      out.skipped.push({
        ref,
        line: card.line,
        reason: 'it is cut short (no END:VCARD); export the contacts again to get it',
      });
      continue;
    }
    const props: Prop[] = [];
    for (const l of card.lines) {
      const prop = parseProp(l.text);
      // Photos and keys can be large base64 blocks; Vitrine keeps none.
      if (prop && !DROP.has(prop.name)) props.push(prop);
    }
    const person = cardToPerson(new CardReader(props), card, i);
    if ('skip' in person) out.skipped.push({ ref, line: card.line, reason: person.skip });
    else out.people.push(person);
    if (i % 500 === 499) yield { phase: 'read', done: i + 1, total: cards.length };
  }
  // A Vitrine export says who the owner is and carries their ties explicitly; any other
  // address book is the owner's own, so everyone in it is someone the owner knows.
  if (!out.people.some((p) => p.isOwner)) {
    for (const p of out.people) p.ownerTie = { kind: 'acquaintance' };
  }
  yield { phase: 'read', done: cards.length, total: cards.length };
  return out;
}

const RELATED_TYPES: Record<string, string> = {
  colleague: 'colleague',
  friend: 'friend',
  family: 'kin',
  acquaintance: 'acquaintance',
};

/** RFC 6350 §3.4 text escaping: backslash, comma, semicolon, and any line break as `\n`. */
export function escapeText(s: string): string {
  return s.replace(/\r\n|[\\,;\r\n]/g, (c) =>
    c === '\r\n' || c === '\r' || c === '\n' ? '\\n' : `\\${c}`,
  );
}

/** RFC 6868 parameter value, quoted when it holds `,`, `;` or `:`. */
function paramValue(s: string): string {
  const v = s
    .replace(/\^/g, '^^')
    .replace(/\r\n|\r|\n/g, '^n')
    .replace(/"/g, "^'");
  return /[,;:]/.test(v) ? `"${v}"` : v;
}

/** A URI value: written as is, minus any line break (it would end the line). */
const uriValue = (s: string) => s.replace(/[\r\n]+/g, '');

/**
 * Fold a content line at 75 octets (RFC 6350 §3.2): continuation lines start with a
 * space and carry 74 octets; a UTF-8 sequence (or a surrogate pair) is never split.
 */
export function foldLine(line: string): string {
  let octets = 0;
  for (let i = 0; i < line.length && octets <= 75; i++) octets += utf8Length(line.charCodeAt(i));
  if (octets <= 75) return line;
  const out: string[] = [];
  let from = 0;
  let used = 0;
  let limit = 75;
  for (let i = 0; i < line.length;) {
    const code = line.codePointAt(i)!;
    const units = code > 0xffff ? 2 : 1;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (used + bytes > limit) {
      out.push(line.slice(from, i));
      from = i;
      used = 0;
      limit = 74;
    }
    used += bytes;
    i += units;
  }
  out.push(line.slice(from));
  return out.join('\r\n ');
}

function utf8Length(code: number): number {
  // Surrogate halves count 2 each, so a pair counts 4, like its UTF-8 form.
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdfff ? 2 : 3;
}

/** The notebook's people (not the trash) as vCard 4.0, ties as RELATED on their `from` card. */
export function exportVcard(nb: Notebook): string {
  const tiesFrom = new Map<string, ReturnType<typeof listTies>[number][]>();
  for (const t of listTies(nb)) {
    let list = tiesFrom.get(t.from);
    if (!list) tiesFrom.set(t.from, (list = []));
    list.push(t);
  }
  const out: string[] = [];
  const line = (s: string) => out.push(foldLine(s));
  const textProp = (name: string, v: string | undefined) => {
    if (v) line(`${name}:${escapeText(v)}`);
  };
  for (const p of listPeople(nb)) {
    line('BEGIN:VCARD');
    line('VERSION:4.0');
    line(`UID:${uriValue(p.id)}`);
    line(`FN:${escapeText(p.name)}`);
    if (p.org) line(`ORG:${escapeText(p.org)}`);
    textProp('TITLE', p.role);
    for (const e of p.emails) textProp('EMAIL', e);
    for (const t of p.phones) textProp('TEL', t);
    for (const u of p.links) if (uriValue(u)) line(`URL:${uriValue(u)}`);
    if (p.tags.length) line(`CATEGORIES:${p.tags.map(escapeText).join(',')}`);
    if (p.birthday) {
      // 4.0 dates are in the basic format (19880402, --0415); free text ("early May") is
      // legal as VALUE=text.
      if (/^(\d{4}|--)-?\d{2}-?\d{2}$/.test(p.birthday)) {
        line(`BDAY:${p.birthday.startsWith('--') ? '--' : ''}${p.birthday.replace(/-/g, '')}`);
      } else line(`BDAY;VALUE=text:${escapeText(p.birthday)}`);
    }
    if (p.location) line(`ADR:;;;${escapeText(p.location)};;;`);
    textProp('NOTE', p.notes || undefined);
    textProp('X-VITRINE-HOW-WE-MET', p.howWeMet);
    if (p.underGlass) line('X-VITRINE-UNDER-GLASS:TRUE');
    if (p.id === nb.ownerId) line('X-VITRINE-OWNER:TRUE');
    for (const t of tiesFrom.get(p.id) ?? []) {
      const params = [
        // Own keys only: a kind named "constructor" or "__proto__" is a custom kind.
        `TYPE=${paramValue(Object.hasOwn(RELATED_TYPES, t.kind) ? RELATED_TYPES[t.kind]! : 'contact')}`,
        `X-VITRINE-KIND=${paramValue(t.kind)}`,
        `X-VITRINE-STRENGTH=${t.strength}`,
      ];
      if (t.since) params.push(`X-VITRINE-SINCE=${paramValue(t.since)}`);
      line(`RELATED;${params.join(';')}:${uriValue(t.to)}`);
    }
    line('END:VCARD');
  }
  return out.length ? out.join('\r\n') + '\r\n' : '';
}
