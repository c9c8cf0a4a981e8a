/**
 * Small helpers shared by the analysis functions: a seeded random source, a string hash,
 * date arithmetic and the wording used in explanations.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/**
 * Mulberry32, a small seedable PRNG (Tommy Ettinger, public domain): the same seed gives
 * the same sequence on every device, which makes Louvain's random node order reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units, in base 36. */
export function fnv1a36(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * Milliseconds since the epoch for an ISO date, or `undefined` when missing or invalid.
 * The two shapes the notebook writes (`2025-12-07` and `toISOString()`'s
 * `2025-12-07T09:30:00.000Z`) are read digit by digit — `Date.parse` was a tenth of the
 * analysis at 10,000 people — and anything else goes to `Date.parse`, which the fast path
 * agrees with exactly (tested).
 */
export function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const fast = parseCanonical(iso);
  if (fast !== undefined) return fast;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseCanonical(s: string): number | undefined {
  const long = s.length === 24;
  if (!(long || s.length === 10) || s[4] !== '-' || s[7] !== '-') return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  // Date.UTC reads years 0–99 as 1900–1999; leave those to Date.parse.
  if (year < 100 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return undefined;
  if (!long) return Date.UTC(year, month - 1, day);
  if (s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.' || s[23] !== 'Z') {
    return undefined;
  }
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  const ms = digitsAt(s, 20, 3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) {
    return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The decimal number in `s[at … at + count)`, or -1 when that is not all digits. */
function digitsAt(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Code-unit order, the same on every device (unlike `localeCompare`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * "Ana", "Ana and Bo", "Ana, Bo and 3 others": the first two of `names`, out of `total`
 * people in all.
 */
export function nameList(names: readonly string[], total = names.length): string {
  const shown = names.slice(0, 2);
  const rest = total - shown.length;
  if (rest <= 0) return shown.join(' and ');
  return `${shown.join(', ')} and ${rest} ${rest === 1 ? 'other' : 'others'}`;
}

/** "1 person", "3 people". */
export function people(count: number): string {
  return `${count} ${count === 1 ? 'person' : 'people'}`;
}

/** Round for display in sentences: 7.2, 0.18. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
