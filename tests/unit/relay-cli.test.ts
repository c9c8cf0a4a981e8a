import { afterEach, expect, test } from 'vitest';
import { readdir } from 'node:fs/promises';
import { Notebook, addPerson, listPeople } from '../../src/model/index.ts';
import { cmdRelay } from '../../src/cli/relay.ts';
import { createIdentity, deriveKeys } from '../../src/sync/pairing.ts';
import { startRelay } from '../../src/server/relay.ts';
import { relayClient, removeDir, tempDir, until } from './sync-helpers.ts';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, sink: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

test('vitrine relay --port 0 --data DIR serves, stores, and stops cleanly', async () => {
  const dir = await tempDir();
  cleanup.push(() => removeDir(dir));
  const { out, sink } = io();
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const running = cmdRelay(['--port', '0', '--data', dir], sink, stopped);
  await until(() => out.join('').includes('listening on'), 'the relay to start');
  const url = /listening on (ws:\/\/\S+)/.exec(out.join(''))![1]!;
  expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  expect(out.join('')).toContain('Press Ctrl+C to stop.');

  const keys = await deriveKeys(createIdentity());
  const a = new Notebook();
  a.migrate();
  addPerson(a, { name: 'Through the CLI relay' });
  const c = relayClient(url, a.doc, keys, 'laptop');
  await c.whenSynced;
  await c.flush();
  c.destroy();
  stop();
  await running;
  expect(out.join('')).toContain('Relay stopped; everything is stored.');
  expect((await readdir(dir)).filter((f) => f.endsWith('.ydoc'))).toHaveLength(1);

  // The stored envelope serves a new device after the restart.
  const relay = await startRelay({ dataDir: dir });
  cleanup.push(() => relay.destroy());
  const b = new Notebook();
  const cb = relayClient(relay.url, b.doc, keys, 'phone');
  cleanup.push(() => cb.destroy());
  await cb.whenSynced;
  await until(() => listPeople(b).some((p) => p.name === 'Through the CLI relay'), 'B to get it');
});

test('a port in use and a bad port are refused with a sentence', async () => {
  const dir = await tempDir();
  cleanup.push(() => removeDir(dir));
  const busy = await startRelay({ dataDir: dir });
  cleanup.push(() => busy.destroy());
  const { sink } = io();
  await expect(cmdRelay(['--port', String(busy.port), '--data', dir], sink)).rejects.toThrow(
    `Port ${busy.port} is already in use; choose another with --port.`,
  );
  await expect(cmdRelay(['--port', 'eighty', '--data', dir], sink)).rejects.toThrow(
    /--port must be a whole number/,
  );
  await expect(cmdRelay(['--colour', 'red'], sink)).rejects.toThrow(/Usage: vitrine relay/);
});
