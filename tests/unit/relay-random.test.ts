/**
 * Convergence the way Yjs tests itself (yjs v13 tests/testHelper.js): several notebooks,
 * seeded random commands, random disconnects and app restarts, automatic compaction on
 * every device — here through the real relay (Hocuspocus on 127.0.0.1) with every update
 * sealed. At the end every notebook must be identical and nothing anyone wrote lost.
 */
import { afterEach, expect, test } from 'vitest';
import {
  Notebook,
  VitrineError,
  addPerson,
  deletePerson,
  linkPeople,
  listPeople,
  listTies,
  listTouches,
  logTouch,
  restorePerson,
  setNotes,
  updatePerson,
} from '../../src/model/index.ts';
import { createIdentity, deriveKeys } from '../../src/sync/pairing.ts';
import type { RelayClient } from '../../src/sync/relay-client.ts';
import type { SyncError } from '../../src/sync/errors.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import { canonical, relayClient, removeDir, sameState, tempDir, until } from './sync-helpers.ts';
import { mulberry32 as prng } from '../../src/analysis/util.ts';

let relay: RelayServer | undefined;
let dir: string | undefined;
const clients: RelayClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await relay?.destroy();
  if (dir) await removeDir(dir);
});

test.each([1, 2, 3])(
  'three notebooks with random edits and disconnects end identical (seed %i)',
  async (seed) => {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T | undefined =>
      xs.length ? xs[Math.floor(rand() * xs.length)] : undefined;
    dir = await tempDir();
    relay = await startRelay({ dataDir: dir });
    const keys = await deriveKeys(createIdentity());
    const names = ['laptop', 'phone', 'tablet'];
    const notebooks = names.map((name) => {
      let n = 0;
      // Seeded ids, distinct per device, so a replay with the same seed makes the same ids.
      const nb = new Notebook(undefined, { newId: () => `${name}-${seed}-${n++}` });
      nb.migrate();
      return nb;
    });
    const errors: SyncError[] = [];
    const connect = (i: number): RelayClient => {
      const c = relayClient(relay!.url, notebooks[i]!.doc, keys, names[i]!, { compactAfter: 10 });
      c.on('error', (e) => errors.push(e));
      clients.push(c);
      return c;
    };
    const live = notebooks.map((_, i) => connect(i));
    const online = names.map(() => true);
    const added = new Set<string>();

    for (let step = 0; step < 150; step++) {
      const i = Math.floor(rand() * 3);
      const nb = notebooks[i]!;
      const people = listPeople(nb);
      const someone = pick(people)?.id;
      const r = rand();
      try {
        if (r < 0.3 || !someone) {
          added.add(addPerson(nb, { name: `P${step} from ${names[i]}`, tags: [`t${step % 4}`] }));
        } else if (r < 0.45) {
          updatePerson(nb, someone, { org: `Org ${step}`, role: rand() < 0.5 ? 'cto' : undefined });
        } else if (r < 0.6) {
          setNotes(nb, someone, `${pick(people)?.notes ?? ''} note ${step} by ${names[i]}`.trim());
        } else if (r < 0.72) {
          const other = pick(people)?.id;
          if (other && other !== someone)
            linkPeople(nb, someone, other, { strength: 1 + (step % 5) });
        } else if (r < 0.84) {
          logTouch(nb, { personIds: [someone], channel: 'call', note: `call ${step}` });
        } else if (r < 0.9) {
          deletePerson(nb, someone);
        } else if (r < 0.93) {
          const gone = [...nb.people.keys()].find((id) => !people.some((p) => p.id === id));
          if (gone) restorePerson(nb, gone);
        } else if (r < 0.98) {
          // Network flap: drop or restore this device's connection.
          if (online[i]) live[i]!.disconnect();
          else live[i]!.connect();
          online[i] = !online[i];
        } else {
          // The app is closed and reopened: a fresh client with no memory of the envelope.
          live[i]!.destroy();
          live[i] = connect(i);
          online[i] = true;
        }
      } catch (e) {
        if (!(e instanceof VitrineError)) throw e;
      }
      if (rand() < 0.3) await new Promise((res) => setTimeout(res, Math.floor(rand() * 4)));
    }

    for (let i = 0; i < 3; i++) if (!online[i]) live[i]!.connect();
    await Promise.all(live.map((c) => c.whenSynced));
    await Promise.all(live.map((c) => c.flush()));
    await until(
      () =>
        sameState(notebooks[0]!.doc, notebooks[1]!.doc) &&
        sameState(notebooks[1]!.doc, notebooks[2]!.doc),
      'all three notebooks to converge',
      20_000,
    );
    expect(errors.map((e) => e.message)).toEqual([]);
    const [a, b, c] = notebooks as [Notebook, Notebook, Notebook];
    // What a person would see is the same on every device…
    const byId = (xs: readonly { id: string }[]) =>
      canonical([...xs].sort((x, y) => (x.id < y.id ? -1 : 1)));
    for (const read of [listPeople, listTies, listTouches] as const) {
      expect(byId(read(b))).toBe(byId(read(a)));
      expect(byId(read(c))).toBe(byId(read(a)));
    }
    // …and nobody's new person was lost (a deleted one is in the trash, not gone).
    for (const id of added) for (const nb of notebooks) expect(nb.people.has(id)).toBe(true);
    expect(added.size).toBeGreaterThan(20);
    // Compaction ran: the envelope is far smaller than the number of edits.
    expect(live[0]!.status.entries).toBeLessThan(40);
  },
  60_000,
);
