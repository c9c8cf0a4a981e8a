/** The two-phase import the app's preview uses: plan (pure, chunked) then apply (one undo step). */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  Notebook,
  addPerson,
  createUndoManager,
  deletePerson,
  listPeople,
  listTies,
  updatePerson,
} from '../../src/model/index.ts';
import {
  applyImport,
  existingPeople,
  planImport,
  planImportAsync,
  type ImportProgress,
} from '../../src/io/formats.ts';
import { csvRows, findHeader, type CsvRow } from '../../src/io/csv.ts';
import { linkedInCsv } from '../bench/import.ts';
import { fixture, freshNotebook, person, stateVector } from '../fixtures/io/helpers.ts';

describe('planImport', () => {
  it('writes nothing and lists new, merged and skipped people with lines', () => {
    const nb = freshNotebook();
    addPerson(nb, {
      name: 'Priya Raman',
      org: 'Northwind Health',
      emails: ['priya@northwind.example'],
    });
    const before = stateVector(nb);
    let updates = 0;
    nb.doc.on('update', () => updates++);
    const plan = planImport(nb, fixture('Connections.csv'), 'Connections.csv');
    expect(updates).toBe(0);
    expect(stateVector(nb)).toBe(before);
    expect(plan.format).toBe('linkedin');
    expect(plan.added.map((a) => [a.person.name, a.line])).toEqual([
      ['Ana Lima', 5],
      ['Jürgen Müller', 6],
      ["Tomás O'Connor", 8],
      ['Mei Chen 陈', 10],
      ['Sam Okafor', 11],
    ]);
    expect(plan.merged).toEqual([
      expect.objectContaining({
        name: 'Priya Raman',
        rule: 'name+org',
        line: 7,
        changes: expect.arrayContaining([
          { field: 'role', before: '', after: 'Director, Clinical Ops' },
        ]),
      }),
    ]);
    expect(plan.skipped.map((s) => s.line)).toEqual([9]);
  });

  it('runs on a plain snapshot (as in a Web Worker) and returns structured-cloneable data', () => {
    const nb = freshNotebook();
    addPerson(nb, { name: 'Ana Lima', links: ['https://linkedin.com/in/ana-lima-4b2a1'] });
    const snapshot = structuredClone(existingPeople(nb));
    const fromSnapshot = planImport(snapshot, fixture('Connections.csv'), 'Connections.csv');
    const fromNotebook = planImport(nb, fixture('Connections.csv'), 'Connections.csv');
    expect(fromSnapshot).toEqual(fromNotebook);
    expect(structuredClone(fromSnapshot)).toEqual(fromSnapshot);
    // A plan computed elsewhere applies here.
    const summary = applyImport(nb, structuredClone(fromSnapshot));
    expect(summary).toMatchObject({ added: 5, merged: 1, ties: 6 });
  });

  it('reports progress that only goes forward and ends complete', () => {
    const bytes = new TextEncoder().encode(linkedInCsv(3000));
    const seen: ImportProgress[] = [];
    planImport(freshNotebook(), bytes, 'Connections.csv', undefined, {
      onProgress: (p) => seen.push(p),
    });
    const read = seen.filter((p) => p.phase === 'read');
    const match = seen.filter((p) => p.phase === 'match');
    expect(read.length).toBeGreaterThan(1);
    expect(read.every((p, i) => i === 0 || p.done >= read[i - 1]!.done)).toBe(true);
    const last = read.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBeGreaterThan(100_000);
    expect(match.at(-1)).toEqual({ phase: 'match', done: 3000, total: 3000 });
  });

  it('planImportAsync gives the event loop turns and plans the same', async () => {
    const bytes = new TextEncoder().encode(linkedInCsv(3000));
    const nb = freshNotebook();
    let turns = 0;
    let stop = false;
    const tick = () => {
      if (stop) return;
      turns++;
      setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const plan = await planImportAsync(nb, bytes, 'Connections.csv');
    stop = true;
    expect(turns).toBeGreaterThan(1);
    expect(plan).toEqual(planImport(nb, bytes, 'Connections.csv'));
  });
});

describe('applyImport', () => {
  it('is one undo step, and undo leaves the notebook as it was', () => {
    const nb = freshNotebook();
    const ana = addPerson(nb, { name: 'Ana Lima', org: 'Quartzo Labs' });
    const undo = createUndoManager(nb);
    const people = listPeople(nb).length;
    applyImport(nb, planImport(nb, fixture('Connections.csv'), 'Connections.csv'));
    expect(listPeople(nb).length).toBe(people + 5);
    expect(person(nb, 'Ana Lima').role).toBe('Head of Partnerships');
    expect(undo.undoStack).toHaveLength(1);
    undo.undo();
    expect(listPeople(nb)).toHaveLength(people);
    expect(listTies(nb)).toHaveLength(0);
    expect(person(nb, 'Ana Lima').id).toBe(ana);
    expect(person(nb, 'Ana Lima').role).toBeUndefined();
  });

  it('keeps edits made while the preview was open, and re-adds someone deleted meanwhile', () => {
    const nb = freshNotebook();
    const ana = addPerson(nb, { name: 'Ana Lima', org: 'Quartzo Labs' });
    const priya = addPerson(nb, { name: 'Priya Raman', org: 'Northwind Health' });
    const plan = planImport(nb, fixture('Connections.csv'), 'Connections.csv');
    updatePerson(nb, ana, { role: 'COO', tags: ['vip'] });
    deletePerson(nb, priya);
    const summary = applyImport(nb, plan);
    const now = person(nb, 'Ana Lima');
    expect(now.role).toBe('COO');
    expect(now.tags).toEqual(['vip']);
    expect(now.notes).toContain('role "Head of Partnerships"');
    const again = person(nb, 'Priya Raman');
    expect(again.id).not.toBe(priya);
    expect(again.role).toBe('Director, Clinical Ops');
    // Her connection date follows her to the re-added record.
    expect(listTies(nb).find((t) => t.to === again.id || t.from === again.id)?.since).toBe(
      '2024-01-03',
    );
    expect(summary.added).toBe(5);
  });

  it('creates the owner in the same step when a new notebook has none', () => {
    const fresh = new Notebook();
    fresh.migrate();
    const undo = createUndoManager(fresh);
    applyImport(fresh, planImport(fresh, fixture('Connections.csv'), 'Connections.csv'));
    expect(fresh.ownerId).toBeDefined();
    expect(listTies(fresh).every((t) => t.from === fresh.ownerId)).toBe(true);
    expect(undo.undoStack).toHaveLength(1);
  });
});

describe('applyImport checks before it writes', () => {
  it('keeps a tie whose start date the model refuses, without the date, and says so', () => {
    const vcf = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'UID:a',
      'FN:Ana Lima',
      'X-VITRINE-OWNER:TRUE',
      'RELATED;X-VITRINE-KIND=friend;X-VITRINE-SINCE=last spring:b',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'UID:b',
      'FN:Rui Costa',
      'END:VCARD',
      '',
    ].join('\r\n');
    const nb = new Notebook();
    nb.migrate();
    const plan = planImport(nb, new TextEncoder().encode(vcf), 'x.vcf');
    const summary = applyImport(nb, plan);
    const tie = listTies(nb)[0]!;
    expect(tie.kind).toBe('friend');
    expect(tie.since).toBeUndefined();
    expect(summary.warnings).toEqual([
      { ref: 'card 1 (line 1)', reason: expect.stringContaining('without its start date') },
    ]);
  });
});

describe('chunked CSV reading', () => {
  it('gives the same rows and lines as one papaparse pass, for any chunk size', () => {
    let seed = 1;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 60; trial++) {
      const newline = rnd() < 0.5 ? '\n' : '\r\n';
      const lines = ['First Name,Last Name,Company'];
      const n = 1 + Math.floor(rnd() * 120);
      for (let i = 0; i < n; i++) {
        const company = rnd() < 0.3 ? `"Multi${newline}line, ""quoted"" ${i}"` : `Co ${i}`;
        lines.push(rnd() < 0.05 ? '' : `First${i},Last${i},${company}`);
      }
      const text = lines.join(newline) + (rnd() < 0.5 ? newline : '');
      const header = findHeader(text, (c) => c.has('first name'))!;
      const got: CsvRow[] = [];
      const steps = csvRows(
        text,
        header,
        'x.csv',
        (rows) => got.push(...rows),
        16 + Math.floor(rnd() * 300),
      );
      for (let s = steps.next(); !s.done; s = steps.next());
      const once = Papa.parse<string[]>(text, { newline: newline as '\n' }).data.slice(1);
      const want = once.filter((r) => !(r.length === 1 && !r[0]!.trim()));
      expect(got.map((r) => r.cells)).toEqual(want);
      // Each row's line is where it starts in the file.
      const physical = text.split(newline);
      for (const r of got) expect(physical[r.line - 1]!.startsWith(`${r.cells[0]},`)).toBe(true);
    }
  });

  it('still finds a broken quote, on the right line, whatever the chunk size', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `First${i},Last${i},"Co, ${i}"`);
    rows[25] = 'Bad,Row,"Unclosed, quote';
    const text = ['First Name,Last Name,Company', ...rows].join('\r\n') + '\r\n';
    const header = findHeader(text, (c) => c.has('first name'))!;
    for (const size of [8, 17, 64, 100, 333, 4096]) {
      const steps = csvRows(text, header, 'x.csv', () => {}, size);
      expect(() => {
        for (let s = steps.next(); !s.done; s = steps.next());
      }).toThrow(
        /x\.csv, line 27: (a quoted field is never closed|there is text right after a closing quote)/,
      );
    }
  });
});

describe('unique identifiers are never merged away', () => {
  /**
   * A LinkedIn export of `n` rows in which every tenth row shares first name, last name
   * and company with the row before it but has its own profile URL (namesakes at one
   * employer, as big companies have).
   */
  function namesakes(n: number): string {
    const lines = [
      'Notes:',
      '"Generated for this test in the layout of LinkedIn\'s Connections.csv; every person is invented."',
      '',
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On',
    ];
    for (let i = 0; i < n; i++) {
      const j = i % 10 === 9 ? i - 1 : i; // the namesake of the row before
      lines.push(
        `Alex,Doe-${j},https://www.linkedin.com/in/alex-doe-${i},,Company ${j % 300},Role ${i % 40},01 Jan 2024`,
      );
    }
    return lines.join('\n') + '\n';
  }

  it('3,000 LinkedIn rows with 300 namesakes at the same company: all 3,000 are new', () => {
    const nb = freshNotebook();
    const plan = planImport(nb, new TextEncoder().encode(namesakes(3000)), 'Connections.csv');
    expect(plan.added).toHaveLength(3000);
    expect(plan.merged).toHaveLength(0);
    expect(plan.inFile).toEqual([]);
    const summary = applyImport(nb, plan);
    expect(summary.added).toBe(3000);
    expect(new Set(listPeople(nb).flatMap((p) => p.links)).size).toBe(3000);
  });

  it('namesakes already in the notebook are not merged into either', () => {
    const nb = freshNotebook();
    applyImport(nb, planImport(nb, fixture('Connections.csv'), 'Connections.csv'));
    const again = [
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On',
      'Ana,Lima,https://www.linkedin.com/in/ana-lima-other,,Quartzo Labs,Engineer,01 Jan 2024',
      'Mei,Chen 陈,,mei.chen@another.example,Studio Lantern,Intern,01 Jan 2024',
    ].join('\n');
    const plan = planImport(nb, new TextEncoder().encode(again), 'more.csv');
    expect(plan.added.map((a) => a.person.name)).toEqual(['Ana Lima', 'Mei Chen 陈']);
    expect(plan.merged).toEqual([]);
    expect(plan.unchanged).toEqual([]);
  });

  it('conflicting emails in a vCard file keep two people; a row with no identifiers is not guessed', () => {
    const nb = freshNotebook();
    const vcf = [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nORG:Acme\r\nEMAIL:sam.lee@acme.example\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nORG:Acme\r\nEMAIL:samuel@acme.example\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Lee\r\nORG:Acme\r\nTITLE:Which one?\r\nEND:VCARD',
    ].join('\r\n');
    const plan = planImport(nb, new TextEncoder().encode(vcf), 'c.vcf');
    expect(plan.added).toHaveLength(3);
    expect(plan.inFile).toEqual([]);
  });

  it('lists the merges inside one file with both line numbers', () => {
    const nb = freshNotebook();
    addPerson(nb, { name: 'Priya Raman', emails: ['priya@northwind.example'] });
    const csv = [
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On',
      'Ana,Lima,https://www.linkedin.com/in/ana-lima,,Quartzo Labs,Lead,01 Jan 2024',
      'Rui,Costa,,,Quartzo Labs,Dev,01 Jan 2024',
      'Ana,Lima,https://de.linkedin.com/in/Ana-Lima/,,Quartzo Labs,Head,01 Jan 2024',
      'Priya,Raman,,priya@northwind.example,Northwind,CTO,01 Jan 2024',
      'Priya,R.,,PRIYA@northwind.example,Northwind,CTO,01 Jan 2024',
    ].join('\n');
    const plan = planImport(nb, new TextEncoder().encode(csv), 'c.csv');
    expect(plan.inFile).toEqual([
      {
        name: 'Ana Lima',
        ref: 'line 4',
        line: 4,
        intoRef: 'line 2',
        intoLine: 2,
        rule: 'link',
      },
      {
        name: 'Priya Raman',
        ref: 'line 6',
        line: 6,
        intoRef: 'line 5',
        intoLine: 5,
        rule: 'email',
      },
    ]);
  });
});
