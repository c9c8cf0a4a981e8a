import { describe, expect, it } from 'vitest';
import { mulberry32, parseTime } from '../../src/analysis/util.ts';

const expected = (s: string) => {
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
};

describe('parseTime', () => {
  it('agrees with Date.parse on real dates and refuses the impossible ones it rolls over', () => {
    const real = [
      '2025-12-07',
      '2025-12-07T09:30:00.000Z',
      '2024-02-29',
      '2000-02-29T23:59:59.999Z',
      '2025-12-07T09:30:00.000+01:00',
    ];
    for (const s of real) expect(parseTime(s), s).toBe(expected(s));
    // V8's Date.parse reads 2023-02-29 as 1 March and 2025-04-31 as 1 May; Firefox says NaN.
    const impossible = [
      '2023-02-29',
      '2100-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      '0050-01-01',
      '0099-12-31T00:00:00.000Z',
      '2025-12-07T24:00:00.000Z',
      '2025-12-07T09:60:00.000Z',
      '2025-12-07 09:30',
      '2025-1a-07',
      '07 Dec 2025',
      '',
      'not a date',
    ];
    for (const s of impossible) expect(parseTime(s), s).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
  });

  it('agrees with Date.parse on random canonical timestamps', () => {
    const rng = mulberry32(11);
    for (let i = 0; i < 2000; i++) {
      const iso = new Date(Math.floor(rng() * 8e12 - 1e12)).toISOString();
      expect(parseTime(iso), iso).toBe(Date.parse(iso));
      const day = iso.slice(0, 10);
      expect(parseTime(day), day).toBe(Date.parse(day));
    }
  });
});
