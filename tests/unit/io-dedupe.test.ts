/** De-duplication and merge: importing what you already have adds to it, never doubles it. */
import { describe, expect, it } from 'vitest';
import { addPerson, listPeople, listTies } from '../../src/model/index.ts';
import { importBytes, planImport } from '../../src/io/formats.ts';
import {
  PeopleIndex,
  keysOf,
  mergeFields,
  nameKey,
  phoneKey,
  urlKey,
} from '../../src/io/dedupe.ts';
import type { PersonFields } from '../../src/io/incoming.ts';
import { fixture, freshNotebook, person, stateVector } from '../fixtures/io/helpers.ts';

const csv = (text: string) => new TextEncoder().encode(text);
const LINKEDIN_HEADER = 'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n';
const fields = (p: Partial<PersonFields> & { name: string }): PersonFields => ({
  emails: [],
  phones: [],
  links: [],
  tags: [],
  ...p,
});

describe('normalising keys', () => {
  it('folds profile URLs: scheme, www, country host, case, trailing slash, sub-pages', () => {
    const k = 'linkedin.com/in/ana-lima';
    expect(urlKey('https://www.linkedin.com/in/ana-lima/')).toBe(k);
    expect(urlKey('http://linkedin.com/in/Ana-Lima')).toBe(k);
    expect(urlKey('de.linkedin.com/in/ana-lima')).toBe(k);
    expect(urlKey('https://www.linkedin.com/in/ana-lima/details/experience/')).toBe(k);
    expect(urlKey('https://example.com/about/')).toBe('example.com/about');
  });

  it('compares phones by their last nine digits and ignores short numbers', () => {
    expect(phoneKey('+49 170 1234567')).toBe(phoneKey('0170 1234567'));
    expect(phoneKey('+1 (555) 010-0123')).toBe(phoneKey('555.010.0123'));
    expect(phoneKey('112')).toBeUndefined();
  });

  it('folds names by case, accents, punctuation and spacing', () => {
    expect(nameKey('  Jürgen   MÜLLER ')).toBe(nameKey('jurgen muller'));
    expect(nameKey("Tomás O'Connor")).toBe('tomas o connor');
  });
});

describe('matching rules', () => {
  const index = new PeopleIndex<string>();
  index.add(
    'ana',
    keysOf(fields({ name: 'Ana Lima', org: 'Quartzo Labs', emails: ['Ana@Quartzo.example'] })),
  );
  index.add('lena', keysOf(fields({ name: 'Lena Fischer', phones: ['+49 30 1234567'] })));
  index.add('al1', keysOf(fields({ name: 'Alex Kim', org: 'Acme' })));
  index.add('al2', keysOf(fields({ name: 'Alex Kim', org: 'Globex' })));
  const match = (p: Partial<PersonFields> & { name: string }) => index.match(keysOf(fields(p)));

  it('matches by email ignoring case, by phone, by name with organisation', () => {
    expect(match({ name: 'A. Lima', emails: ['ana@quartzo.EXAMPLE'] })).toEqual({
      handle: 'ana',
      rule: 'email',
    });
    expect(match({ name: 'Lena F.', phones: ['030 1234567'] })).toEqual({
      handle: 'lena',
      rule: 'phone',
    });
    expect(match({ name: 'ANA LIMA', org: 'Quartzo Labs, Inc.' })).toEqual({
      handle: 'ana',
      rule: 'name+org',
    });
    expect(match({ name: 'Ana Lima' })).toEqual({ handle: 'ana', rule: 'name' });
  });

  it('does not guess: a shared landline, a name at another organisation, an ambiguous name', () => {
    expect(match({ name: 'Jürgen Fischer', phones: ['+49 30 1234567'] })).toBeUndefined();
    expect(match({ name: 'Ana Lima', org: 'Other Co' })).toBeUndefined();
    expect(match({ name: 'Alex Kim' })).toBeUndefined();
    expect(match({ name: 'Alex Kim', org: 'ACME' })).toEqual({ handle: 'al1', rule: 'name+org' });
  });
});

describe('merging', () => {
  it('unites lists, fills empty fields, and keeps a differing value in the notes, once', () => {
    const existing = fields({
      name: 'Ana Lima',
      org: 'Quartzo Labs',
      emails: ['ana@quartzo.example'],
      phones: ['+351 912 345 678'],
      tags: ['clients'],
      notes: 'Met in Lisbon.',
    });
    const incoming = fields({
      name: 'Ana Lima',
      org: 'Ferro Ventures',
      role: 'Partner',
      emails: ['ANA@quartzo.example', 'ana@ferro.example'],
      phones: ['00351 912345678'],
      tags: ['Clients', 'investors'],
      notes: 'Moved to Ferro in 2026.',
    });
    const { patch, changes } = mergeFields(existing, incoming, 'Connections.csv');
    expect(patch.emails).toEqual(['ana@quartzo.example', 'ana@ferro.example']);
    expect(patch.phones).toBeUndefined();
    expect(patch.tags).toEqual(['clients', 'investors']);
    expect(patch.role).toBe('Partner');
    expect(patch.org).toBeUndefined();
    expect(patch.notes).toBe(
      'Met in Lisbon.\n\nMoved to Ferro in 2026.\n\nFrom Connections.csv: organisation "Ferro Ventures".',
    );
    expect(changes.map((c) => c.field).sort()).toEqual(['emails', 'notes', 'role', 'tags']);
    const again = mergeFields({ ...existing, ...patch }, incoming, 'Connections.csv');
    expect(again.changes).toEqual([]);
  });

  it('merges into people already in the notebook and shows what changes in the plan', () => {
    const nb = freshNotebook();
    const ana = addPerson(nb, {
      name: 'Ana Lima',
      org: 'Quartzo Labs',
      notes: 'Knows everyone in Lisbon.',
      links: ['linkedin.com/in/ana-lima-4b2a1/'],
    });
    const plan = planImport(nb, fixture('Connections.csv'), 'Connections.csv');
    expect(plan.merged).toEqual([
      expect.objectContaining({
        id: ana,
        rule: 'link',
        changes: [{ field: 'role', before: '', after: 'Head of Partnerships' }],
      }),
    ]);
    importBytes(nb, fixture('Connections.csv'), 'Connections.csv');
    const merged = person(nb, 'Ana Lima');
    expect(merged.id).toBe(ana);
    expect(merged.notes).toBe('Knows everyone in Lisbon.');
    expect(merged.role).toBe('Head of Partnerships');
  });

  it('folds two rows of the same person in one file into one person', () => {
    const nb = freshNotebook();
    const text =
      LINKEDIN_HEADER +
      'Ana,Lima,https://www.linkedin.com/in/ana,,Quartzo,CEO,07 Dec 2025\n' +
      'Ana,Lima,http://linkedin.com/in/ANA/,ana@q.example,Quartzo,CEO,07 Dec 2025\n';
    const plan = planImport(nb, csv(text), 'dupes.csv');
    expect(plan.added).toHaveLength(1);
    expect(plan.added[0]!.also).toEqual(['line 3']);
    importBytes(nb, csv(text), 'dupes.csv');
    expect(person(nb, 'Ana Lima').emails).toEqual(['ana@q.example']);
    expect(listTies(nb)).toHaveLength(1);
  });
});

describe('re-importing the same file', () => {
  for (const file of [
    'Connections.csv',
    'google-contacts.csv',
    'google-contacts-legacy.csv',
    'contacts-v3.vcf',
    'contacts-v4.vcf',
    'vitrine-notebook.json',
  ]) {
    it(`changes nothing the second time: ${file}`, () => {
      const nb = freshNotebook();
      const first = importBytes(nb, fixture(file), file).summary;
      expect(first.added).toBeGreaterThan(0);
      const people = listPeople(nb).length;
      const before = stateVector(nb);
      let updates = 0;
      nb.doc.on('update', () => updates++);
      const { summary } = importBytes(nb, fixture(file), file);
      expect(summary.added).toBe(0);
      expect(summary.merged).toBe(0);
      expect(summary.unchanged).toBe(first.added + first.merged + first.unchanged);
      expect(listPeople(nb)).toHaveLength(people);
      expect(updates).toBe(0);
      expect(stateVector(nb)).toBe(before);
    });
  }
});
