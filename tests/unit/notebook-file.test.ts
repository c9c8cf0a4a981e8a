import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  LOCAL_ORIGIN,
  addPerson,
  createIntro,
  createUndoManager,
  getPerson,
  linkPeople,
  listPeople,
  logTouch,
  advanceIntro,
  recordIntroOutcome,
  deletePerson,
  setTagCadence,
} from '../../src/model/index.ts';
import {
  decodeVitrineFile,
  encodeVitrineFile,
  mergeNotebookFile,
  openNotebookFile,
  saveNotebookFile,
  waitingChanges,
} from '../../src/io/vitrine-file.ts';
import { exportJson, importJson, parseVitrineJson } from '../../src/io/json.ts';
import { testNotebook } from '../helpers/notebook.ts';

function richNotebook() {
  const nb = testNotebook({ prefix: 'r' });
  const me = nb.ownerId!;
  const ana = addPerson(nb, {
    name: 'Ana Ñúñez',
    org: 'Acme',
    emails: ['ana@acme.com'],
    tags: ['design'],
    notes: 'Line one\nLine two — “quoted”',
    vetting: { character: { status: 'first-hand', note: 'kind' } },
    underGlass: true,
    cadenceDays: 45,
    extra: { pronouns: 'she/her' },
  });
  const bo = addPerson(nb, { name: '王芳', role: 'Founder' });
  const gone = addPerson(nb, { name: 'Trashed Person' });
  linkPeople(nb, me, ana, { kind: 'friend', strength: 5, since: '2018-03-01' });
  linkPeople(nb, ana, bo, { kind: 'colleague' });
  logTouch(nb, { personIds: [ana, bo], at: '2026-01-05', channel: 'coffee', note: 'Flat white' });
  const intro = createIntro(nb, { a: bo, b: gone, purpose: 'Design help', overrideReason: 'n/a' });
  advanceIntro(nb, intro, 'asked-a');
  advanceIntro(nb, intro, 'asked-b');
  advanceIntro(nb, intro, 'introduced');
  recordIntroOutcome(nb, intro, 'fine');
  deletePerson(nb, gone);
  setTagCadence(nb, 'design', 30);
  return nb;
}

describe('.vitrine files', () => {
  it('save → open gives the same notebook', () => {
    const nb = richNotebook();
    const bytes = saveNotebookFile(nb);
    expect(new TextDecoder().decode(bytes.subarray(0, 7))).toBe('VITRINE');
    const back = openNotebookFile(bytes);
    expect(exportJson(back)).toEqual(exportJson(nb));
  });

  it('refuses garbage, truncated, damaged and newer files with sentences', () => {
    const bytes = saveNotebookFile(richNotebook());
    expect(() => decodeVitrineFile(new TextEncoder().encode('hello world'), 'notes.txt')).toThrow(
      /notes\.txt is not a Vitrine notebook/,
    );
    expect(() => decodeVitrineFile(bytes.subarray(0, bytes.length - 10), 'nb.vitrine')).toThrow(
      /nb\.vitrine is cut short/,
    );
    expect(() => decodeVitrineFile(bytes.subarray(0, 12))).toThrow(/cut short/);
    const damaged = bytes.slice();
    damaged[damaged.length - 20] ^= 0xff;
    expect(() => decodeVitrineFile(damaged)).toThrow(/damaged/);
    const newer = bytes.slice();
    newer[8] = 9;
    expect(() => decodeVitrineFile(newer)).toThrow(/newer Vitrine/);
    // A valid header around bytes that are not a Yjs update.
    const random = encodeVitrineFile(new Uint8Array([1, 200, 7, 3, 99, 4, 4, 4, 250, 0]));
    expect(() => decodeVitrineFile(random)).toThrow(/damaged|incomplete/);
  });

  it('refuses trailing bytes, format version 0 and payloads that are not a notebook', () => {
    const nb = richNotebook();
    const bytes = saveNotebookFile(nb);
    const before = Y.encodeStateVector(nb.doc);
    const refusedEverywhere = (file: Uint8Array, reason: RegExp) => {
      expect(() => decodeVitrineFile(file, 'x.vitrine')).toThrow(reason);
      expect(() => openNotebookFile(file, 'x.vitrine')).toThrow(reason);
      expect(() => mergeNotebookFile(nb, file, 'x.vitrine')).toThrow(reason);
      expect(Y.encodeStateVector(nb.doc)).toEqual(before);
    };
    // Bytes after the payload the header announces: 1 byte, a whole second copy, zeros.
    for (const tail of [new Uint8Array([0]), bytes, new Uint8Array(4096)]) {
      const longer = new Uint8Array(bytes.length + tail.length);
      longer.set(bytes);
      longer.set(tail, bytes.length);
      refusedEverywhere(longer, /x\.vitrine is damaged: \d+ unexpected bytes follow its \d+ bytes/);
    }
    const zero = bytes.slice();
    zero[8] = 0;
    refusedEverywhere(
      zero,
      /x\.vitrine is damaged: it says file format 0, which no Vitrine ever wrote/,
    );
    // Payloads with a valid length and CRC that are not one whole notebook update: zeros
    // (they read as an empty update followed by junk), an update followed by junk inside
    // the payload, an empty update, and another application's Yjs document.
    const other = new Y.Doc();
    other.getText('prosemirror').insert(0, 'hello');
    const update = Y.encodeStateAsUpdate(nb.doc);
    const withJunk = new Uint8Array(update.length + 3);
    withJunk.set(update);
    for (const [payload, reason] of [
      [new Uint8Array(1 << 20), /only 2 of its 1048576 bytes of data are notebook data/],
      [withJunk, /x\.vitrine is not a Vitrine notebook: only \d+ of its \d+ bytes/],
      [Y.encodeStateAsUpdate(new Y.Doc()), /holds data but not a Vitrine notebook/],
      [Y.encodeStateAsUpdate(other), /holds data but not a Vitrine notebook/],
    ] as const) {
      refusedEverywhere(encodeVitrineFile(payload), reason);
    }
    // What Vitrine writes still opens, an empty migrated notebook included.
    expect(listPeople(openNotebookFile(bytes)).length).toBe(listPeople(nb).length);
    const empty = testNotebook({ owner: false });
    empty.migrate();
    expect(() => openNotebookFile(saveNotebookFile(empty))).not.toThrow();
  });

  it('a refused file changes nothing in the notebook it was merged into', () => {
    const nb = testNotebook();
    addPerson(nb, { name: 'Keep me' });
    const before = Y.encodeStateVector(nb.doc);
    const bad = saveNotebookFile(richNotebook()).subarray(0, 100);
    expect(() => mergeNotebookFile(nb, bad, 'broken.vitrine')).toThrow(/broken\.vitrine/);
    expect(Y.encodeStateVector(nb.doc)).toEqual(before);
    expect(
      listPeople(nb)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Keep me', 'Me']);
  });

  it('merging a file keeps everything from both sides and is one undoable step', () => {
    const a = testNotebook({ prefix: 'a' });
    const onlyA = addPerson(a, { name: 'Only in A' });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    const nbB = testNotebook({ prefix: 'b', doc: b, owner: false });
    const onlyB = addPerson(nbB, { name: 'Only in B' });
    const um = createUndoManager(a);
    mergeNotebookFile(a, saveNotebookFile(nbB), 'b.vitrine', LOCAL_ORIGIN);
    expect(getPerson(a, onlyA)?.name).toBe('Only in A');
    expect(getPerson(a, onlyB)?.name).toBe('Only in B');
    um.undo();
    expect(getPerson(a, onlyB)).toBeUndefined();
    expect(getPerson(a, onlyA)?.name).toBe('Only in A');
  });
  it('a backup taken while an update waits for an earlier one restores, and nothing is lost once the earlier one arrives', () => {
    // Device A makes two edits; device B receives the second before the first (out-of-order
    // delivery), so B holds it as pending: Yjs cannot integrate it yet.
    const a = testNotebook({ prefix: 'a' });
    const b = testNotebook({ prefix: 'b', doc: new Y.Doc(), owner: false });
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc), 'peer');
    const updates: Uint8Array[] = [];
    a.doc.on('update', (u: Uint8Array) => updates.push(u));
    const ana = addPerson(a, { name: 'Ana' });
    const bo = addPerson(a, { name: 'Bo' });
    Y.applyUpdate(b.doc, updates[1]!, 'peer');
    expect(b.doc.store.pendingStructs).not.toBeNull();

    const backup = saveNotebookFile(b);
    const restored = openNotebookFile(backup, 'b.vitrine');
    expect(exportJson(restored)).toEqual(exportJson(b));
    expect(waitingChanges(restored.doc)).toMatch(/wait for earlier changes/);

    // Merging the same backup into another notebook works too.
    const other = testNotebook({ prefix: 'o' });
    expect(mergeNotebookFile(other, backup, 'b.vitrine').waiting).toMatch(/wait for earlier/);

    // Once the missing edit arrives, the waiting one appears: nothing was lost.
    Y.applyUpdate(restored.doc, updates[0]!, 'peer');
    expect(getPerson(restored, ana)?.name).toBe('Ana');
    expect(getPerson(restored, bo)?.name).toBe('Bo');
    expect(waitingChanges(restored.doc)).toBeUndefined();
  });
});

describe('Vitrine JSON', () => {
  it('export → import into an empty notebook → export gives the same data', () => {
    const nb = richNotebook();
    const first = exportJson(nb);
    const text = JSON.stringify(first);
    const fresh = testNotebook({ prefix: 'f', owner: false });
    const summary = importJson(fresh, parseVitrineJson(text));
    expect(summary.skipped).toEqual([]);
    expect(summary.added).toBe(4);
    expect(exportJson(fresh)).toEqual(first);
  });

  it('has the binding shape and keeps unknown fields', () => {
    const out = exportJson(richNotebook());
    expect(out).toMatchObject({ format: 'vitrine', version: 1 });
    expect(typeof out.owner).toBe('string');
    const ana = out.people.find((p) => p.name === 'Ana Ñúñez')!;
    expect(ana).toMatchObject({ id: expect.any(String), pronouns: 'she/her', underGlass: true });
    expect(out.ties[0]).toMatchObject({
      id: expect.any(String),
      from: expect.any(String),
      to: expect.any(String),
    });
    expect(out.touches[0]).toMatchObject({ personIds: expect.any(Array), at: '2026-01-05' });
    expect(out.intros[0]).toMatchObject({
      a: expect.any(String),
      b: expect.any(String),
      state: 'introduced',
    });
  });

  it("maps the file's owner onto the importing notebook's owner", () => {
    const nb = testNotebook();
    const data = parseVitrineJson(
      JSON.stringify({
        format: 'vitrine',
        version: 1,
        owner: 'them',
        people: [
          { id: 'them', name: 'Other Owner' },
          { id: 'x', name: 'Xavier' },
        ],
        ties: [{ id: 't', from: 'them', to: 'x', strength: 4 }],
      }),
    );
    importJson(nb, data);
    expect(
      listPeople(nb)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Me', 'Xavier']);
    expect(exportJson(nb).ties[0]).toMatchObject({ from: nb.ownerId, to: 'x' });
  });

  it('importing the same file twice changes nothing', () => {
    const text = JSON.stringify(exportJson(richNotebook()));
    const nb = testNotebook({ prefix: 'z', owner: false });
    importJson(nb, parseVitrineJson(text));
    const sv = Y.encodeStateVector(nb.doc);
    const second = importJson(nb, parseVitrineJson(text));
    expect(second.added).toBe(0);
    expect(second.merged).toBe(0);
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
  });

  it('skips bad records with reasons and refuses files that are not Vitrine JSON', () => {
    expect(() => parseVitrineJson('{nope', 'x.json')).toThrow(/x\.json is not valid JSON/);
    expect(() => parseVitrineJson('[1,2]')).toThrow(/not a Vitrine notebook/);
    expect(() => parseVitrineJson('{"format":"other"}')).toThrow(/not "vitrine"/);
    expect(() => parseVitrineJson('{"format":"vitrine","version":99}')).toThrow(/newer/);
  });

  it('every "version" that is not a whole number from 1 gets a sentence saying what is wrong', () => {
    const refused = (version: string | undefined, reason: RegExp) => {
      const text = `{"format":"vitrine"${version === undefined ? '' : `,"version":${version}`}}`;
      expect(() => parseVitrineJson(text, 'v.json'), version).toThrow(reason);
    };
    refused(
      '"1"',
      /^v\.json says "version": "1" \(text\); Vitrine JSON files have "version": 1 \(a number\)\. Remove the quotes around 1 and import again\.$/,
    );
    refused(
      ' " 1 "',
      /says "version": " 1 " \(text\); Vitrine JSON files have "version": 1 \(a number\)/,
    );
    refused(
      '"2"',
      /says "version": "2" \(text\); Vitrine JSON files have "version": 2 \(a number\)/,
    );
    for (const text of ['""', '"one"', '"1.0"', '"0"', '"-1"']) {
      refused(
        text,
        /\(text\); Vitrine JSON files have "version": 1 \(a number\)\. Check that it is a Vitrine JSON export/,
      );
    }
    refused(undefined, /v\.json has no "version"; .*Add "version": 1/);
    for (const [text, shown] of [
      ['null', 'null'],
      ['true', 'true'],
      ['false', 'false'],
      ['[1]', 'a list'],
      ['{"major":1}', 'an object'],
    ]) {
      refused(
        text,
        new RegExp(`^v\\.json has ${shown} as its "version"; Vitrine JSON files have "version": 1`),
      );
    }
    for (const n of ['0', '-1', '1.5', '-0', '1e-9']) {
      refused(n, /which no Vitrine ever wrote \(versions are whole numbers from 1\)/);
    }
    for (const n of ['2', '1e3'])
      refused(
        n,
        /is Vitrine JSON version \d+, newer than this Vitrine reads \(1\)\. Update Vitrine/,
      );
    expect(() => parseVitrineJson('{"format":"vitrine","version":1}')).not.toThrow();
    const nb = testNotebook();
    const s = importJson(
      nb,
      parseVitrineJson(
        JSON.stringify({
          format: 'vitrine',
          version: 1,
          people: [
            { id: 'a', name: 'Ann' },
            { id: 'b' },
            { name: 'No id' },
            { id: 'c', name: 'Cal', cadenceDays: 'often' },
          ],
          ties: [
            { id: 't1', from: 'a', to: 'zzz' },
            { id: 't2', from: 'a', to: 'c', strength: 4 },
          ],
          touches: [{ id: 'x', personIds: ['a'], at: 'last week' }],
          intros: [{ id: 'i', a: 'a', b: 'c', state: 'pending' }],
        }),
      ),
    );
    expect(s.added).toBe(2);
    expect(s.ties).toBe(1);
    expect(s.skipped.map((k) => k.ref)).toEqual([
      'person "b"',
      'person #3',
      'tie "t1"',
      'touch "x"',
      'introduction "i"',
    ]);
    expect(s.skipped[3]!.reason).toMatch(/not an ISO 8601 date/);
  });
});
