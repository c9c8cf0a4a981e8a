/**
 * Hostile input (issue 11 points 4 and 7): a file or a peer may send anything. What the
 * model keeps must open again, and every export must work on whatever the model accepted.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { main, type Io } from '../../src/cli/main.ts';
import { analyzeNotebook, formatAnalysis } from '../../src/cli/analyze.ts';
import { analysisJson } from '../../src/analysis/index.ts';
import { EXPORTERS, EXPORT_FORMATS, importBytes } from '../../src/io/formats.ts';
import { exportJson, importJson, parseVitrineJson } from '../../src/io/json.ts';
import { openNotebookFile, saveNotebookFile } from '../../src/io/vitrine-file.ts';
import {
  EXTRA_LIMITS,
  VitrineError,
  addPerson,
  diagnostics,
  getPerson,
  linkPeople,
  listPeople,
  listTies,
  logTouch,
  mergePeople,
  updatePerson,
  type Notebook,
} from '../../src/model/index.ts';
import { testNotebook } from '../helpers/notebook.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-hostile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = { stdout: '', stderr: '' };
  const sink: Io = {
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
  };
  const code = await main(argv, sink);
  return { code, ...io };
}

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/vitrine.js');

/** The real `vitrine` command in its own process, as a person runs it. */
async function vitrine(...argv: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...argv]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** `n` objects nested inside each other around `1`, as JSON text (no stack needed). */
const nestedText = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
/** The same as a value (`n` levels of nesting). */
function nested(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

function vitrineJson(extra: Record<string, string>): string {
  const fields = (kind: string) =>
    Object.entries(extra)
      .filter(([k]) => k.startsWith(`${kind}.`))
      .map(([k, v]) => `,"${k.slice(kind.length + 1)}":${v}`)
      .join('');
  return `{"format":"vitrine","version":1,"owner":"me","people":[{"id":"me","name":"Me"},{"id":"p1","name":"Pat"${fields('person')}},{"id":"p2","name":"Quinn"}],"ties":[{"id":"t1","from":"p1","to":"p2"${fields('tie')}}],"touches":[{"id":"x1","personIds":["p1"],"at":"2026-01-02"${fields('touch')}}],"intros":[{"id":"i1","a":"p1","b":"p2","state":"idea"${fields('intro')}}]}`;
}

/** Every exporter, plus analysis and a save → open: none may throw. */
function everyOutput(nb: Notebook): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of EXPORT_FORMATS) {
    const { data } = EXPORTERS[f](nb);
    out[f] = typeof data === 'string' ? data : new TextDecoder().decode(data);
  }
  const analysis = analyzeNotebook(nb);
  out.analysis = analysisJson(analysis);
  formatAnalysis(nb, analysis);
  openNotebookFile(saveNotebookFile(nb));
  return out;
}

describe('unknown fields in Vitrine JSON', () => {
  it(
    'a 30 KB file with a field nested 5,000 deep is refused by name; no notebook is left unopenable',
    { timeout: 60_000 },
    async () => {
      const deep = join(dir, 'deep.json');
      writeFileSync(deep, vitrineJson({ 'person.custom': nestedText(5000) }));
      expect(readFileSync(deep).length).toBeLessThan(31_000);
      const refusal =
        /^vitrine import: deep\.json: person "p1": the field "custom" is nested more than 32 levels deep \(at custom\.a\.a\.a\.a\.a…\)\..*remove or simplify that field/;

      // Into a new notebook. Before the fix this import "worked" (exit 0) and every command
      // after it said the notebook was damaged: Yjs encodes any depth, but its decoder
      // overflows the stack at about 5,000 levels.
      const fresh = join(dir, 'fresh.vitrine');
      const first = await vitrine('import', deep, '--notebook', fresh);
      const stats = await vitrine('stats', '--notebook', fresh);
      expect(stats.stderr).not.toMatch(/damaged/);
      expect(first.stderr).toMatch(refusal);
      expect(first.code).toBe(1);
      expect(existsSync(fresh)).toBe(false);

      // Into an existing notebook (in this process, to save time): refused, the file
      // unchanged, every command still opens it.
      const nb = join(dir, 'mine.vitrine');
      const ok = join(dir, 'ok.json');
      writeFileSync(ok, vitrineJson({ 'person.pronouns': '"they/them"' }));
      expect((await run('import', ok, '--notebook', nb)).code).toBe(0);
      const before = readFileSync(nb);
      const refused = await run('import', deep, '--notebook', nb);
      expect(refused.stderr).toMatch(refusal);
      expect(refused.code).toBe(1);
      expect(readFileSync(nb).equals(before)).toBe(true);
      for (const argv of [
        ['stats', '--notebook', nb],
        ['analyze', '--notebook', nb],
        ['export', '--notebook', nb, '--format', 'json'],
      ]) {
        const r = await run(...argv);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
    },
  );

  // The whole class: every way an unknown field can fall outside the bounds, in every kind
  // of record, each refused with the record and the field named and nothing written.
  const long = `"${'x'.repeat(EXTRA_LIMITS.stringLength + 1)}"`;
  const violations: [string, string, RegExp][] = [
    ['too deep', nestedText(EXTRA_LIMITS.depth + 1), /is nested more than 32 levels deep/],
    ['deep in a list', `[[${nestedText(EXTRA_LIMITS.depth)}]]`, /at f\[0\]\[0\]\.a\.a\.a…/],
    ['a long text', long, /holds a text of 65,537 characters, more than 65,536/],
    ['a long key', `{${long}:1}`, /has a key of 65,537 characters/],
    ['too many values', `[${Array(EXTRA_LIMITS.values).fill(0).join(',')}]`, /more than 10,000/],
    [
      'too large',
      `[${Array(5)
        .fill(`"${'y'.repeat(60_000)}"`)
        .join(',')}]`,
      /larger than 256 KiB/,
    ],
    ['a number JSON cannot hold', '{"n":1e999}', /holds Infinity \(at f\.n\), a number JSON/],
    [
      'a __proto__ key',
      '{"ok":1,"__proto__":{"x":1}}',
      /key named "__proto__" \(at f\.__proto__\)/,
    ],
  ];
  const kinds = [
    ['person', 'person "p1"'],
    ['tie', 'tie "t1"'],
    ['touch', 'touch "x1"'],
    ['intro', 'introduction "i1"'],
  ] as const;
  for (const [what, value, reason] of violations) {
    it(`refuses an unknown field with ${what} in each kind of record, changing nothing`, () => {
      for (const [kind, ref] of kinds) {
        const nb = testNotebook();
        const sv = Y.encodeStateVector(nb.doc);
        const text = vitrineJson({ [`${kind}.f`]: value });
        let error: unknown;
        try {
          importBytes(nb, new TextEncoder().encode(text), 'in.json');
        } catch (e) {
          error = e;
        }
        expect(error, `${kind}: ${what}`).toBeInstanceOf(VitrineError);
        const message = (error as Error).message;
        expect(message).toContain(`in.json: ${ref}: the field "f" `);
        expect(message).toMatch(reason);
        expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
      }
    });
  }

  it('unknown fields named "__proto__" or "constructor" are refused by name, not dropped', () => {
    const proto = vitrineJson({ 'person.__proto__': '{"x":1}' });
    expect(() => parseVitrineJson(proto, 'p.json')).toThrow(
      /p\.json: person "p1": the field "__proto__" has a key named "__proto__"/,
    );
    // Yjs stores an object by its `constructor`: an own "constructor" key made it throw
    // "Unexpected content type" in the middle of the import.
    const nb = testNotebook();
    const sv = Y.encodeStateVector(nb.doc);
    const ctor = vitrineJson({ 'tie.constructor': '"x"' });
    expect(() => importBytes(nb, new TextEncoder().encode(ctor), 'c.json')).toThrow(
      /c\.json: tie "t1": the field "constructor" cannot be stored/,
    );
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
    expect(() => addPerson(nb, { name: 'C', extra: { constructor: 1 } })).toThrow(
      /the field "constructor" cannot be stored/,
    );
  });

  it('keeps unknown fields right at the bounds, and they round-trip', () => {
    const atBounds = {
      deep: nested(EXTRA_LIMITS.depth),
      text: 'z'.repeat(EXTRA_LIMITS.stringLength),
      list: [1, 'two', null, true, { three: [3] }],
      toString: 'a field named after a prototype property',
    };
    const nb = testNotebook();
    const file = JSON.parse(vitrineJson({})) as Record<string, Record<string, unknown>[]>;
    Object.assign(file.people![1]!, atBounds);
    Object.assign(file.ties![0]!, { deep: atBounds.deep });
    const s = importJson(nb, parseVitrineJson(JSON.stringify(file)));
    expect(s.skipped).toEqual([]);
    expect(getPerson(nb, 'p1')!.extra).toEqual(atBounds);
    const again = openNotebookFile(saveNotebookFile(nb));
    const back = exportJson(again);
    expect(back.people.find((p) => p.id === 'p1')).toMatchObject(atBounds);
    expect(back.ties[0]).toMatchObject({ deep: atBounds.deep });
  });

  it('commands refuse extra values that are not plain JSON, before writing anything', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ann' });
    const b = addPerson(nb, { name: 'Bo' });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const bad: [string, unknown, RegExp][] = [
      ['a BigInt', 2n ** 70n, /a number too large for JSON/],
      ['NaN', NaN, /holds NaN, a number JSON cannot hold/],
      ['a Yjs type', new Y.Text('hi'), /holds a Yjs shared type, not plain JSON/],
      ['binary data', new Uint8Array(4), /holds binary data/],
      ['a Date', new Date(0), /holds a Date object/],
      ['a Map', new Map(), /holds a Map object/],
      ['a function', () => 1, /holds a function, not JSON/],
      ['undefined in a list', [undefined], /undefined value \(at f\[0\]\)/],
      ['a cycle', cycle, /nested more than 32 levels deep/],
    ];
    for (const [what, value, reason] of bad) {
      const sv = Y.encodeStateVector(nb.doc);
      const extra = { f: value };
      for (const attempt of [
        () => addPerson(nb, { name: 'New', extra }),
        () => updatePerson(nb, a, { extra }),
        () => linkPeople(nb, a, b, { extra }),
        () => logTouch(nb, { personIds: [a], extra }),
      ]) {
        expect(attempt, what).toThrow(VitrineError);
        expect(attempt, what).toThrow(reason);
      }
      expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
    }
  });
});

describe('what a hostile peer writes never makes a read or an export throw', () => {
  /** Write straight into the document, as a peer's update would. */
  function peerWrites(nb: Notebook, fn: () => void) {
    nb.doc.transact(fn, 'peer');
  }

  const hostile: [string, unknown][] = [
    ['a BigInt', 2n ** 70n],
    ['a negative BigInt', -(2n ** 63n)],
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['binary data', new Uint8Array([1, 2, 3])],
    ['undefined', undefined],
    ['a list holding undefined', [1, undefined]],
    ['nesting 200 deep', nested(200)],
    ['a long text', 'w'.repeat(EXTRA_LIMITS.stringLength + 1)],
  ];

  it('in extra and in top-level unknown keys of every kind of record: left out, listed, exports work', () => {
    for (const [what, value] of hostile) {
      const nb = testNotebook();
      const a = addPerson(nb, { name: 'Ann', extra: { keep: 'me' } });
      const b = addPerson(nb, { name: 'Bo' });
      const t = linkPeople(nb, a, b);
      const x = logTouch(nb, { personIds: [a, b], at: '2026-01-03' });
      const maps = [nb.people.get(a)!, nb.ties.get(t)!, nb.touches.get(x)!];
      peerWrites(nb, () => {
        maps[0]!.set('extra', { keep: 'me', bad: value });
        for (const m of maps) m.set('weird', value);
        maps[1]!.set('extra', { bad: value });
        maps[2]!.set('extra', { bad: value });
      });
      const out = everyOutput(nb);
      expect(getPerson(nb, a)!.extra, what).toEqual({ keep: 'me' });
      expect(out.json).toContain('"keep": "me"');
      const problems = diagnostics(nb).map((d) => d.problem);
      expect(
        problems.some((p) => /field "bad" was left out/.test(p)),
        what,
      ).toBe(true);
      // A command on a record carrying it still works (one transaction, nothing thrown).
      updatePerson(nb, a, { extra: { more: 1 } });
      expect(getPerson(nb, a)!.extra, what).toEqual({ keep: 'me', more: 1 });
      // And an import of the same person by id.
      const file = exportJson(nb);
      expect(() => importJson(nb, parseVitrineJson(JSON.stringify(file)))).not.toThrow();
    }
  });

  it('a Yjs type or an array stored as "extra" is never spread into a record', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ann' });
    for (const value of [new Y.Map(), new Y.Array(), [1, 2], new Uint8Array(2), 'text', 5]) {
      peerWrites(nb, () => nb.people.get(a)!.set('extra', value));
      everyOutput(nb);
      updatePerson(nb, a, { extra: { more: 1 } });
      expect(getPerson(nb, a)!.extra).toEqual({ more: 1 });
    }
  });

  it('merging two people whose unknown fields together exceed the bounds keeps what fits', () => {
    const nb = testNotebook();
    const big = 'q'.repeat(60_000);
    const a = addPerson(nb, { name: 'Ann', extra: { a1: big, a2: big, a3: big } });
    const b = addPerson(nb, { name: 'Ann B', extra: { b1: big, b2: big, b3: big } });
    mergePeople(nb, a, b);
    const kept = getPerson(nb, a)!.extra!;
    expect(Object.keys(kept)).toEqual(['a1', 'a2', 'a3', 'b1']);
    everyOutput(nb);
  });

  it('a record of any kind stored under an empty id is skipped and listed; exports work', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ann' });
    peerWrites(nb, () => {
      const p = new Y.Map<unknown>();
      nb.people.set('', p);
      p.set('name', 'Nobody');
      p.set('notes', new Y.Text());
      const t = new Y.Map<unknown>();
      nb.ties.set('', t);
      t.set('from', a);
      t.set('to', nb.ownerId!);
      const x = new Y.Map<unknown>();
      nb.touches.set('', x);
      x.set('personIds', [a]);
      x.set('at', '2026-01-01');
      const i = new Y.Map<unknown>();
      nb.intros.set('', i);
      i.set('a', a);
      i.set('b', nb.ownerId!);
      i.set('by', nb.ownerId!);
      i.set('state', 'idea');
    });
    const out = everyOutput(nb);
    expect(listPeople(nb).map((p) => p.name)).toEqual(['Me', 'Ann']);
    expect(listTies(nb)).toEqual([]);
    expect(out.graphml).toContain('Ann');
    const skipped = diagnostics(nb).filter((d) => d.id === '');
    expect(skipped.map((d) => d.collection).sort()).toEqual([
      'intros',
      'people',
      'ties',
      'touches',
    ]);
    expect(skipped[0]!.problem).toBe('skipped: is stored under an empty id');
  });

  // The whole class of user text that names something on Object.prototype.
  const words = Object.getOwnPropertyNames(Object.prototype);

  it('tie kinds, tags, ids and field names that name Object.prototype members export everywhere', () => {
    expect(words).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString']));
    const file = {
      format: 'vitrine',
      version: 1,
      owner: 'me',
      people: [
        { id: 'me', name: 'Me' },
        ...words.map((w) => ({ id: w, name: `Person ${w}`, tags: [w] })),
        {
          id: 'hub',
          name: 'Hub',
          tags: words,
          // Unknown fields by those names (the two that cannot be stored are refused above).
          ...Object.fromEntries(
            words.filter((w) => w !== '__proto__' && w !== 'constructor').map((w) => [w, w]),
          ),
        },
      ],
      ties: words.flatMap((w) => [
        { id: w, from: 'hub', to: w, kind: w },
        { id: `${w}-me`, from: 'me', to: w, kind: w },
      ]),
      touches: words.map((w) => ({ id: w, personIds: [w], at: '2026-01-04' })),
      intros: words.map((w) => ({ id: w, a: w, b: 'hub', state: 'introduced', outcome: 'great' })),
    };
    const nb = testNotebook();
    const summary = importJson(nb, parseVitrineJson(JSON.stringify(file)));
    expect(summary.skipped).toEqual([]);
    const out = everyOutput(nb);
    for (const w of words) {
      const kind = w.toLowerCase(); // tie kinds are stored in lower case
      expect(out.json).toContain(`"kind": "${kind}"`);
      expect(out.vcard).toContain(`X-VITRINE-KIND=${kind}`);
      expect(out['csv-ties']).toContain(`,${kind},`);
      expect(out.graphml).toContain(`<node id="${w}">`);
    }
    const analysis = JSON.parse(out.analysis) as {
      structuralHoles: Record<string, unknown>;
      embeddedness: Record<string, unknown>;
    };
    expect(Object.keys(analysis.structuralHoles)).toEqual(expect.arrayContaining(words));
    expect(Object.keys(analysis.embeddedness)).toEqual(expect.arrayContaining(words));
  });
});
