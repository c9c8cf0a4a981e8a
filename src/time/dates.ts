/**
 * One strict clock: every date Vitrine reads, writes, formats or counts with goes through
 * this module (docs/decisions/0008-one-strict-clock.md).
 *
 * Rules, the same on every engine because text is read digit by digit and never handed to
 * `Date.parse` (V8 rolls `2025-02-30` over to 2 March; Firefox returns NaN):
 * - a **day** is `YYYY-MM-DD`, a real calendar day (no 30 February, no month 13), year
 *   {@link MIN_YEAR}–{@link MAX_YEAR};
 * - an **instant** is a day, `T` (or a space), `HH:MM[:SS[.fraction]]` and a zone (`Z`,
 *   `±HH`, `±HHMM` or `±HH:MM`); a date-time without a zone is refused, since engines
 *   disagree on whether it means local time or UTC;
 * - a **birthday** is a day or a year-less `--MM-DD` (29 February allowed);
 * - a **cadence** is a finite number of days from 1 to {@link MAX_CADENCE_DAYS}.
 *
 * Imports nothing, so the model, io, analysis, graph and ui can all use it.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** The earliest year a date may have. */
export const MIN_YEAR = 1000;
/** The latest year a date may have. */
export const MAX_YEAR = 9999;
/** The longest keep-in-touch cadence, in days (ten years). */
export const MAX_CADENCE_DAYS = 3650;

/** Gregorian leap year: every 4th year, except centuries not divisible by 400. */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1–12) of `year`; 0 for a month that does not exist. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) return 0;
  return DAYS_IN_MONTH[month - 1]! + (month === 2 && isLeapYear(year) ? 1 : 0);
}

/** The decimal number in `s[at … at + count)`, or -1 when that is not all ASCII digits. */
function digitsAt(s: string, at: number, count: number): number {
  if (at + count > s.length) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** `YYYY-MM-DD` at the start of `s` as UTC midnight (ms), or `undefined`. */
function dayAt(s: string): number | undefined {
  if (s.length < 10 || s[4] !== '-' || s[7] !== '-') return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  // Date.UTC is pure arithmetic on numbers (no text), so every engine agrees; years
  // below 100 would be read as 19xx, which MIN_YEAR rules out.
  return Date.UTC(year, month - 1, day);
}

/** A day (`YYYY-MM-DD`) as UTC midnight in ms, or `undefined` when it is not a real day. */
export function parseDay(text: string): number | undefined {
  return typeof text === 'string' && text.length === 10 ? dayAt(text) : undefined;
}

/**
 * An instant (a date-time with a zone) in ms since the epoch, or `undefined`. Fractions
 * of a second beyond milliseconds are cut, as every engine does.
 */
export function parseInstant(text: string): number | undefined {
  if (typeof text !== 'string' || text.length < 17 || text.length > 40) return undefined;
  const day = dayAt(text);
  if (day === undefined) return undefined;
  const sep = text[10];
  if ((sep !== 'T' && sep !== 't' && sep !== ' ') || text[13] !== ':') return undefined;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (text[i] === ':') {
    second = digitsAt(text, i + 1, 2);
    if (second < 0 || second > 59) return undefined;
    i += 3;
    if (text[i] === '.' || text[i] === ',') {
      let j = i + 1;
      while (j < text.length && digitsAt(text, j, 1) >= 0) j++;
      const count = j - i - 1;
      if (count < 1 || count > 9) return undefined;
      ms = Math.floor(digitsAt(text, i + 1, Math.min(3, count)) * 10 ** (3 - Math.min(3, count)));
      i = j;
    }
  }
  const zone = text[i];
  let offset: number;
  if ((zone === 'Z' || zone === 'z') && i + 1 === text.length) {
    offset = 0;
  } else if (zone === '+' || zone === '-') {
    const rest = text.length - i - 1;
    const oh = digitsAt(text, i + 1, 2);
    let om = 0;
    if (rest === 4) om = digitsAt(text, i + 3, 2);
    else if (rest === 5 && text[i + 3] === ':') om = digitsAt(text, i + 4, 2);
    else if (rest !== 2) return undefined;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offset = (zone === '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return undefined;
  }
  return day + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms;
}

/**
 * A day or an instant in ms since the epoch (a day counts from UTC midnight), or
 * `undefined` when missing or not a real date. The one parser every reader uses.
 */
export function toTime(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  return text.length === 10 ? dayAt(text) : parseInstant(text);
}

/** Is `value` a real day (`YYYY-MM-DD`)? */
export function isIsoDay(value: unknown): value is string {
  return typeof value === 'string' && parseDay(value) !== undefined;
}

/** Is `value` a real day or an instant with a zone (what the notebook stores for dates)? */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && toTime(value) !== undefined;
}

/** Is `value` a birthday: a real day, or a year-less `--MM-DD` (29 February allowed)? */
export function isBirthday(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value.length === 10) return parseDay(value) !== undefined;
  if (value.length !== 7 || value[0] !== '-' || value[1] !== '-' || value[4] !== '-') {
    return false;
  }
  const month = digitsAt(value, 2, 2);
  const day = digitsAt(value, 5, 2);
  return day >= 1 && day <= daysInMonth(2000 /* a leap year */, month);
}

/**
 * Why `value` is not a date the notebook can store, as a sentence (`what` names the field:
 * "The touch date"), or `undefined` when it is fine.
 */
export function dateProblem(value: unknown, what: string): string | undefined {
  if (isIsoDate(value)) return undefined;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  return `${what} must be a real date like 2025-12-07 (or a date-time with a time zone like 2025-12-07T09:30:00Z); ${shown} is not one.`;
}

/** Why `value` is not a birthday, as a sentence, or `undefined` when it is fine. */
export function birthdayProblem(value: unknown): string | undefined {
  if (isBirthday(value)) return undefined;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  return `A birthday must be a real date like 1988-04-02, or --04-02 without the year; ${shown} is not one.`;
}

/** Is `value` a cadence: a finite number of days from 1 to {@link MAX_CADENCE_DAYS}? */
export function isCadence(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isFinite(value) && value >= 1 && value <= MAX_CADENCE_DAYS
  );
}

/** Why `value` is not a cadence, as a sentence, or `undefined` when it is fine. */
export function cadenceProblem(
  value: unknown,
  what = 'A keep-in-touch cadence',
): string | undefined {
  if (isCadence(value)) return undefined;
  return `${what} must be a number of days from 1 to ${MAX_CADENCE_DAYS} (ten years); ${String(value).slice(0, 40)} is not.`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function checkedDate(ms: number): Date {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new RangeError(`${ms} is not a time Vitrine can show.`);
  return d;
}

/** The UTC day of `ms` (or a `Date`) as `YYYY-MM-DD`. */
export function formatDay(time: number | Date): string {
  const d = checkedDate(typeof time === 'number' ? time : time.getTime());
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `ms` (or a `Date`) as an instant the notebook stores: `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
export function formatInstant(time: number | Date): string {
  const d = checkedDate(typeof time === 'number' ? time : time.getTime());
  return (
    `${formatDay(d)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:` +
    `${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`
  );
}

/** The device's local calendar day of `date` as `YYYY-MM-DD` (what "today" means to a person). */
export function localDay(date: Date): string {
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

/**
 * The calendar day a stored date names, for display and day comparisons: the
 * `YYYY-MM-DD` it starts with (an instant's day in its own zone), or `undefined` when the
 * text is not a real date.
 */
export function dayOf(text: string | undefined): string | undefined {
  return isIsoDate(text) ? text.slice(0, 10) : undefined;
}

/** `time` moved by a whole number of days. */
export function addDays(time: number, days: number): number {
  return time + days * DAY_MS;
}

/** Whole days from `from` to `to` (negative when `to` is earlier), rounded down. */
export function daysBetween(from: number, to: number): number {
  return Math.floor((to - from) / DAY_MS);
}

/**
 * `time` moved by a whole number of calendar months in UTC, keeping the time of day; a day
 * past the end of the target month becomes its last day (31 January + 1 month is 28 or
 * 29 February, never 2 or 3 March).
 */
export function addMonths(time: number, months: number): number {
  const d = checkedDate(time);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  return (
    Date.UTC(year, month - 1, day) +
    (time - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
  );
}
