/** Exporters and round trips: what goes out comes back (as far as each format can carry it). */
import Graph from 'graphology';
import { parse as parseGraphml } from 'graphology-graphml';
import Papa from 'papaparse';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  Notebook,
  addPerson,
  initNotebook,
  linkPeople,
  listPeople,
  listTies,
  logTouch,
  setVetting,
  type Person,
} from '../../src/model/index.ts';
import { EXPORTERS, EXPORT_FORMATS, importBytes } from '../../src/io/formats.ts';
import { exportJson } from '../../src/io/json.ts';
import { freshNotebook, person, tieBetween } from '../fixtures/io/helpers.ts';

/** A small notebook with every field a person and a tie can carry, and awkward text. */
function richNotebook(): Notebook {
  const nb = freshNotebook();
  const ana = addPerson(nb, {
    name: 'Ana Lima',
    org: 'Quartzo Labs, Inc.',
    role: 'Head of Partnerships',
    emails: ['ana@quartzo.example', 'ana.lima@example.com'],
    phones: ['+351 912 345 678'],
    links: ['https://www.linkedin.com/in/ana-lima-4b2a1'],
    tags: ['clients', 'lisbon; porto'],
    location: 'Lisboa, Portugal',
    birthday: '1988-04-02',
    howWeMet: 'Web Summit 2023',
    notes: 'Line one; with "quotes", commas, <angle> & ampersand.\nLine two: =SUM(A1)',
    underGlass: true,
  });
  const rui = addPerson(nb, { name: 'Rui Costa', org: 'Quartzo Labs, Inc.', birthday: '--07-21' });
  const mei = addPerson(nb, {
    name: 'Mei Chen 陈',
    emails: ['mei@example.com'],
    notes: '=HYPERLINK("x")',
  });
  linkPeople(nb, nb.ownerId!, ana, { kind: 'client', strength: 4, since: '2023-05-01' });
  linkPeople(nb, ana, rui, { kind: 'colleague', strength: 5, note: 'Same team' });
  linkPeople(nb, mei, ana, { kind: 'mentor', strength: 2, since: '2021-09-30' });
  setVetting(nb, ana, 'workingStyle', { status: 'first-hand', note: 'Delivers early' });
  logTouch(nb, { personIds: [ana], at: '2025-11-02', channel: 'coffee' });
  return nb;
}

const text = (d: string | Uint8Array) => (typeof d === 'string' ? d : new TextDecoder().decode(d));
const carried = (p: Person) => ({
  name: p.name,
  org: p.org,
  role: p.role,
  emails: p.emails,
  phones: p.phones,
  links: p.links,
  tags: p.tags,
  location: p.location,
  birthday: p.birthday,
  howWeMet: p.howWeMet,
  notes: p.notes,
  underGlass: p.underGlass,
});

describe('the export table', () => {
  it('has json, csv, csv-ties, vcard, graphml and ics, each non-empty', () => {
    const nb = richNotebook();
    expect([...EXPORT_FORMATS]).toEqual(['json', 'csv', 'csv-ties', 'vcard', 'graphml', 'ics']);
    for (const f of EXPORT_FORMATS) expect(text(EXPORTERS[f](nb).data).length).toBeGreaterThan(50);
  });
});

describe('vCard 4.0', () => {
  it('round-trips people and ties through the vCard importer into an empty notebook', () => {
    const nb = richNotebook();
    const vcf = text(EXPORTERS.vcard(nb).data);
    expect(vcf.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
    expect(vcf.split('\r\n').every((l) => new TextEncoder().encode(l).length <= 76)).toBe(true);
    const back = new Notebook();
    back.migrate();
    const { format, summary } = importBytes(back, new TextEncoder().encode(vcf), 'export.vcf');
    expect(format).toBe('vcard');
    expect(summary.added).toBe(4);
    for (const p of listPeople(nb)) {
      const q = person(back, p.name);
      expect(carried(q)).toEqual(carried(p));
    }
    // The owner card becomes this notebook's owner, and every tie comes back with its details.
    expect(person(back, 'Rita Owner').id).toBe(back.ownerId);
    expect(listTies(back)).toHaveLength(3);
    for (const t of listTies(nb)) {
      const from = listPeople(nb).find((p) => p.id === t.from)!.name;
      const to = listPeople(nb).find((p) => p.id === t.to)!.name;
      const u = tieBetween(back, person(back, from).id, person(back, to).id);
      expect({ kind: u?.kind, strength: u?.strength, since: u?.since }).toEqual({
        kind: t.kind,
        strength: t.strength,
        since: t.since,
      });
    }
  });

  it("ties someone else's export to our owner without renaming us", () => {
    const theirs = richNotebook();
    const mine = new Notebook();
    initNotebook(mine, 'Sam Own');
    const vcf = new TextEncoder().encode(text(EXPORTERS.vcard(theirs).data));
    importBytes(mine, vcf, 'colleague.vcf');
    expect(listPeople(mine).find((p) => p.id === mine.ownerId)!.name).toBe('Sam Own');
    expect(listPeople(mine).some((p) => p.name === 'Rita Owner')).toBe(false);
    expect(tieBetween(mine, mine.ownerId!, person(mine, 'Ana Lima').id)?.kind).toBe('client');
  });

  it('re-importing its own export into the same notebook changes nothing', () => {
    const nb = richNotebook();
    const before = Y.encodeStateVector(nb.doc);
    const { summary } = importBytes(
      nb,
      new TextEncoder().encode(text(EXPORTERS.vcard(nb).data)),
      'x.vcf',
    );
    expect(summary).toMatchObject({ added: 0, merged: 0, ties: 0 });
    expect(Y.encodeStateVector(nb.doc)).toEqual(before);
  });
});

describe('vCard 4.0 escaping and folding', () => {
  /** Notes and names with every character a vCard must escape, and line breaks of each kind. */
  const AWKWARD = [
    'CR\rin the middle',
    'LF\nin the middle',
    'CRLF\r\nin the middle',
    'commas, and; semicolons; together',
    'back\\slash \\n not a newline \\, not a comma',
    'ends with a backslash \\',
    '\r\nstarts and ends with a break\n',
    'mixed \\;,:\r\n\n\r all at once',
  ];

  function awkwardNotebook(): Notebook {
    const nb = freshNotebook();
    AWKWARD.forEach((notes, i) =>
      addPerson(nb, {
        name: `Person ${i}, Jr.; \\ the ${i}th`,
        org: `Org ${i}; Ltd, \\`,
        notes,
        howWeMet: notes,
        tags: [`tag, ${i}`, `semi; ${i}`],
      }),
    );
    // Long values in scripts of every UTF-8 length, so folds land next to multi-byte characters.
    addPerson(nb, {
      name: 'Fold Test',
      notes: `${'é'.repeat(100)} ${'陈'.repeat(100)} ${'😀'.repeat(60)} ${'a'.repeat(77)}`,
    });
    return nb;
  }

  const lf = (s: string) => s.replace(/\r\n?/g, '\n');

  it('writes no raw CR or LF inside a value and folds at 75 octets without splitting a character', () => {
    const vcf = text(EXPORTERS.vcard(awkwardNotebook()).data);
    const lines = vcf.split('\r\n');
    expect(lines.pop()).toBe('');
    for (const l of lines) {
      expect(l).not.toMatch(/[\r\n]/);
      const bytes = new TextEncoder().encode(l);
      expect(bytes.length).toBeLessThanOrEqual(75);
      // Each physical line is valid UTF-8 on its own: no sequence was cut at a fold.
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
      expect(l).not.toMatch(/[\uD800-\uDFFF]/u);
    }
    expect(vcf).toContain('NOTE:CR\\nin the middle');
    expect(vcf).toContain('NOTE:commas\\, and\\; semicolons\\; together');
  });

  it('reads back every name, organisation, tag and note (line breaks as LF, ends trimmed)', () => {
    const nb = awkwardNotebook();
    const back = new Notebook();
    back.migrate();
    const vcf = new TextEncoder().encode(text(EXPORTERS.vcard(nb).data));
    const { summary } = importBytes(back, vcf, 'export.vcf');
    expect(summary.added).toBe(listPeople(nb).length);
    for (const p of listPeople(nb)) {
      const q = person(back, p.name);
      expect({ org: q.org, notes: q.notes, howWeMet: q.howWeMet, tags: q.tags }).toEqual({
        org: p.org,
        notes: lf(p.notes).trim(),
        howWeMet: p.howWeMet && lf(p.howWeMet),
        tags: p.tags,
      });
    }
  });

  it('re-importing the export into the same notebook changes nothing, even with CR in notes', () => {
    const nb = awkwardNotebook();
    const before = Y.encodeStateVector(nb.doc);
    const { summary } = importBytes(
      nb,
      new TextEncoder().encode(text(EXPORTERS.vcard(nb).data)),
      'x.vcf',
    );
    expect(summary).toMatchObject({ added: 0, merged: 0 });
    expect(Y.encodeStateVector(nb.doc)).toEqual(before);
  });
});

describe('GraphML', () => {
  it('carries CR, LF, CRLF, quotes and ampersands in notes exactly', () => {
    const nb = freshNotebook();
    const notes = 'a\rb\nc\r\nd & <e> "f" \'g\' \\ h';
    addPerson(nb, { name: 'Carriage <Return> & "Co"', notes });
    const xml = text(EXPORTERS.graphml(nb).data);
    expect(xml).not.toMatch(/\r/);
    const g = parseGraphml(Graph, xml);
    const p = person(nb, 'Carriage <Return> & "Co"');
    expect(g.getNodeAttribute(p.id, 'notes')).toBe(notes);
    expect(g.getNodeAttribute(p.id, 'label')).toBe('Carriage <Return> & "Co"');
  });

  it('is read back by a GraphML library with typed attributes on people and ties', () => {
    const nb = richNotebook();
    const xml = text(EXPORTERS.graphml(nb).data);
    const g = parseGraphml(Graph, xml);
    expect(g.type).toBe('undirected');
    expect(g.order).toBe(listPeople(nb).length);
    expect(g.size).toBe(listTies(nb).length);
    const ana = person(nb, 'Ana Lima');
    const attrs = g.getNodeAttributes(ana.id);
    expect(attrs.label).toBe('Ana Lima');
    expect(attrs.org).toBe('Quartzo Labs, Inc.');
    expect(attrs.notes).toBe(ana.notes);
    expect(attrs.underGlass).toBe(true);
    expect(attrs.emails).toBe('ana@quartzo.example; ana.lima@example.com');
    expect(attrs.lastTouched).toBe('2025-11-02');
    expect(g.getNodeAttribute(nb.ownerId!, 'owner')).toBe(true);
    const rui = person(nb, 'Rui Costa');
    const edge = g.edge(ana.id, rui.id)!;
    expect(g.getEdgeAttributes(edge)).toMatchObject({
      kind: 'colleague',
      strength: 5,
      weight: 5,
      note: 'Same team',
    });
    expect(typeof g.getEdgeAttribute(edge, 'strength')).toBe('number');
    expect(xml).toContain('<key id="e_strength" for="edge" attr.name="strength" attr.type="int"/>');
    expect(xml).toContain('<key id="n_label" for="node" attr.name="label" attr.type="string"/>');
  });

  it('drops characters XML cannot hold instead of writing a broken file', () => {
    const nb = freshNotebook();
    addPerson(nb, { name: 'Bell\u0007 Ringer', notes: 'tab\tok \u0001gone' });
    const g = parseGraphml(Graph, text(EXPORTERS.graphml(nb).data));
    const p = person(nb, 'Bell\u0007 Ringer');
    expect(g.getNodeAttribute(p.id, 'label')).toBe('Bell Ringer');
    expect(g.getNodeAttribute(p.id, 'notes')).toBe('tab\tok gone');
  });
});

describe('Vitrine JSON', () => {
  it('round-trips everything through importJson into an empty notebook', () => {
    const nb = richNotebook();
    const back = new Notebook(new Y.Doc());
    importBytes(back, new TextEncoder().encode(text(EXPORTERS.json(nb).data)), 'nb.json');
    initNotebook(back);
    expect(exportJson(back)).toEqual(exportJson(nb));
  });
});

describe('CSV', () => {
  it('writes people with Google column names, guards formulas, and reads back as Google CSV', () => {
    const nb = richNotebook();
    const csv = text(EXPORTERS.csv(nb).data);
    const rows = Papa.parse<Record<string, string>>(csv, {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(4);
    const ana = rows.find((r) => r.Name === 'Ana Lima')!;
    expect(ana['E-mail 1 - Value']).toBe('ana@quartzo.example ::: ana.lima@example.com');
    expect(ana['Labels']).toBe('clients ::: lisbon; porto');
    expect(ana['Last Touched']).toBe('2025-11-02');
    // A cell that a spreadsheet would run as a formula is written with a leading quote.
    expect(rows.find((r) => r.Name === 'Mei Chen 陈')!.Notes).toBe('\'=HYPERLINK("x")');
    expect(ana['Phone 1 - Value']).toBe('+351 912 345 678');
    const back = new Notebook();
    back.migrate();
    const { format } = importBytes(back, new TextEncoder().encode(csv), 'people.csv');
    expect(format).toBe('google');
    for (const p of listPeople(nb)) {
      const q = person(back, p.name);
      expect(carried(q)).toEqual(carried(p));
    }
  });

  it('writes ties with both ends by id and name', () => {
    const nb = richNotebook();
    const rows = Papa.parse<Record<string, string>>(text(EXPORTERS['csv-ties'](nb).data), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual(
      expect.objectContaining({
        'From Name': 'Mei Chen 陈',
        'To Name': 'Ana Lima',
        Kind: 'mentor',
        Strength: '2',
        Since: '2021-09-30',
      }),
    );
  });
});
