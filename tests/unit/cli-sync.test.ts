/**
 * `vitrine pair` and `vitrine sync` (issue 16): two notebook files, each synced through a
 * different relay of a pair sharing real PostgreSQL and Redis servers, converge; the secret
 * stays beside the notebook (mode 0600), never in it; `--watch` keeps a file in step; bad
 * input gets a sentence.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Notebook, addPerson, listPeople, setNotes, updatePerson } from '../../src/model/index.ts';
import { main } from '../../src/cli/main.ts';
import { cmdSync, syncStatePath } from '../../src/cli/sync.ts';
import { loadNotebook, saveNotebook } from '../../src/cli/files.ts';
import { parsePairingLink } from '../../src/sync/pairing.ts';
import { toBase64Url } from '../../src/sync/bytes.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import { startPostgres, startRedis, type Postgres, type RedisServer } from '../helpers/services.ts';
import { capture } from '../helpers/cli.ts';
import { removeDir, tempDir, until } from './sync-helpers.ts';

let pg: Postgres;
let redis: RedisServer;
let one: RelayServer;
let two: RelayServer;
let dir: string;
let cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const db = await pg.createDatabase();
  one = await startRelay({ port: 0, postgres: db, redis: redis.url });
  two = await startRelay({ port: 0, postgres: db, redis: redis.url });
}, 120_000);

afterAll(async () => {
  await Promise.all([one?.destroy(), two?.destroy()]);
  await Promise.all([pg?.destroy(), redis?.destroy()]);
});

afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function folder(): Promise<string> {
  dir = await tempDir('vitrine-cli-sync-');
  cleanup.push(() => removeDir(dir));
  return dir;
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, ...io };
}

function names(nb: Notebook): string[] {
  return listPeople(nb)
    .map((p) => p.name)
    .sort();
}

describe('vitrine pair + vitrine sync', () => {
  test('two notebook files converge through two different relays', async () => {
    const d = await folder();
    const a = join(d, 'laptop.vitrine');
    const b = join(d, 'server-backup.vitrine');
    const nb = new Notebook();
    nb.migrate();
    const id = addPerson(nb, { name: 'Philippa Oyelaran-Westbrook' });
    setNotes(nb, id, 'Introduced us to the Marrowgate cooperative');
    await saveNotebook(nb, a);

    const paired = await run('pair', '--notebook', a, '--relay', one.url);
    expect(paired.code).toBe(0);
    const link = paired.stdout.trim();
    expect(link).toMatch(/#pair=/);
    // Pairing again prints the same link (the secret is kept).
    expect((await run('pair', '--notebook', a, '--relay', one.url)).stdout.trim()).toBe(link);

    // The secret is beside the notebook, readable by its owner only, and not in the notebook.
    const secret = toBase64Url(parsePairingLink(link).secret);
    const statePath = syncStatePath(a);
    expect(statePath).toBe(`${a}.sync`);
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    expect(await readFile(statePath, 'utf8')).toContain(secret);
    const notebookBytes = await readFile(a);
    expect(notebookBytes.toString('latin1')).not.toContain(secret);
    expect(notebookBytes.includes(Buffer.from(parsePairingLink(link).secret))).toBe(false);

    const pushed = await run('sync', '--notebook', a);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(/Synced laptop\.vitrine through ws:\/\/127\.0\.0\.1/);

    // A new file joins through the other relay and gets the notebook.
    const joined = await run('sync', '--notebook', b, '--link', link, '--relay', two.url);
    expect(joined.stderr).toBe('');
    expect(joined.code).toBe(0);
    expect(joined.stdout).toMatch(/saved the changes; 1 other device/);
    const copy = await loadNotebook(b);
    expect(names(copy)).toContain('Philippa Oyelaran-Westbrook');
    expect((await stat(`${b}.sync`)).mode & 0o777).toBe(0o600);

    // An edit on the copy goes back the other way (the relays stay as each file knows them).
    const p = listPeople(copy).find((x) => x.name === 'Philippa Oyelaran-Westbrook')!;
    updatePerson(copy, p.id, { org: 'Marrowgate Cooperative' });
    addPerson(copy, { name: 'Written On The Server Copy' });
    await saveNotebook(copy, b);
    expect((await run('sync', '--notebook', b)).code).toBe(0);
    expect((await run('sync', '--notebook', a)).code).toBe(0);
    const back = await loadNotebook(a);
    expect(names(back)).toContain('Written On The Server Copy');
    expect(listPeople(back).find((x) => x.id === p.id)?.org).toBe('Marrowgate Cooperative');
    // Both ends hold the same people, once each.
    expect(names(back)).toEqual(names(await loadNotebook(b)));
  }, 120_000);

  test('--watch keeps a file in step with changes other devices push', async () => {
    const d = await folder();
    const a = join(d, 'a.vitrine');
    const b = join(d, 'b.vitrine');
    const nb = new Notebook();
    nb.migrate();
    addPerson(nb, { name: 'First Before Watching' });
    await saveNotebook(nb, a);
    const link = (await run('pair', '--notebook', a, '--relay', one.url)).stdout.trim();
    expect((await run('sync', '--notebook', a)).code).toBe(0);

    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const io = capture();
    const watching = cmdSync(
      ['--notebook', b, '--link', link, '--relay', two.url, '--watch'],
      io,
      stopped,
    );
    await until(() => io.stdout.includes('Watching for changes'), 'watch started', 30_000);

    // Another command writes `a` and syncs it: the watching `b` saves the change.
    const edit = await loadNotebook(a);
    addPerson(edit, { name: 'Arrived While Watching' });
    await saveNotebook(edit, a);
    expect((await run('sync', '--notebook', a)).code).toBe(0);
    await until(() => io.stdout.includes('Saved changes from the relay'), 'watch saved', 30_000);
    expect(names(await loadNotebook(b))).toContain('Arrived While Watching');

    // A command writing `b` while it is watched: the change goes to the relay.
    const local = await loadNotebook(b);
    addPerson(local, { name: 'Imported Into The Watched File' });
    await saveNotebook(local, b);
    await until(() => io.stdout.includes('Sending changes made to b.vitrine'), 'file picked up');
    stop();
    await watching;
    expect(io.stdout).toContain('Stopped; the notebook is saved.');
    expect((await run('sync', '--notebook', a)).code).toBe(0);
    expect(names(await loadNotebook(a))).toContain('Imported Into The Watched File');
  }, 120_000);

  test('bad input gets a sentence and leaves the files alone', async () => {
    const d = await folder();
    const a = join(d, 'alone.vitrine');
    const nb = new Notebook();
    nb.migrate();
    await saveNotebook(nb, a);
    const before = await readFile(a);

    const unpaired = await run('sync', '--notebook', a);
    expect(unpaired.code).toBe(1);
    expect(unpaired.stderr).toMatch(/is not paired yet: give the link/);

    const cut = await run('sync', '--notebook', a, '--link', 'http://x/#pair=abc');
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/--link: The pairing code is cut short/);

    const link = (await run('pair', '--notebook', a)).stdout.trim();
    const http = await run('sync', '--notebook', a, '--link', link, '--relay', 'http://x');
    expect(http.code).toBe(1);
    expect(http.stderr).toMatch(/--relay: .*not a WebSocket address/);

    expect((await run('pair', '--notebook', join(d, 'missing.vitrine'))).stderr).toMatch(
      /does not exist/,
    );

    await writeFile(`${a}.sync`, '{ not json', { mode: 0o600 });
    const damaged = await run('sync', '--notebook', a);
    expect(damaged.stderr).toMatch(/alone\.vitrine\.sync is damaged/);
    expect(Buffer.compare(await readFile(a), before)).toBe(0);
  }, 60_000);
});
