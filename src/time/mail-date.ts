/**
 * Dates as mail headers write them (RFC 5322 §3.3 and the obsolete forms of §4.3 that real
 * mailers still send), read token by token by the one strict clock — never `Date.parse`
 * (docs/decisions/0008-one-strict-clock.md, 0013-mail-import.md).
 *
 * Accepted:
 * - `[day-name[,]] day month year hour:minute[:second] [zone]`, with comments `( … )`
 *   (nested) and extra spaces anywhere: `Tue, 3 Mar 2026 10:00:00 +0100 (CET)`;
 * - day names and month names in English, abbreviated or whole, any case;
 * - years of four digits, or two (`00`–`49` → 20xx, `50`–`99` → 19xx) and three (+1900);
 * - zones `±HHMM` (also `±HH:MM`, `±HH`), `UT`/`UTC`/`GMT`/`Z`, the US zones
 *   `EST EDT CST CDT MST MDT PST PDT`, `GMT+0100`; military letters and any other
 *   alphabetic zone are read as `-0000` (unknown, taken as UTC) as RFC 5322 §4.3 says;
 *   no zone at all likewise;
 * - the `asctime` form of mbox `From ` lines: `Tue Mar  3 10:00:00 2026 [zone]`;
 * - ISO 8601 with a zone (`2026-03-03T10:00:00Z`), as a few mailers write.
 *
 * Refused (`undefined`): no real calendar day (30 February), hour > 23, minute > 59,
 * second > 60 (a leap second 60 is read as 59), year outside 1000–9999, anything else.
 */
import { MAX_YEAR, MIN_YEAR, daysInMonth, parseInstant } from './dates.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Offsets in minutes of the named zones RFC 5322 §4.3 defines. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

/** The text with comments removed (nested, quoted pairs honoured), commas as spaces. */
function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && depth > 0) {
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c === ',' ? ' ' : c;
  }
  return out;
}

const isDigits = (s: string) => s.length > 0 && /^[0-9]+$/.test(s);

function monthOf(token: string): number {
  const t = token.toLowerCase().replace(/\.$/, '');
  if (t.length < 3) return -1;
  const i = MONTHS.indexOf(t.slice(0, 3));
  // "March", "Mar", "mar." — not "Marxist".
  if (i < 0) return -1;
  const full = [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ][i]!;
  return full.startsWith(t) || t === 'sept' ? i + 1 : -1;
}

const isDayName = (token: string) => {
  const t = token.toLowerCase().replace(/\.$/, '');
  return t.length >= 3 && DAYS.includes(t.slice(0, 3)) && /^[a-z]+$/.test(t);
};

function yearOf(token: string): number {
  if (!isDigits(token)) return -1;
  const n = Number(token);
  if (token.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  if (token.length === 3) return 1900 + n;
  if (token.length === 4) return n;
  return -1;
}

/** `hh:mm[:ss]` as seconds since midnight, or -1. */
function timeOf(token: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(token);
  if (!m) return -1;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Math.min(59, Number(m[3]));
  if (h > 23 || min > 59 || (m[3] !== undefined && Number(m[3]) > 60)) return -1;
  return (h * 60 + min) * 60 + s;
}

/** A zone token's offset in minutes east of UTC, or `undefined` when it is not a zone. */
function zoneOf(token: string): number | undefined {
  let t = token;
  const gmt = /^(?:gmt|utc|ut)([+-].*)$/i.exec(t);
  if (gmt) t = gmt[1]!;
  const num = /^([+-])(\d{2}):?(\d{2})?$/.exec(t);
  if (num) {
    const h = Number(num[2]);
    const m = num[3] === undefined ? 0 : Number(num[3]);
    if (h > 23 || m > 59) return undefined;
    return (num[1] === '-' ? -1 : 1) * (h * 60 + m);
  }
  if (/^[+-]\d{1,4}$/.test(t)) {
    // "+100", "-5": a sloppy offset; read as hours when short, as HMM when three digits.
    const sign = t[0] === '-' ? -1 : 1;
    const d = t.slice(1);
    const h = d.length <= 2 ? Number(d) : Number(d.slice(0, d.length - 2));
    const m = d.length <= 2 ? 0 : Number(d.slice(-2));
    if (h > 23 || m > 59) return undefined;
    return sign * (h * 60 + m);
  }
  const named = ZONES[t.toLowerCase()];
  if (named !== undefined) return named;
  // Military letters and any other alphabetic zone: unknown, "-0000" (RFC 5322 §4.3).
  if (/^[a-z]{1,5}$/i.test(t)) return 0;
  return undefined;
}

function build(
  year: number,
  month: number,
  day: number,
  seconds: number,
  zone: number,
): number | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  // Date.UTC on numbers only: every engine computes it alike.
  return Date.UTC(year, month - 1, day) + seconds * 1000 - zone * 60_000;
}

/**
 * A mail date (a `Date:` header, the date after a `Received:` header's `;`, or an mbox
 * `From ` line's date) in ms since the epoch, or `undefined` when it cannot be read.
 */
export function parseMailDate(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const raw = text.trim();
  if (!raw || raw.length > 200) return undefined;
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(raw)) return parseInstant(raw);
  const tokens = stripComments(raw)
    .replace(/(\d)-([a-z]{3,9})-(\d)/gi, '$1 $2 $3') // "03-Mar-26"
    .split(/\s+/)
    .filter(Boolean);
  let i = 0;
  if (tokens[i] && isDayName(tokens[i]!)) i++;
  let day: number;
  let month: number;
  let year: number;
  let seconds: number;
  if (tokens[i] && monthOf(tokens[i]!) > 0) {
    // asctime: "Mar  3 10:00:00 2026" (zone before or after the year, or none).
    month = monthOf(tokens[i++]!);
    if (!isDigits(tokens[i] ?? '') || tokens[i]!.length > 2) return undefined;
    day = Number(tokens[i++]);
    seconds = timeOf(tokens[i++] ?? '');
    if (seconds < 0) return undefined;
    let zone = 0;
    const maybeZone = tokens[i] !== undefined ? zoneOf(tokens[i]!) : undefined;
    if (maybeZone !== undefined && !isDigits(tokens[i]!)) {
      zone = maybeZone;
      i++;
    }
    year = yearOf(tokens[i++] ?? '');
    if (year < 0) return undefined;
    if (tokens[i] !== undefined) {
      const z = zoneOf(tokens[i]!);
      if (z !== undefined) zone = z;
    }
    return build(year, month, day, seconds, zone);
  }
  if (!isDigits(tokens[i] ?? '') || tokens[i]!.length > 2) return undefined;
  day = Number(tokens[i++]);
  month = monthOf(tokens[i++] ?? '');
  if (month < 0) return undefined;
  year = yearOf(tokens[i++] ?? '');
  if (year < 0) return undefined;
  // Time: "10:00:00", or "10:00", or written apart "10 : 00" by some old gateways.
  let t = tokens[i++] ?? '';
  if (/^\d{1,2}$/.test(t) && tokens[i] === ':' && tokens[i + 1]) {
    t = `${t}:${tokens[i + 1]}`;
    i += 2;
  }
  seconds = timeOf(t);
  if (seconds < 0) return undefined;
  let zone = 0;
  if (tokens[i] !== undefined) {
    const z = zoneOf(tokens[i]!);
    // A token after the time that is not a zone is noise some mailers add; read as -0000.
    if (z !== undefined) zone = z;
  }
  return build(year, month, day, seconds, zone);
}
