/**
 * Mail dates as real mailers write them (RFC 5322 §3.3 and §4.3's obsolete forms), read by
 * the strict clock in src/time/mail-date.ts — and what it refuses.
 */
import { describe, expect, it } from 'vitest';
import { parseMailDate } from '../../src/time/mail-date.ts';

const iso = (s: string | undefined) => {
  const ms = parseMailDate(s);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('parseMailDate', () => {
  it.each([
    ['Tue, 3 Mar 2026 10:00:00 +0100', '2026-03-03T09:00:00.000Z'],
    ['Tue, 03 Mar 2026 10:00:00 -0700 (PDT)', '2026-03-03T17:00:00.000Z'],
    // no day name, no seconds
    ['3 Mar 2026 10:00 +0000', '2026-03-03T10:00:00.000Z'],
    // two-digit years: 00–49 → 20xx, 50–99 → 19xx; three digits + 1900
    ['Wed, 4 Mar 26 10:00:00 +0000', '2026-03-04T10:00:00.000Z'],
    ['Fri, 31 Dec 99 23:59:59 +0000', '1999-12-31T23:59:59.000Z'],
    ['1 Jan 101 00:00:00 +0000', '2001-01-01T00:00:00.000Z'],
    // obsolete named zones
    ['Tue, 3 Mar 2026 10:00:00 EST', '2026-03-03T15:00:00.000Z'],
    ['Tue, 3 Mar 2026 10:00:00 PDT', '2026-03-03T17:00:00.000Z'],
    ['Tue, 3 Mar 2026 10:00:00 GMT', '2026-03-03T10:00:00.000Z'],
    ['Tue, 3 Mar 2026 10:00:00 UT', '2026-03-03T10:00:00.000Z'],
    // military letters and unknown zones are "-0000" (RFC 5322 §4.3)
    ['Tue, 3 Mar 2026 10:00:00 Q', '2026-03-03T10:00:00.000Z'],
    ['Tue, 3 Mar 2026 10:00:00 CEST', '2026-03-03T10:00:00.000Z'],
    // no zone at all
    ['Tue, 3 Mar 2026 10:00:00', '2026-03-03T10:00:00.000Z'],
    // comments, nested, and extra spaces; a comment standing in for the day name
    ['  Tue,  3  Mar  2026  10:00:00  +0200  (CEST (summer))', '2026-03-03T08:00:00.000Z'],
    ['(Tuesday) 3 Mar 2026 10:00:00 +0000', '2026-03-03T10:00:00.000Z'],
    // GMT+hhmm, +hh:mm, whole month and day names, lower case, day name without comma
    ['Tue, 3 Mar 2026 10:00:00 GMT+0100', '2026-03-03T09:00:00.000Z'],
    ['Tue, 3 Mar 2026 10:00:00 +01:00', '2026-03-03T09:00:00.000Z'],
    ['Tuesday, 3 March 2026 10:00:00 +0000', '2026-03-03T10:00:00.000Z'],
    ['tue 3 mar 2026 10:00:00 +0000', '2026-03-03T10:00:00.000Z'],
    ['Tue, 03-Mar-26 10:00:00 +0000', '2026-03-03T10:00:00.000Z'],
    // single-digit hour, leap second
    ['Tue, 3 Mar 2026 9:05:00 +0000', '2026-03-03T09:05:00.000Z'],
    ['Wed, 31 Dec 2025 23:59:60 +0000', '2025-12-31T23:59:59.000Z'],
    // asctime, as mbox "From " lines write it, with and without a zone
    ['Tue Mar  3 10:00:00 2026', '2026-03-03T10:00:00.000Z'],
    ['Tue Mar 03 10:00:00 +0100 2026', '2026-03-03T09:00:00.000Z'],
    ['Tue Mar  3 10:00:00 2026 -0500', '2026-03-03T15:00:00.000Z'],
    // ISO 8601 with a zone
    ['2026-03-03T10:00:00Z', '2026-03-03T10:00:00.000Z'],
    // 29 February of a leap year
    ['Sat, 29 Feb 2020 12:00:00 +0000', '2020-02-29T12:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['<HR>'],
    ['Wed, 15 Dec 2010    59:10 -0500'], // minute in the hour's place
    ['Mon, 30 Feb 2026 10:00:00 +0000'],
    ['Sun, 29 Feb 2026 10:00:00 +0000'],
    ['Tue, 3 Foo 2026 10:00:00 +0000'],
    ['Tue, 3 Mar 2026 24:00:00 +0000'],
    ['Tue, 3 Mar 2026 10:60:00 +0000'],
    ['Tue, 3 Mar 2026 10:00:61 +0000'],
    ['Tue, 32 Mar 2026 10:00:00 +0000'],
    ['Tue, 3 Mar 20266 10:00:00 +0000'],
    ['Pn, 29 paX 2007 21:13:00 +0100'],
    ['2026-02-30T10:00:00Z'],
    ['2026-03-03T10:00:00'], // zoneless ISO stays refused, as everywhere in Vitrine
    ['x'.repeat(1_000_000)],
  ])('refuses %j', (text) => {
    expect(parseMailDate(text)).toBeUndefined();
  });

  it('never throws on anything', () => {
    for (const s of ['(', ')', '((((', '\\', '+', '-99999', 'Mar', '1 Mar', '1 Mar 2026', 'Tue,']) {
      expect(() => parseMailDate(s)).not.toThrow();
    }
    expect(parseMailDate(undefined)).toBeUndefined();
  });
});
