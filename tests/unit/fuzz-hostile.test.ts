/**
 * The hostile-peer fuzz (issue 11): small seeded rounds where one peer writes raw Yjs into
 * the notebook (wrong types, nested Yjs types, impossible dates, huge values, missing fields,
 * ties to nobody, unknown kinds, edits that build on one never sent) while the others run
 * commands, updates arrive in random order, and `.vitrine` backups are taken mid-way. No reader, selector, exporter, analysis
 * or backup restore may throw; every notebook must converge; every backup must restore.
 *
 * `VITRINE_HOSTILE_ROUNDS=20000 npx vitest run tests/unit/fuzz-hostile.test.ts` for more.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { runRound, type FuzzStats } from '../helpers/fuzz.ts';
import { BAD_DATES, readEverything } from '../helpers/hostile.ts';
import { testNotebook } from '../helpers/notebook.ts';
import {
  addPerson,
  createIntro,
  diagnostics,
  dueInfo,
  getIntro,
  getPerson,
  linkPeople,
  listPeople,
  logTouch,
  updateTie,
} from '../../src/model/index.ts';
import { exportJson } from '../../src/io/json.ts';
import { exportVcard } from '../../src/io/vcard.ts';

const ROUNDS =
  Number(process.env.VITRINE_HOSTILE_ROUNDS ?? process.env.VITRINE_FUZZ_ROUNDS ?? 0) || 2000;

describe('hostile-peer fuzz', () => {
  it(
    `${ROUNDS} seeded rounds: nothing throws, every notebook converges, every backup restores`,
    () => {
      const stats: FuzzStats = { backups: 0, waitingBackups: 0, hostileWrites: 0, dangling: 0 };
      const failures: string[] = [];
      for (let seed = 1; seed <= ROUNDS; seed++) {
        try {
          const problems = runRound(seed, { hostile: true, backups: true, small: true, stats });
          if (problems.length) failures.push(`seed ${seed}: ${problems.slice(0, 3).join('; ')}`);
        } catch (e) {
          failures.push(`seed ${seed} threw: ${(e as Error).stack ?? String(e)}`);
        }
        if (failures.length >= 5) break;
      }
      expect(failures).toEqual([]);
      // The fuzz reaches what it claims to test.
      expect(stats.hostileWrites).toBeGreaterThan(ROUNDS);
      expect(stats.backups).toBeGreaterThan(ROUNDS / 2);
      expect(stats.dangling).toBeGreaterThan(ROUNDS / 50);
      expect(stats.waitingBackups).toBeGreaterThan(Math.floor(ROUNDS / 200));
    },
    // ~10 ms of CPU a round; the margin is for a machine shared with other test runs.
    120_000 + ROUNDS * 150,
  );

  it('a notebook whose schema version a peer overwrote still reads, exports and restores', () => {
    for (const junk of ['2', 1e308, -1, NaN, null, [1], { v: 1 }, 2]) {
      const nb = testNotebook();
      const a = addPerson(nb, { name: 'Ana' });
      linkPeople(nb, nb.ownerId!, a, { strength: 4 });
      logTouch(nb, { personIds: [a], at: '2026-01-02' });
      nb.meta.set('schemaVersion', junk);
      expect(() => readEverything(nb)).not.toThrow();
    }
    const nb = testNotebook();
    nb.meta.set('schemaVersion', new Y.Map());
    expect(() => readEverything(nb)).not.toThrow();
  });

  it('impossible dates in every date field read, export and analyse without a throw', () => {
    for (const bad of BAD_DATES) {
      const nb = testNotebook();
      const a = addPerson(nb, { name: 'Ana' });
      nb.people.get(a)!.set('cadenceDays', 1e8);
      const tie = linkPeople(nb, nb.ownerId!, a, { strength: 4 });
      logTouch(nb, { personIds: [a], at: '2026-01-02' });
      nb.people.get(a)!.set('createdAt', bad);
      nb.people.get(a)!.set('birthday', bad);
      nb.ties.get(tie)!.set('since', bad);
      expect(() => readEverything(nb), bad).not.toThrow();
    }
  });

  it('a value that reaches one device as a prototype reads the same on every device', () => {
    // lib0 decodes a "__proto__" key as the object's prototype; the device passing it on
    // re-encodes the object without it. Readers must not see inherited values.
    const a = testNotebook({ prefix: 'a' });
    const ana = addPerson(a, { name: 'Ana' });
    const intro = createIntro(a, { a: a.ownerId!, b: ana });
    a.people.get(ana)!.set('v:character', JSON.parse('{"__proto__": {"status": "first-hand"}}'));
    (a.intros.get(intro)!.get('history') as Y.Array<unknown>).push([
      JSON.parse('{"__proto__": {"state": "introduced", "at": "2026-02-01"}}'),
    ]);
    const b = testNotebook({ prefix: 'b', doc: new Y.Doc(), owner: false });
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    const c = testNotebook({ prefix: 'c', doc: new Y.Doc(), owner: false });
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(b.doc));
    expect(getPerson(b, ana)!.vetting.character.status).toBe('unknown');
    expect(getPerson(b, ana)!.vetting).toEqual(getPerson(c, ana)!.vetting);
    expect(getIntro(b, intro)!.history).toEqual(getIntro(c, intro)!.history);
    expect(getIntro(b, intro)!.history.map((s) => s.state)).toEqual(['idea']);
  });

  it('an entity under the empty id is skipped with a reason, the same on every device', () => {
    const nb = testNotebook();
    const map = new Y.Map<unknown>();
    nb.people.set('', map);
    map.set('name', 'Nobody can name me');
    const tie = new Y.Map<unknown>();
    nb.ties.set('', tie);
    tie.set('from', nb.ownerId!);
    tie.set('to', '');
    expect(listPeople(nb).map((p) => p.name)).toEqual(['Me']);
    expect(exportJson(nb).ties).toEqual([]);
    expect(diagnostics(nb)).toContainEqual({
      collection: 'people',
      id: '',
      problem: 'skipped: is stored under an empty id',
    });
  });

  it('a cadence of 10^8 days is never due (and does not throw)', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    nb.people.get(ana)!.set('cadenceDays', 1e8);
    // Ignored on read (issue 11 point 6): no cadence, so never due.
    expect(dueInfo(nb, ana)).toEqual({});
    nb.people.get(ana)!.set('cadenceDays', 30);
    expect(dueInfo(nb, ana).dueAt).toBe('2026-01-31');
  });

  it('a tie kind named like an Object property exports to vCard as a custom kind', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const tie = linkPeople(nb, nb.ownerId!, ana);
    for (const kind of ['constructor', '__proto__', 'toString']) {
      updateTie(nb, tie, { kind });
      expect(exportVcard(nb)).toContain('TYPE=contact');
    }
  });
});
