/** Each importer on realistic fixtures: what a person sees after importing their export. */
import { describe, expect, it } from 'vitest';
import { listPeople, listTies } from '../../src/model/index.ts';
import { detectFormat, importBytes, planImport } from '../../src/io/formats.ts';
import { linkedInDate } from '../../src/io/linkedin.ts';
import { fixture, freshNotebook, person, tieBetween } from '../fixtures/io/helpers.ts';

describe('LinkedIn Connections.csv', () => {
  it('finds the header after the Notes preamble and ties everyone to the owner since the connection date', () => {
    const nb = freshNotebook();
    const { format, summary } = importBytes(nb, fixture('Connections.csv'), 'Connections.csv');
    expect(format).toBe('linkedin');
    expect(summary.added).toBe(6);
    const ana = person(nb, 'Ana Lima');
    expect(ana.org).toBe('Quartzo Labs');
    expect(ana.role).toBe('Head of Partnerships');
    expect(ana.links).toEqual(['https://www.linkedin.com/in/ana-lima-4b2a1']);
    expect(tieBetween(nb, nb.ownerId!, ana.id)?.since).toBe('2025-12-07');
    const jurgen = person(nb, 'Jürgen Müller');
    expect(jurgen.org).toBe('Müller & Söhne, GmbH');
    expect(jurgen.emails).toEqual(['juergen.mueller@example.de']);
    expect(person(nb, 'Priya Raman').role).toBe('Director, Clinical Ops');
    expect(listTies(nb)).toHaveLength(6);
  });

  it('skips a row with no name and keeps a row with an unreadable date, saying so with line numbers', () => {
    const plan = planImport(freshNotebook(), fixture('Connections.csv'), 'Connections.csv');
    expect(plan.skipped).toEqual([
      expect.objectContaining({ line: 9, reason: expect.stringContaining('no name') }),
    ]);
    expect(plan.warnings).toEqual([
      expect.objectContaining({ line: 11, reason: expect.stringContaining('sometime in 2020') }),
    ]);
    const sam = plan.ties.find(
      (t) => 'added' in t.b && plan.added[t.b.added]!.person.name === 'Sam Okafor',
    );
    expect(sam).toBeDefined();
    expect(sam!.since).toBeUndefined();
  });

  it('reads the older export without a URL column', () => {
    const nb = freshNotebook();
    const { summary } = importBytes(nb, fixture('Connections-2019.csv'), 'Connections-2019.csv');
    expect(summary.added).toBe(2);
    expect(person(nb, 'Hugo Bernard').emails).toEqual(['hugo.bernard@example.fr']);
    expect(tieBetween(nb, nb.ownerId!, person(nb, 'Hugo Bernard').id)?.since).toBe('2018-06-05');
  });

  it('reads a header with extra columns it does not know, ignoring them', () => {
    const nb = freshNotebook();
    const { format, summary } = importBytes(
      nb,
      fixture('linkedin-extra-columns.csv'),
      'linkedin-extra-columns.csv',
    );
    expect(format).toBe('linkedin');
    expect(summary.added).toBe(2);
    expect(person(nb, 'Noor Haddad').org).toBe('Cedar Ventures');
  });

  it('parses LinkedIn dates strictly', () => {
    expect(linkedInDate('07 Dec 2025')).toBe('2025-12-07');
    expect(linkedInDate('7 Sep 2021')).toBe('2021-09-07');
    expect(linkedInDate('2024-02-29')).toBe('2024-02-29');
    expect(linkedInDate('29 Feb 2023')).toBeUndefined();
    expect(linkedInDate('31 Apr 2023')).toBeUndefined();
    expect(linkedInDate('Dec 2025')).toBeUndefined();
    expect(linkedInDate('07 Foo 2025')).toBeUndefined();
  });
});

describe('Google Contacts CSV', () => {
  it('reads the current layout: labels to tags, multi-values, address, birthday, relations to ties', () => {
    const nb = freshNotebook();
    const { format, summary } = importBytes(nb, fixture('google-contacts.csv'), 'contacts.csv');
    expect(format).toBe('google');
    expect(summary.added).toBe(4);
    const ana = person(nb, 'Ana Lima');
    expect(ana.emails).toEqual(['ana@quartzo.example', 'ana.lima@example.com']);
    expect(ana.tags).toEqual(['Clients', 'starred']);
    expect(ana.location).toBe('Lisboa, Portugal');
    expect(ana.birthday).toBe('1988-04-02');
    expect(ana.notes).toBe("Met at the Lisbon founders' dinner.\nPrefers mornings; vegetarian.");
    const lena = person(nb, 'Lena Fischer');
    expect(lena.phones).toEqual(['0170 1234567', '+49 30 1234567']);
    expect(lena.tags).toEqual(['Family']);
    // Rui names Ana as his manager and Ana names Rui: one colleague tie, not two.
    const rui = person(nb, 'Rui Costa');
    const tie = tieBetween(nb, ana.id, rui.id);
    expect(tie?.kind).toBe('colleague');
    expect(listTies(nb).filter((t) => t.from !== nb.ownerId && t.to !== nb.ownerId)).toHaveLength(
      1,
    );
    // A contact with only an email is named by it; one with only an organisation is skipped.
    expect(person(nb, 'kai.n@example.org').emails).toEqual(['kai.n@example.org']);
    expect(summary.skipped).toEqual([
      { ref: 'line 8', reason: expect.stringContaining('only an organisation ("Acme Catering")') },
    ]);
  });

  it('makes a relation tie to someone already in the notebook, and warns when nobody matches', () => {
    const nb = freshNotebook();
    importBytes(nb, fixture('Connections.csv'), 'Connections.csv'); // brings Jürgen Müller
    const plan = planImport(nb, fixture('google-contacts.csv'), 'contacts.csv');
    const jurgen = person(nb, 'Jürgen Müller');
    expect(plan.ties).toContainEqual(
      expect.objectContaining({ kind: 'family', b: { existing: jurgen.id } }),
    );
    const fresh = planImport(freshNotebook(), fixture('google-contacts.csv'), 'contacts.csv');
    expect(fresh.warnings).toContainEqual(
      expect.objectContaining({ line: 7, reason: expect.stringContaining('Jürgen Müller') }),
    );
  });

  it('reads the legacy layout (Name, Group Membership, Organization 1 - Name)', () => {
    const nb = freshNotebook();
    const { format, summary } = importBytes(
      nb,
      fixture('google-contacts-legacy.csv'),
      'legacy.csv',
    );
    expect(format).toBe('google');
    expect(summary.added).toBe(2);
    const priya = person(nb, 'Priya Raman');
    expect(priya.org).toBe('Northwind Health');
    expect(priya.role).toBe('Director, Clinical Ops');
    expect(priya.tags).toEqual(['Advisors']);
    expect(person(nb, 'Dev Patel').tags).toEqual(['friends']);
    expect(tieBetween(nb, priya.id, person(nb, 'Dev Patel').id)?.kind).toBe('friend');
  });

  it('reads a semicolon-separated file that Excel wrote in a European locale', () => {
    const nb = freshNotebook();
    const { format, summary } = importBytes(nb, fixture('google-semicolon.csv'), 'kontakte.csv');
    expect(format).toBe('google');
    expect(summary.added).toBe(2);
    const jurgen = person(nb, 'Jürgen Müller');
    expect(jurgen.org).toBe('Müller & Söhne, GmbH');
    expect(jurgen.notes).toBe('Sagt "Moin"; mag Fußball');
    expect(jurgen.tags).toEqual(['Suppliers']);
  });
});

describe('vCard', () => {
  it('reads 3.0 and 2.1 cards: folded lines, quoted-printable in UTF-8 and Latin-1, several emails and phones', () => {
    const nb = freshNotebook();
    const { format, summary } = importBytes(nb, fixture('contacts-v3.vcf'), 'contacts.vcf');
    expect(format).toBe('vcard');
    expect(summary.added).toBe(3);
    const jurgen = person(nb, 'Jürgen Müller');
    expect(jurgen.emails).toEqual(['juergen.mueller@example.de', 'jm@example.net']);
    expect(jurgen.phones).toEqual(['+49 170 1234567', '+49 40 555 0123']);
    expect(jurgen.org).toBe('Müller & Söhne, GmbH (Einkauf)');
    expect(jurgen.role).toBe('Geschäftsführer');
    expect(jurgen.tags).toEqual(['Suppliers', 'Hamburg']);
    expect(jurgen.birthday).toBe('1971-03-09');
    expect(jurgen.links).toEqual([
      'https://www.linkedin.com/in/juergen-mueller/',
      'https://twitter.com/juergenm',
    ]);
    expect(jurgen.notes).toBe(
      'Supplier since 2019. Prefers calls before 10:00, never on Fridays.\nKnows everyone in the Hamburg port scene.',
    );
    const lucia = person(nb, 'Lucía Fernández');
    expect(lucia.phones).toEqual(['+34 600 123 456', '+34 91 555 0199']);
    expect(lucia.notes).toBe(
      'Conocida en el congreso de Valencia; habla de logística y de ciudades. Muy puntual.',
    );
    expect(person(nb, 'Zoë Latin1').emails).toEqual(['zoe@example.org']);
    expect(summary.skipped).toEqual([
      { ref: 'card 4 (line 39)', reason: expect.stringContaining('no name') },
    ]);
  });

  it("turns Apple's related names into a tie when that person is in the notebook", () => {
    const nb = freshNotebook();
    importBytes(nb, fixture('google-contacts.csv'), 'contacts.csv'); // brings Lena Fischer
    importBytes(nb, fixture('contacts-v3.vcf'), 'contacts.vcf');
    const tie = tieBetween(nb, person(nb, 'Jürgen Müller').id, person(nb, 'Lena Fischer').id);
    expect(tie?.kind).toBe('family');
  });

  it('reads 4.0: RELATED by UID becomes a tie, KIND:org and a cut-short card are skipped with lines', () => {
    const nb = freshNotebook();
    const { summary } = importBytes(nb, fixture('contacts-v4.vcf'), 'contacts.vcf');
    expect(summary.added).toBe(2);
    const priya = person(nb, 'Priya Raman');
    expect(priya.phones).toEqual(['+44-7700-900123']);
    expect(priya.location).toBe('London, United Kingdom');
    expect(priya.birthday).toBe('--04-15');
    expect(priya.tags).toEqual(['Advisors', 'Health']);
    expect(priya.role).toBe('Director, Clinical Ops');
    const oliver = person(nb, 'Oliver Grant');
    expect(tieBetween(nb, priya.id, oliver.id)?.kind).toBe('colleague');
    expect(summary.skipped).toEqual([
      { ref: 'card 3 (line 26)', reason: expect.stringContaining('KIND:org') },
      { ref: 'card 4 (line 33)', reason: expect.stringContaining('cut short') },
    ]);
    expect(summary.warnings).toEqual([
      { ref: 'card 1 (line 1)', reason: expect.stringContaining('Dev Patel') },
    ]);
  });
});

describe('Vitrine JSON', () => {
  it('imports by id, maps the file owner to ours, and keeps unknown fields', () => {
    const nb = freshNotebook();
    const { format, summary } = importBytes(nb, fixture('vitrine-notebook.json'), 'nb.json');
    expect(format).toBe('json');
    expect(summary).toMatchObject({ added: 2, ties: 2, touches: 1 });
    const ana = listPeople(nb).find((p) => p.id === 'p-ana')!;
    expect(ana.extra).toEqual({ pronouns: 'she/her' });
    expect(tieBetween(nb, nb.ownerId!, 'p-ana')?.kind).toBe('client');
  });
});

describe('detection', () => {
  it('detects every fixture by content, whatever its name', () => {
    const cases: [string, string][] = [
      ['Connections.csv', 'linkedin'],
      ['Connections-2019.csv', 'linkedin'],
      ['google-contacts.csv', 'google'],
      ['google-contacts-legacy.csv', 'google'],
      ['google-semicolon.csv', 'google'],
      ['contacts-v3.vcf', 'vcard'],
      ['contacts-v4.vcf', 'vcard'],
      ['vitrine-notebook.json', 'json'],
    ];
    for (const [file, format] of cases)
      expect(detectFormat(fixture(file), 'download')).toBe(format);
  });
});
