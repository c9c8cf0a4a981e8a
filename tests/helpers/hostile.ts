/**
 * A hostile peer and a "read everything" pass, for the fuzz (PRODUCT.md item 12: "a model
 * that tolerates whatever a peer or a file sends it").
 *
 * {@link hostileWrite} writes raw Yjs straight into a notebook's maps, never through the
 * commands: wrong types, nested Yjs types where plain values belong, impossible dates, huge
 * values, missing required fields, an entity under the empty id, ties to nobody, unknown
 * kinds. {@link readEverything} then runs every reader, selector, exporter, the analysis and
 * a backup round trip; any exception is a bug in the code it names.
 */
import * as Y from 'yjs';
import {
  INTRO_SPEC,
  PERSON_SPEC,
  TIE_SPEC,
  TOUCH_SPEC,
  balance,
  describeWork,
  diagnostics,
  draftIntro,
  dueInfo,
  effectiveCadence,
  firstName,
  getIntro,
  getOwner,
  getPerson,
  getTie,
  getTouch,
  graphSnapshot,
  introSuggestions,
  introsDue,
  lastTouched,
  listIntros,
  listPeople,
  listTies,
  listTouches,
  listTrash,
  mailtoUrl,
  ownerTrackRecord,
  rawGet,
  rawList,
  reciprocityOf,
  reciprocityTable,
  refereeRecord,
  resolvePersonId,
  snapshotIntro,
  tagCadences,
  tieBetween,
  tieLastTouched,
  tiesOf,
  touchesOf,
  underGlassGaps,
  vettingLevel,
  vettingScore,
  type Collection,
  type Notebook,
} from '../../src/model/index.ts';
import { analysisJson, analyze } from '../../src/analysis/index.ts';
import { EXPORTERS, EXPORT_FORMATS } from '../../src/io/formats.ts';
import { saveNotebookFile } from '../../src/io/vitrine-file.ts';
import { formatAnalysis } from '../../src/cli/analyze.ts';
import { stats } from '../../src/cli/main.ts';

type R = () => number;

function pick<T>(r: R, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

const COLLECTIONS = ['people', 'ties', 'touches', 'intros'] as const;
/** A top-level collection this version has never heard of, written by the hostile peer. */
export const UNKNOWN_COLLECTION = 'widgets';
const SPECS = { people: PERSON_SPEC, ties: TIE_SPEC, touches: TOUCH_SPEC, intros: INTRO_SPEC };

/** Dates no calendar has, and strings that only look like dates. */
export const BAD_DATES = [
  '2025-02-30',
  '2025-13-01',
  '2025-00-10',
  '2025-04-31',
  '0000-00-00',
  '9999-99-99',
  '2025-02-30T25:61:00Z',
  '275760-09-14',
  '-271821-04-19',
  '2025-1-1',
  '',
  ' ',
  'yesterday',
  'NaN',
  '2025-06-01T10:00:00+99:99',
];

function deep(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { nested: v };
  return v;
}

/** A plain (JSON-like) value a peer could send where something else belongs. */
function plainJunk(r: R): unknown {
  switch (Math.floor(r() * 16)) {
    case 0:
      return pick(r, [0, -1, 1.5, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 2, 1e8, -1e8]);
    case 1:
      return pick(r, [NaN, Infinity, -Infinity]);
    case 2:
      return pick(r, BAD_DATES);
    case 3:
      return pick(r, [true, false, null]);
    case 4:
      return pick(r, [[], [1, 2], ['a', null, 3], [[['x']]], [{}], ['', ' ']]);
    case 5:
      return pick(r, [{}, { status: 'first-hand' }, { status: 42, note: {} }, { a: [null] }]);
    case 6:
      return 'x'.repeat(50_000);
    case 7:
      return deep(1 + Math.floor(r() * 64));
    case 8:
      return JSON.parse('{"__proto__": {"status": "first-hand", "polluted": true}}') as unknown;
    case 9:
      return pick(r, ['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    case 10:
      return pick(r, ['\u0000', '\uD800', '\uFFFF', '<>&"\'', '=cmd|calc', '\r\n\r\n', '👩‍👩‍👧']);
    case 11:
      return Array.from({ length: 1 + Math.floor(r() * 60) }, (_, i) => `id${i}`);
    case 12:
      return pick(r, ['robot', 'unknown-kind', 'INTRODUCED', 'favour', 'asked-c']);
    case 13:
      return undefined;
    case 14:
      return { status: 'heard', vouchedBy: ['x'], note: 'x'.repeat(50_000) };
    default:
      return Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
  }
}

/** A nested Yjs type, fresh each call (a Yjs type can live in one place only). */
function yjsJunk(r: R): unknown {
  switch (Math.floor(r() * 5)) {
    case 0: {
      const m = new Y.Map<unknown>();
      m.set('name', pick(r, ['Inner', 5, null]));
      m.set('status', 'first-hand');
      return m;
    }
    case 1:
      return Y.Array.from([pick(r, ['a', 1, null]), { state: 'idea', at: '2026-01-01' }]);
    case 2: {
      const t = new Y.Text();
      t.insert(0, pick(r, ['2026-01-01', 'text', '']));
      return t;
    }
    case 3:
      return new Y.XmlFragment();
    default: {
      const m = new Y.Map<unknown>();
      m.set('deeper', Y.Array.from([new Y.Map()]));
      return m;
    }
  }
}

function junk(r: R): unknown {
  return r() < 0.25 ? yjsJunk(r) : plainJunk(r);
}

/** An id: existing ones mostly (so junk lands on real entities), sometimes odd ones. */
function someId(r: R, nb: Notebook, c: Collection): string {
  const keys = [...nb[c].keys()];
  if (keys.length && r() < 0.7) return pick(r, keys);
  return pick(r, ['', ' ', 'ghost', '__proto__', 'constructor', 'x'.repeat(5000), `h${r()}`]);
}

/** A person id that may name nobody. */
function somePersonId(r: R, nb: Notebook): unknown {
  return r() < 0.8 ? someId(r, nb, 'people') : plainJunk(r);
}

/** One hostile edit, in one transaction with the peer's own origin. */
export function hostileWrite(nb: Notebook, r: R): void {
  const doc = nb.doc;
  doc.transact(() => {
    const roll = r();
    const c = pick(r, COLLECTIONS);
    if (roll < 0.4) {
      // A known field of an existing (or odd) entity gets a wrong value.
      const map = nb[c].get(someId(r, nb, c));
      if (!(map instanceof Y.Map)) return;
      const key = pick(r, [...Object.keys(SPECS[c]), 'extra', 'kind', 'unknownField', '']);
      if (r() < 0.1) map.delete(key);
      else map.set(key, junk(r));
    } else if (roll < 0.55) {
      // A new entity with the required fields wrong, missing, or pointing at nobody.
      const map = new Y.Map<unknown>();
      nb[c].set(someId(r, nb, c) + (r() < 0.5 ? '' : 'n'), map);
      for (const [key, spec] of Object.entries(SPECS[c])) {
        const roll2 = r();
        if (roll2 < 0.3) continue;
        if (roll2 < 0.6) map.set(key, junk(r));
        else if (spec.kind === 'string' && ['from', 'to', 'a', 'b', 'by'].includes(key))
          map.set(key, somePersonId(r, nb));
        else if (key === 'personIds') map.set(key, [somePersonId(r, nb), somePersonId(r, nb)]);
        else if (spec.kind === 'date') map.set(key, pick(r, [...BAD_DATES, '2026-03-01']));
        else if (key === 'name') map.set(key, pick(r, ['Hostile', 'x'.repeat(50_000), ' ']));
        else if (key === 'history') {
          const h = new Y.Array<unknown>();
          h.push([junk(r) ?? null, { state: 'introduced', at: pick(r, BAD_DATES) }]);
          map.set(key, h);
        } else map.set(key, junk(r));
      }
    } else if (roll < 0.65) {
      // The entity itself replaced by something that is not a record.
      nb[c].set(someId(r, nb, c), (junk(r) ?? null) as Y.Map<unknown>);
    } else if (roll < 0.72) {
      // A person merged into nobody, into themselves, or into a cycle.
      const map = nb.people.get(someId(r, nb, 'people'));
      if (!(map instanceof Y.Map)) return;
      map.set('deletedAt', pick(r, ['2026-01-02', ...BAD_DATES]));
      map.set('mergedInto', somePersonId(r, nb));
    } else if (roll < 0.82) {
      // Meta: the owner and per-tag cadences (schemaVersion has its own test).
      if (r() < 0.5) nb.meta.set('owner', r() < 0.6 ? somePersonId(r, nb) : junk(r));
      else
        nb.meta.set(
          `tagCadence:${pick(r, ['client', '', '__proto__', 'x'.repeat(1000)])}`,
          pick(r, [1e8, 1e308, -5, 0, NaN, 0.0001, 'weekly', null]),
        );
    } else if (roll < 0.9) {
      // Cadences and strengths at the edge of what arithmetic and Date can hold.
      const map = nb[pick(r, ['people', 'ties'] as const)].get(someId(r, nb, 'people'));
      if (!(map instanceof Y.Map)) return;
      map.set(
        pick(r, ['cadenceDays', 'strength']),
        pick(r, [1e8, 1e308, 5e-324, 2 ** 31, -1, NaN, Infinity, 1e15, 0.5]),
      );
    } else if (roll < 0.92) {
      // The light touch log: chunks that do not decode, columns of junk, edits of any kind.
      const ids = rawList(nb, 'touches').map((t) => t.id);
      const id = ids.length && r() < 0.7 ? pick(r, ids) : `h${r()}`;
      if (r() < 0.5) {
        const chunk: Record<string, unknown> = {
          v: pick(r, [1, 1, 1, 2, '1', null]),
          id: r() < 0.8 ? [id, plainJunk(r) ?? null, `h${r()}`] : plainJunk(r),
        };
        for (const col of ['src', 'at', 'ch', 'p', 'n', 'note'])
          if (r() < 0.8) chunk[col] = [plainJunk(r) ?? null, plainJunk(r) ?? null];
        const value = r() < 0.7 ? JSON.stringify(chunk) : (junk(r) ?? null);
        nb.touchLog.set(pick(r, ['x.0', '', `${id}.0`, ...nb.touchLog.keys()]), value);
      } else {
        const field = pick(r, [
          'personIds',
          'at',
          'channel',
          'note',
          'removedAt',
          'deleted',
          'extra',
          '__proto__',
          '',
        ]);
        nb.touchEdits.set(pick(r, [`${id}:${field}`, field, ':', `${id}:`]), junk(r) ?? null);
      }
    } else if (roll < 0.95) {
      // An unknown entity kind: a collection this version has never heard of.
      doc.getMap(UNKNOWN_COLLECTION).set(someId(r, nb, c), junk(r) ?? null);
    } else {
      // An intro's history gets junk steps (or is replaced by a plain array).
      const map = nb.intros.get(someId(r, nb, 'intros'));
      if (!(map instanceof Y.Map)) return;
      const h = map.get('history');
      if (h instanceof Y.Array && r() < 0.7)
        h.push([
          pick(r, [null, 5, 'x', { state: 'idea' }, { state: 'idea', at: 5 }]),
          junk(r) ?? null,
        ]);
      else map.set('history', pick(r, [[{ state: 'idea', at: '2026-01-01' }], 'idea', null]));
    }
  }, 'hostile');
}

/**
 * Every reader, selector, exporter and the analysis over `nb`, and a `.vitrine` save (the
 * fuzz restores its own backups). Throws whatever any of them throws.
 */
export function readEverything(nb: Notebook): void {
  const now = new Date(Date.UTC(2026, 5, 1));
  for (const c of COLLECTIONS) {
    rawList(nb, c);
    for (const id of nb[c].keys()) rawGet(nb, c, id);
  }
  diagnostics(nb);
  const people = listPeople(nb);
  listTrash(nb);
  getOwner(nb);
  tagCadences(nb);
  for (const id of [...nb.people.keys(), '', 'ghost']) {
    resolvePersonId(nb, id);
    const p = getPerson(nb, id);
    lastTouched(nb, id);
    touchesOf(nb, id);
    tiesOf(nb, id);
    dueInfo(nb, id, now);
    refereeRecord(nb, id);
    balance(reciprocityOf(nb, id));
    if (p) {
      effectiveCadence(nb, p);
      vettingLevel(p);
      vettingScore(p);
      firstName(p.name);
      describeWork(p);
    }
  }
  for (const t of listTies(nb)) {
    tieLastTouched(nb, t);
    tieBetween(nb, t.from, t.to);
  }
  for (const id of nb.ties.keys()) getTie(nb, id);
  listTouches(nb);
  for (const id of nb.touches.keys()) getTouch(nb, id);
  for (const t of rawList(nb, 'touches')) getTouch(nb, t.id);
  for (const i of listIntros(nb)) {
    snapshotIntro(i);
    const drafts = draftIntro(nb, i);
    if (drafts) for (const d of [drafts.askA, drafts.askB, drafts.intro]) mailtoUrl(d);
  }
  for (const id of nb.intros.keys()) getIntro(nb, id);
  if (people.length >= 2) {
    const [a, b] = [people[0]!, people[people.length - 1]!];
    draftIntro(nb, { a: a.id, b: b.id, stakes: 'high', purpose: 'x', expectations: 'y' });
    underGlassGaps(nb, a.id, b.id);
  }
  reciprocityTable(nb);
  ownerTrackRecord(nb);
  introsDue(nb, now);
  introSuggestions(nb);
  const analysis = analyze(graphSnapshot(nb, now));
  analysisJson(analysis, 2);
  formatAnalysis(nb, analysis);
  stats(nb);
  for (const format of EXPORT_FORMATS) EXPORTERS[format](nb);
  saveNotebookFile(nb);
}
