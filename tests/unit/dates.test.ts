import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  MAX_CADENCE_DAYS,
  addDays,
  addMonths,
  birthdayProblem,
  cadenceProblem,
  dateProblem,
  daysBetween,
  daysInMonth,
  formatDay,
  formatInstant,
  isBirthday,
  isCadence,
  isIsoDate,
  isIsoDay,
  isLeapYear,
  localDay,
  parseDay,
  parseInstant,
  toTime,
} from '../../src/time/dates.ts';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

describe('one strict clock: days', () => {
  it('accepts every real day of 2024 and 2025 and refuses every impossible day of every month', () => {
    for (const year of [2024, 2025]) {
      for (let month = 1; month <= 12; month++) {
        const last = MONTH_DAYS[month - 1]! + (month === 2 && year === 2024 ? 1 : 0);
        for (let day = 1; day <= last; day++) {
          const iso = `${year}-${pad(month)}-${pad(day)}`;
          expect(parseDay(iso), iso).toBe(Date.UTC(year, month - 1, day));
          expect(formatDay(parseDay(iso)!), iso).toBe(iso);
        }
        // Every day past the end of the month that two digits can write: 30 Feb … 99.
        for (let day = last + 1; day <= 99; day++) {
          const iso = `${year}-${pad(month)}-${pad(day)}`;
          expect(parseDay(iso), iso).toBeUndefined();
          expect(isIsoDate(iso), iso).toBe(false);
          expect(dateProblem(iso, 'The date'), iso).toMatch(/real date like 2025-12-07/);
        }
        expect(parseDay(`${year}-${pad(month)}-00`)).toBeUndefined();
      }
      for (const month of [0, 13, 14, 20, 99]) {
        expect(parseDay(`${year}-${pad(month)}-01`), `month ${month}`).toBeUndefined();
      }
    }
  });

  it('knows the Gregorian leap-year rule, centuries included (1900 no, 2000 yes)', () => {
    const leap = [1600, 1904, 1996, 2000, 2004, 2024, 2400, 9996];
    const common = [1700, 1800, 1900, 2001, 2023, 2025, 2100, 2200, 2300, 9999];
    for (const y of leap) {
      expect(isLeapYear(y), String(y)).toBe(true);
      expect(daysInMonth(y, 2)).toBe(29);
      expect(isIsoDay(`${y}-02-29`), `${y}-02-29`).toBe(true);
    }
    for (const y of common) {
      expect(isLeapYear(y), String(y)).toBe(false);
      expect(daysInMonth(y, 2)).toBe(28);
      expect(isIsoDay(`${y}-02-29`), `${y}-02-29`).toBe(false);
    }
    // Every year of the range against the engine's own calendar arithmetic.
    for (let y = 1000; y <= 9999; y++) {
      const feb29 = new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1;
      expect(isIsoDay(`${y}-02-29`), String(y)).toBe(feb29);
    }
  });

  it('refuses years outside 1000–9999 and anything that is not exactly YYYY-MM-DD', () => {
    for (const s of ['0999-12-31', '0000-01-01', '0099-01-01', '+010000-01-01', '-000001-01-01']) {
      expect(isIsoDate(s), s).toBe(false);
    }
    expect(isIsoDay('1000-01-01')).toBe(true);
    expect(isIsoDay('9999-12-31')).toBe(true);
    const garbage = [
      '',
      ' 2025-12-07',
      '2025-12-07 ',
      '2025-12-7',
      '2025-1-07',
      '25-12-07',
      '2025/12/07',
      '20251207',
      '2025-12-07x',
      '2025-１２-07', // full-width digits
      '２０２５-12-07',
      '2025-12-0７',
      '07 Dec 2025',
      'Dec 7, 2025',
      '12/07/2025',
      'yesterday',
      'NaN',
      'Infinity',
      '2025-12-07T',
      '2025-W49-7',
      '2025-341',
    ];
    for (const s of garbage) {
      expect(toTime(s), JSON.stringify(s)).toBeUndefined();
      expect(isIsoDate(s), JSON.stringify(s)).toBe(false);
    }
    for (const v of [undefined, null, 0, 1733529600000, {}, [], new Date(0)]) {
      expect(isIsoDate(v), String(v)).toBe(false);
    }
  });
});

describe('one strict clock: date-times', () => {
  it('reads every zone form to the same instant', () => {
    const utc = Date.UTC(2025, 11, 7, 9, 30);
    const same = [
      '2025-12-07T09:30Z',
      '2025-12-07T09:30:00Z',
      '2025-12-07T09:30:00.000Z',
      '2025-12-07t09:30:00z',
      '2025-12-07 09:30:00Z',
      '2025-12-07T10:30:00+01:00',
      '2025-12-07T10:30:00+0100',
      '2025-12-07T10:30+01',
      '2025-12-07T04:30:00-05:00',
      '2025-12-07T09:30:00.000000000-00:00',
      '2025-12-08T00:00:00+14:30',
      '2025-12-06T20:30:00-13:00',
    ];
    for (const s of same) expect(parseInstant(s), s).toBe(utc);
    expect(parseInstant('2025-12-07T09:30:00.5Z')).toBe(utc + 500);
    expect(parseInstant('2025-12-07T09:30:00,123456Z')).toBe(utc + 123);
  });

  it('agrees with the engine on every whole-hour offset and random canonical instants', () => {
    for (let h = -23; h <= 23; h++) {
      const zone = `${h < 0 ? '-' : '+'}${pad(Math.abs(h))}:00`;
      const s = `2024-02-29T12:00:00.000${zone}`;
      expect(toTime(s), s).toBe(Date.UTC(2024, 1, 29, 12) - h * 3_600_000);
    }
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const ms = Math.floor((seed / 2 ** 31) * 2.5e11 * 100) - 1e12;
      const iso = new Date(ms).toISOString();
      expect(toTime(iso), iso).toBe(ms);
      expect(formatInstant(ms)).toBe(iso);
    }
  });

  it('refuses a date-time without a zone, impossible times and impossible days under a time', () => {
    const bad = [
      '2025-12-07T09:30',
      '2025-12-07T09:30:00',
      '2025-12-07 09:30:00.000',
      '2025-12-07T24:00:00Z',
      '2025-12-07T23:60:00Z',
      '2025-12-07T23:59:60Z',
      '2025-12-07T9:30:00Z',
      '2025-12-07T09:30:00.Z',
      '2025-12-07T09:30:00.1234567890Z',
      '2025-12-07T09:30:00+24:00',
      '2025-12-07T09:30:00+01:60',
      '2025-12-07T09:30:00+1',
      '2025-12-07T09:30:00+01:0',
      '2025-12-07T09:30:00 +01:00',
      '2025-12-07T09:30:00ZZ',
      '2025-12-07T09:30:00EST',
      '2025-12-07T09:30:00 GMT',
      '2025-02-30T09:30:00Z',
      '2023-02-29T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '0999-12-31T23:59:59Z',
      'Sun, 07 Dec 2025 09:30:00 GMT',
    ];
    for (const s of bad) expect(toTime(s), s).toBeUndefined();
  });
});

describe('one strict clock: birthdays, cadences, arithmetic', () => {
  it('takes a real day or a year-less --MM-DD (29 February allowed) as a birthday', () => {
    for (let month = 1; month <= 12; month++) {
      const last = MONTH_DAYS[month - 1]! + (month === 2 ? 1 : 0);
      for (let day = 1; day <= 31; day++) {
        const s = `--${pad(month)}-${pad(day)}`;
        expect(isBirthday(s), s).toBe(day <= last);
      }
    }
    expect(isBirthday('1988-04-02')).toBe(true);
    for (const s of ['1987-02-29', '--13-01', '--00-10', '--0402', 'early May', '', '04-02']) {
      expect(isBirthday(s), s).toBe(false);
      expect(birthdayProblem(s)).toMatch(/real date like 1988-04-02/);
    }
  });

  it(`takes a cadence of 1 to ${MAX_CADENCE_DAYS} days and nothing else`, () => {
    for (const d of [1, 7, 30, 365, 3650, 1.5]) expect(isCadence(d), String(d)).toBe(true);
    for (const d of [
      0,
      0.5,
      -1,
      -Infinity,
      Infinity,
      NaN,
      3651,
      1e8,
      Number.MAX_VALUE,
      '30',
      null,
    ]) {
      expect(isCadence(d), String(d)).toBe(false);
      expect(cadenceProblem(d)).toMatch(/from 1 to 3650/);
    }
  });

  it('counts whole days, formats UTC and local days, and never throws on the longest cadence', () => {
    const from = parseDay('2024-02-28')!;
    expect(formatDay(addDays(from, 1))).toBe('2024-02-29');
    expect(formatDay(addDays(from, 2))).toBe('2024-03-01');
    expect(daysBetween(from, parseDay('2025-02-28')!)).toBe(366);
    expect(daysBetween(from + 1, from)).toBe(-1);
    expect(formatDay(addDays(parseDay('9999-12-31')!, MAX_CADENCE_DAYS))).toBe('10009-12-28');
    expect(localDay(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05');
    expect(() => formatDay(8.64e15 + DAY_MS)).toThrow(RangeError);
  });

  it('moves by calendar months, ending on the last day of a shorter month', () => {
    const at = (iso: string) => parseInstant(iso)!;
    // 31 January + 1 month: the last day of February, leap or not, time of day kept.
    expect(formatInstant(addMonths(at('2025-01-31T18:30:00Z'), 1))).toBe(
      '2025-02-28T18:30:00.000Z',
    );
    expect(formatInstant(addMonths(at('2024-01-31T00:00:00Z'), 1))).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    expect(formatDay(addMonths(parseDay('2025-03-31')!, 1))).toBe('2025-04-30');
    // Across a year, both ways, and a day every month has is kept.
    expect(formatDay(addMonths(parseDay('2025-12-15')!, 1))).toBe('2026-01-15');
    expect(formatDay(addMonths(parseDay('2026-01-15')!, -1))).toBe('2025-12-15');
    expect(formatDay(addMonths(parseDay('2024-02-29')!, 12))).toBe('2025-02-28');
    expect(formatDay(addMonths(parseDay('2025-05-10')!, 0))).toBe('2025-05-10');
    expect(() => addMonths(Number.NaN, 1)).toThrow(RangeError);
  });
});
