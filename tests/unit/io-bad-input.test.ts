/**
 * Bad input: each file is either read correctly or refused with a message naming the file,
 * the line (where there is one) and what to do — and a refused import changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { VitrineError, listPeople } from '../../src/model/index.ts';
import { importBytes, planImport } from '../../src/io/formats.ts';
import { saveNotebookFile } from '../../src/io/vitrine-file.ts';
import { fixture, freshNotebook, person, stateVector, utf16le } from '../fixtures/io/helpers.ts';

/** Import must throw a VitrineError matching `message`, leaving the notebook as it was. */
function refused(bytes: Uint8Array, name: string, message: RegExp): string {
  const nb = freshNotebook();
  importBytes(nb, fixture('Connections-2019.csv'), 'earlier.csv');
  const before = stateVector(nb);
  const people = listPeople(nb).length;
  let error: unknown;
  try {
    importBytes(nb, bytes, name);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(VitrineError);
  const text = (error as Error).message;
  expect(text).toMatch(message);
  expect(text).toContain(name);
  expect(stateVector(nb)).toBe(before);
  expect(listPeople(nb)).toHaveLength(people);
  return text;
}

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
  0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

function randomBytes(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('refused with a message, notebook unchanged', () => {
  it('an empty file', () => {
    refused(new Uint8Array(), 'Connections.csv', /is empty: there is nothing to import\. Check/);
  });

  it('a file of blank lines', () => {
    refused(new TextEncoder().encode('\n\r\n  \n'), 'contacts.csv', /only blank space/);
  });

  it('a PNG image, a PDF, an Excel workbook', () => {
    refused(PNG, 'photo.csv', /is a PNG image, not a contacts file\. Export your contacts as CSV/);
    refused(PDF, 'contacts.pdf', /is a PDF document.*Export your contacts as CSV or vCard/);
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]);
    refused(xlsx, 'Connections.xlsx', /ZIP archive.*save the sheet as "CSV UTF-8"/);
  });

  it('random binary', () => {
    refused(randomBytes(4096), 'data.bin', /looks like a binary file, not contacts\. Export CSV/);
  });

  it('a CSV whose header has none of the columns we read (names the line and the columns to use)', () => {
    const msg = refused(fixture('unknown-columns.csv'), 'invoices.csv', /none of the columns/);
    expect(msg).toContain('line 2 reads "Invoice,Amount,Due,Customer Ref"');
    expect(msg).toMatch(
      /Export "Google CSV" from Google Contacts or Connections\.csv from LinkedIn/,
    );
  });

  it('a row with broken quoting (names the line; nothing from the file is imported)', () => {
    const msg = refused(
      fixture('linkedin-broken-quote.csv'),
      'Connections.csv',
      /line 6: a quoted field is never closed/,
    );
    expect(msg).toMatch(
      /Nothing was imported\. Fix that line in a text editor, or export the file again/,
    );
  });

  it('text right after a closing quote', () => {
    const text =
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n' +
      'Ana,Lima,,,"Quartzo" Labs,CEO,07 Dec 2025\n' +
      'Rui,Costa,,,Quartzo,CTO,08 Dec 2025\n';
    refused(
      new TextEncoder().encode(text),
      'Connections.csv',
      /line 2: there is text right after a closing quote/,
    );
  });

  it('JSON that is not a Vitrine notebook, and a .vitrine notebook given to import', () => {
    refused(new TextEncoder().encode('{"contacts": []}'), 'export.json', /not a Vitrine notebook/);
    refused(saveNotebookFile(freshNotebook()), 'mine.vitrine', /use "vitrine merge"/);
  });

  it('a file in no format we know', () => {
    refused(
      new TextEncoder().encode('Dear Ana,\nsee you on Friday.\n'),
      'letter.md',
      /not in a format Vitrine can import\. Supported: .*LinkedIn/,
    );
  });

  it('a forced format that does not fit the file', () => {
    const nb = freshNotebook();
    const before = stateVector(nb);
    expect(() => importBytes(nb, fixture('contacts-v3.vcf'), 'contacts.vcf', 'linkedin')).toThrow(
      /contacts\.vcf is not a LinkedIn connections export.*Import the Connections\.csv file/,
    );
    expect(stateVector(nb)).toBe(before);
  });
});

describe('read correctly', () => {
  it('a CSV saved as UTF-16 LE with a byte-order mark (Excel "Unicode text")', () => {
    const text = new TextDecoder().decode(fixture('Connections.csv'));
    const nb = freshNotebook();
    const { format, summary } = importBytes(nb, utf16le(text), 'Connections.csv');
    expect(format).toBe('linkedin');
    expect(summary.added).toBe(6);
    expect(person(nb, 'Jürgen Müller').org).toBe('Müller & Söhne, GmbH');
    expect(person(nb, 'Mei Chen 陈').role).toBe('Design Lead');
  });

  it('tab-separated UTF-16 without a byte-order mark', () => {
    const text = new TextDecoder().decode(fixture('google-semicolon.csv')).replace(/;/g, '\t');
    const nb = freshNotebook();
    importBytes(nb, utf16le(text).subarray(2), 'contacts.txt');
    expect(person(nb, 'Jürgen Müller').tags).toEqual(['Suppliers']);
  });

  it('a CSV in Windows-1252 (Excel "CSV" on Windows)', () => {
    const text =
      'First Name,Last Name,E-mail 1 - Value,Organization Name\nJosé,Núñez,jose@example.es,Café Ñandú\n';
    const bytes = new Uint8Array([...text].map((c) => c.charCodeAt(0)));
    const nb = freshNotebook();
    importBytes(nb, bytes, 'contacts.csv');
    expect(person(nb, 'José Núñez').org).toBe('Café Ñandú');
  });

  it('a semicolon-separated CSV with a UTF-8 byte-order mark and CRLF line ends', () => {
    const text =
      '\uFEFFFirst Name;Last Name;URL;Email Address;Company;Position;Connected On\r\n' +
      'Ana;Lima;;;"Quartzo; Labs";CEO;07 Dec 2025\r\n';
    const nb = freshNotebook();
    const { format } = importBytes(nb, new TextEncoder().encode(text), 'Connections.csv');
    expect(format).toBe('linkedin');
    expect(person(nb, 'Ana Lima').org).toBe('Quartzo; Labs');
  });

  it('a row with more fields than the header is skipped with its line; the rest is imported', () => {
    const text =
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n' +
      'Ana,Lima,,,Quartzo, Labs,CEO,07 Dec 2025\n' +
      'Rui,Costa,,,Quartzo,CTO,08 Dec 2025\n';
    const plan = planImport(freshNotebook(), new TextEncoder().encode(text), 'Connections.csv');
    expect(plan.added.map((a) => a.person.name)).toEqual(['Rui Costa']);
    expect(plan.skipped).toEqual([
      { ref: 'line 2', line: 2, reason: expect.stringContaining('8 fields but the header has 7') },
    ]);
  });

  it('a file with only a header plans nothing', () => {
    const plan = planImport(
      freshNotebook(),
      new TextEncoder().encode(
        'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n',
      ),
      'Connections.csv',
    );
    expect(plan.added).toEqual([]);
    expect(plan.skipped).toEqual([]);
  });
});
