/**
 * The vCard reader against real files written by other address books (tests/fixtures/io/real,
 * see its README for where each comes from): for each, what a person would expect to see.
 * Then whole classes of input built from those files: every line-ending style, legacy 8-bit
 * encodings without a CHARSET, and very long folded values.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importBytes } from '../../src/io/formats.ts';
import { parseVcard } from '../../src/io/vcard.ts';
import { runSteps } from '../../src/io/plan.ts';
import { readText } from '../../src/io/text.ts';
import { listPeople, type Person } from '../../src/model/index.ts';
import { concatBytes } from '../../src/sync/bytes.ts';
import { fixture, freshNotebook, person } from '../fixtures/io/helpers.ts';

const REAL = fileURLToPath(new URL('../fixtures/io/real/', import.meta.url));
const realFiles = readdirSync(REAL).filter((f) => f.endsWith('.vcf'));

/** Import one real file into a fresh notebook; the people it added (owner excluded). */
function load(file: string, bytes = fixture(`real/${file}`)) {
  const nb = freshNotebook();
  const { summary } = importBytes(nb, bytes, file);
  const people = listPeople(nb).filter((p) => p.id !== nb.ownerId);
  return { nb, summary, people };
}

/** Parse text straight to incoming people (no matching), to compare readings. */
function read(bytes: Uint8Array, name = 'x.vcf') {
  const keep = ['name', 'org', 'role', 'emails', 'phones', 'links', 'notes', 'tags', 'location'];
  return runSteps(parseVcard(readText(bytes, name), name)).people.map((p) =>
    Object.fromEntries(keep.map((k) => [k, p[k as keyof typeof p]])),
  );
}

const LICENCE_NOTE =
  'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY';

describe('real vCard 2.1 files', () => {
  it('Android: quoted-printable UTF-8 names and notes across soft line breaks, photo dropped', () => {
    const { nb, summary, people } = load('android-2.1-ezvcard.vcf');
    expect(summary.added).toBe(6);
    expect(summary.skipped).toEqual([]);
    const bob = people.find((p) => p.emails.includes('bob@company.com'))!;
    expect(bob.name).toBe('Ñ Ñ Ñ Ñ');
    expect(bob.org).toBe('ÑÑÑÑÑÑÑÑÑÑÑÑ');
    expect(bob.links).toEqual(['https://www.company.com', 'http://www.company.com']);
    const eleven = person(nb, 'Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ');
    expect(eleven.phones).toEqual(['123456', '234567', '3456789', '45678901']);
    expect(eleven.notes).toContain('Ñ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ');
    expect(eleven.notes).not.toMatch(/=|\uFFFD/);
    expect(people.find((p) => p.name === 'ÑÑÑÑ')!.phones).toEqual(['55556666']);
  });

  it('Android (complicated): both notes whole, QP soft breaks joined, \\; kept inside ORG', () => {
    const { people } = load('android-2.1-complicated.vcf');
    expect(people).toHaveLength(1);
    const joe = people[0]!;
    expect(joe.name).toBe('Joe Due');
    expect(joe.role).toBe('Shrimp Man');
    expect(joe.org).toBe('Gump Shrimp Co. (Sales Dept.;Manager, Fish keeper)');
    expect(joe.emails).toEqual(['forrestgump@walladalla.com', 'cell@example.com']);
    expect(joe.phones).toContain('(111) 555-1212');
    expect(joe.notes).toBe(
      "The following note is the example from RFC 2045.\n\nNow's the time for all folk to come to the aid of their country.",
    );
  });

  it('Shift_JIS feature phone: raw 8-bit and quoted-printable values in their declared CHARSET', () => {
    const { people } = load('android-2.1-shift-jis.vcf');
    expect(people.map((p) => p.name)).toEqual(['安藤 ロイド 1']);
    expect(people[0]!.notes).toBe('メモ');
  });

  it('BlackBerry: an unfolded base64 photo ending at a blank line does not swallow the card', () => {
    const { people } = load('blackberry-2.1.vcf');
    expect(people.map((p) => [p.name, p.org, p.phones])).toEqual([
      ['John Doe', 'Acme Solutions', ['+96123456789']],
    ]);
  });

  it('Outlook: a 2.1 NOTE full of commas is read whole, not cut at its first comma', () => {
    const { people } = load('outlook-2.1.vcf');
    const john = people[0]!;
    expect(john.name).toBe('Mr. John Richter James Doe Sr.');
    expect(john.org).toBe('IBM (Accounting)');
    expect(john.role).toBe('Money Counter');
    expect(john.emails).toEqual(['john.doe@ibm.cm']);
    expect(john.phones).toEqual(['(905) 555-1234', '(905) 666-1234']);
    expect(john.links).toEqual(['http://www.ibm.com']);
    expect(john.notes).toMatch(
      /^THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS'' AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, /,
    );
    expect(john.notes).toMatch(/EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE\.$/);
  });

  it('Outlook 2003 and 2007: quoted-printable notes keep their lines, ORG keeps its comma', () => {
    const o3 = load('outlook-2003-2.1.vcf').people[0]!;
    expect(o3.name).toBe('John Doe III');
    expect(o3.org).toBe('Company, The (TheDepartment)');
    expect(o3.emails).toEqual(['jdoe@hotmail.com']);
    expect(o3.links).toEqual(['http://web-page-address.com']);
    expect(o3.notes).toBe('This is the note field!!\nSecond line\n\nThird line is empty');
    const o7 = load('outlook-2007-2.1.vcf').people[0]!;
    expect(o7.name).toBe('Mr. Michael Angstadt Jr.');
    expect(o7.emails).toEqual(['mike.angstadt@gmail.com']);
    expect(o7.phones).toEqual([
      '(111) 555-1111',
      '(111) 555-2222',
      '(111) 555-4444',
      '(111) 555-3333',
    ]);
    expect(o7.notes).toBe(
      "This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\nBut I'm not sure because there's text formatting going on here.\nIt does not preserve the formatting",
    );
  });

  it('a phone export read by KAddressBook: QP values broken mid-address, UTF-8 en dashes', () => {
    const { nb, people } = load('kaddressbook-2.1-qp.vcf');
    expect(read(fixture('real/kaddressbook-2.1-qp.vcf'))).toHaveLength(5);
    // Two of its cards give the same website: Vitrine takes them for one person.
    expect(people).toHaveLength(4);
    const doctor = person(nb, 'Dr. med. Surname Name');
    expect(doctor.role).toBe('Facharzt für Allgemeinmedizin');
    expect(doctor.notes).toBe(
      'Sprechzeiten:\nMo   8–12, 15–18\nDi     8–12\nMi    8–12, 14–15\nDo 14–19\nFr     8–12',
    );
    // The card whose address breaks across lines keeps the URL that follows it.
    expect(person(nb, 'Field after Address broken').links).toEqual(['http://some-webseite.com']);
  });
});

describe('real vCard 3.0 files', () => {
  it('Google: http\\:// URLs, \\" and \\, unescaped; related names become ties only when known', () => {
    const john = load('google-3.0.vcf').people[0]!;
    expect(john.name).toBe('Mr. John Richter, James Doe Sr.');
    expect(john.org).toBe('IBM');
    expect(john.emails).toEqual(['john.doe@ibm.com']);
    expect(john.phones).toEqual(['905-555-1234', '905-666-1234']);
    expect(john.links).toEqual(['http://www.ibm.com']);
    expect(john.notes).toMatch(new RegExp(`^${LICENCE_NOTE}`));
    expect(john.notes).toMatch(/DAMAGE\.\nFavotire Color: Blue$/);
  });

  it('Google with item groups: every labelled email, phone and URL, none escaped', () => {
    const test = load('google-3.0-groups.vcf').people[0]!;
    expect(test.name).toBe('VCard Test');
    expect(test.emails).toContain('customcategory@example.com');
    expect(test.phones).toHaveLength(11);
    expect(test.links).toEqual([1, 2, 3, 4, 5, 6].map((i) => `http://www.example${i}.com`));
    expect(test.org).toBe('TheCompany');
  });

  it('Evolution: \\, and \\; inside folded lines, ORG with units', () => {
    const john = load('evolution-3.0.vcf').people[0]!;
    expect(john.name).toBe('Mr. John Richter, James Doe Sr.');
    expect(john.org).toBe('IBM (Accounting, Dungeon)');
    expect(john.emails).toEqual(['john.doe@ibm.com']);
    expect(john.links).toEqual(['http://www.ibm.com']);
    expect(john.tags).toEqual(['VIP']);
    expect(john.notes).toMatch(new RegExp(`^${LICENCE_NOTE}`));
    expect(john.notes).toContain('SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS');
  });

  it('Thunderbird: CHARSET=UTF-8 in 3.0, \\; and \\n in the note', () => {
    const john = load('thunderbird-3.0.vcf').people[0]!;
    expect(john.name).toBe('John Doe');
    expect(john.org).toBe('TheOrganization (TheDepartment)');
    expect(john.emails).toHaveLength(5);
    expect(john.links).toEqual(['http://www.private-webpage.com', 'http://www.work-webpage.com']);
    expect(john.notes).toBe(
      'This is the notes field.\nSecond Line\n\nFourth Line\nYou can put anything in the "note" field; even curse words.',
    );
  });

  it('iPhone (iOS 5 and iOS 6): lines ending in CR CR LF keep their cards', () => {
    const ios5 = load('iphone-ios5-3.0.vcf').people;
    expect(ios5.map((p) => p.name)).toEqual(['Mr. John Richter James Doe Sr.']);
    expect(ios5[0]!.emails).toEqual(['john.doe@ibm.com']);
    expect(ios5[0]!.phones).toHaveLength(7);
    expect(ios5[0]!.links).toEqual(['http://www.ibm.com']);
    const ios6 = load('iphone-ios6-3.0.vcf').people;
    expect(ios6.map((p) => [p.name, p.org, p.emails, p.phones, p.links])).toEqual([
      [
        'Bob Smith',
        'Smith Auto Repair',
        ['bob@smithauto.com'],
        ['(650) 555-1212'],
        ['https://www.smithauto.com'],
      ],
    ]);
  });

  it('macOS Address Book: grouped URL unescaped, the long note whole', () => {
    const john = load('macos-addressbook-3.0.vcf').people[0]!;
    expect(john.name).toBe('Mr. John Richter,James Doe Sr.');
    expect(john.links).toEqual(['http://www.ibm.com']);
    expect(john.emails).toEqual(['john.doe@ibm.com']);
    expect(john.notes).toMatch(new RegExp(`^${LICENCE_NOTE}`));
  });

  it('ownCloud: a fold that splits a UTF-8 character still gives clean Cyrillic and Greek', () => {
    const card = load('owncloud-3.0-split-utf8.vcf').people[0]!;
    expect(card.name).toBe('βγδεαβγδ1'.repeat(11));
    expect(card.notes).toBe(
      'Длинный комментарий на русском языке, чтобы в результате получилась строка более 70 символов.',
    );
  });
});

describe('real vCard 4.0 files', () => {
  it('FullContact (CardDAV): names, five emails, nine phones, four URLs, first ORG and TITLE', () => {
    const p = load('fullcontact-4.0.vcf').people[0]!;
    expect(p.name).toBe('Prefix FirstName MiddleName LastName Suffix');
    expect(p.emails).toHaveLength(5);
    expect(p.phones).toHaveLength(9);
    expect(p.links).toEqual([
      'http://www.homepage.com',
      'http://www.blog.com',
      'http://www.other.com',
      'http://www.custom.com',
    ]);
    expect(p.org).toBe('Organization1 (Department1)');
    expect(p.role).toBe('Title1');
    expect(p.notes).toBe('Notes line 1\nNotes line 2');
  });

  it('KAddressBook: tel: URIs become numbers, quoted TYPE lists read', () => {
    const p = load('kaddressbook-4.0.vcf').people[0]!;
    expect(p.name).toBe('Sherlock Holmes');
    expect(p.emails).toEqual(['sherlock.holmes@gmail.com', 'detective@sherlockholmes.com']);
    expect(p.phones[1]).toBe('+44-555-555-6666');
    expect(p.links).toEqual(['https://sherlockholmes.com']);
    expect(p.role).toBe('Detective');
    expect(p.tags).toEqual(['FICTION', 'LITERATURE']);
  });

  it("RFC 6350's example and ez-vcard issue 114: LF-only lines, RFC 6868 parameters, \\, in FN", () => {
    const simon = load('rfc6350-4.0.vcf').people[0]!;
    expect([simon.name, simon.org, simon.emails, simon.links, simon.location]).toEqual([
      'Simon Perreault',
      'Viagenie',
      ['simon.perreault@viagenie.ca'],
      ['http://nomis80.org'],
      'Quebec, QC, Canada',
    ]);
    const dummy = load('ezvcard-issue114-4.0.vcf').people[0]!;
    expect([dummy.name, dummy.org, dummy.emails, dummy.location]).toEqual([
      'Dummy, Dummy',
      'Dummy GmbH',
      ['dummy.dummy@dummy.com'],
      'Bad Homburg, Germany',
    ]);
  });
});

/** Every text field of every person, to look for leftovers of the file's syntax. */
const fieldsOf = (p: Person) => [
  p.name,
  p.org ?? '',
  p.role ?? '',
  p.notes,
  p.location ?? '',
  ...p.emails,
  ...p.phones,
  ...p.links,
  ...p.tags,
];

describe('the whole family of real files', () => {
  it.each(realFiles)(
    '%s: every card is read, and no escape, QP code or U+FFFD is left in a value',
    (file) => {
      const { summary, people } = load(file);
      expect(summary.skipped).toEqual([]);
      expect(people.length).toBeGreaterThan(0);
      for (const p of people) {
        for (const v of fieldsOf(p)) {
          expect(v).not.toMatch(/\\[,;:nN\\]|\uFFFD|=[0-9A-F]{2}=|\r/);
        }
      }
    },
  );

  it.each(realFiles)('%s: reads the same with LF, CRLF, CR or CR CR LF line ends', (file) => {
    // Byte for byte (Node's latin1 is ISO-8859-1, unlike TextDecoder's), so any charset survives.
    const lines = Buffer.from(fixture(`real/${file}`))
      .toString('latin1')
      .split(/\r*\n|\r/);
    const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
    const base = read(bytesOf(lines.join('\n')));
    for (const eol of ['\r\n', '\r', '\r\r\n']) {
      expect(read(bytesOf(lines.join(eol)))).toEqual(base);
    }
  });
});

describe('legacy 8-bit files without a CHARSET', () => {
  // Every non-ASCII name, organisation and note that the real files carry and that
  // Windows-1252 can hold: written back as a 2.1 card in that encoding, raw and as
  // quoted-printable, with no CHARSET, as old phones and Outlook in Western Europe do.
  const samples = [
    'Jürgen Müller',
    'Françoise Lefèvre',
    'Ñoño Peña',
    'Facharzt für Allgemeinmedizin',
    'Stra\u00dfe – “quoted” €5',
  ];
  // Windows-1252 bytes 0x80-0x9F (the rest is Latin-1), written out so that the test does
  // not lean on a decoder.
  const HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
  const cp1252 = (s: string) =>
    Uint8Array.from(s, (c) => (HIGH.includes(c) ? 0x80 + HIGH.indexOf(c) : c.charCodeAt(0)));
  const qp = (bytes: Uint8Array) =>
    [...bytes]
      .map((b) =>
        b > 0x7e || b === 0x3d
          ? `=${b.toString(16).toUpperCase().padStart(2, '0')}`
          : String.fromCharCode(b),
      )
      .join('');
  const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

  it.each(samples)('"%s" raw and quoted-printable comes back as written, never as U+FFFD', (s) => {
    const raw = concatBytes(
      ascii('BEGIN:VCARD\r\nVERSION:2.1\r\nFN:'),
      cp1252(s),
      ascii('\r\nNOTE;ENCODING=QUOTED-PRINTABLE:'),
      ascii(qp(cp1252(`${s}, again`))),
      ascii('\r\nEND:VCARD\r\n'),
    );
    expect(read(raw)).toMatchObject([{ name: s, notes: `${s}, again` }]);
    // The same card in a file whose other cards are UTF-8 (an address book merged from
    // two phones): each card comes out right.
    const utf8Card = new TextEncoder().encode(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ærø\r\nEND:VCARD\r\n',
    );
    expect(read(concatBytes(utf8Card, raw)).map((p) => p.name)).toEqual(['Zoë Ærø', s]);
  });

  it('a QP value in ISO-8859-1 without CHARSET decodes as Latin-1, one in UTF-8 as UTF-8', () => {
    const card = (note: string) =>
      ascii(
        `BEGIN:VCARD\r\nVERSION:2.1\r\nN:X;Y\r\nNOTE;QUOTED-PRINTABLE:${note}\r\nEND:VCARD\r\n`,
      );
    expect(read(card('M=FCller'))[0]!.notes).toBe('Müller');
    expect(read(card('M=C3=BCller'))[0]!.notes).toBe('Müller');
  });
});

describe('long folded values', () => {
  // Before the fix, 40,000 folded lines took 96 s and 120,000 about 7 minutes (quadratic);
  // the timeouts are bounds far looser than the linear reader needs, not measurements.
  it('a note folded over 120,000 lines is read whole', { timeout: 20_000 }, () => {
    const folds = 120_000;
    const body = Array.from({ length: folds }, (_, i) => ` w${i % 10},`).join('\r\n');
    const vcf = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long Note\r\nNOTE:start\r\n${body}\r\nEND:VCARD\r\n`;
    const notes = String(read(new TextEncoder().encode(vcf))[0]!.notes);
    expect(notes.length).toBe('start'.length + folds * 'w0,'.length);
    expect(notes.startsWith('startw0,w1,')).toBe(true);
  });

  // 165 s before the fix (each soft break copied the whole line so far).
  it(
    'a 2.1 quoted-printable note over 40,000 soft line breaks is read whole',
    { timeout: 20_000 },
    () => {
      const breaks = 40_000;
      const body = Array.from({ length: breaks }, (_, i) => `w${i % 10}=20=`).join('\r\n');
      const vcf = `BEGIN:VCARD\r\nVERSION:2.1\r\nFN:QP\r\nNOTE;ENCODING=QUOTED-PRINTABLE:${body}\r\nend\r\nEND:VCARD\r\n`;
      const notes = String(read(new TextEncoder().encode(vcf))[0]!.notes);
      expect(notes.length).toBe(breaks * 'w0 '.length + 'end'.length);
      expect(notes.endsWith('w9 end')).toBe(true);
    },
  );
});

describe('cards inside cards', () => {
  const card = (body: string) => `BEGIN:VCARD\r\nVERSION:2.1\r\n${body}END:VCARD\r\n`;

  it("skips a 2.1 AGENT's embedded card but reads the rest of its card", () => {
    const vcf = card(`FN:Boss\r\nAGENT:\r\n${card('FN:Assistant\r\n')}TEL:+1 555 0100\r\n`);
    expect(read(new TextEncoder().encode(vcf))).toMatchObject([
      { name: 'Boss', phones: ['+1 555 0100'] },
    ]);
  });

  it('reads the next card after one cut short without END:VCARD', () => {
    const vcf = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n${card('FN:Next One\r\n')}`;
    const bytes = new TextEncoder().encode(vcf);
    const parsed = runSteps(parseVcard(readText(bytes, 'x.vcf'), 'x.vcf'));
    expect(parsed.people.map((p) => p.name)).toEqual(['Next One']);
    expect(parsed.skipped).toEqual([expect.objectContaining({ line: 1 })]);
  });
});
