/**
 * Small helpers shared by the analysis functions: a seeded random source, a string hash,
 * date arithmetic and the wording used in explanations.
 */
import { toTime } from '../time/dates.ts';

export { DAY_MS } from '../time/dates.ts';

/**
 * Milliseconds since the epoch for a stored date (a day or a date-time with a zone), or
 * `undefined` when missing or not a real date. The one strict clock (`src/time/dates.ts`):
 * the same answer on every engine, where `Date.parse` rolls 2025-02-30 over to 2 March in
 * V8 and returns NaN in Firefox.
 */
export const parseTime = toTime;

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
