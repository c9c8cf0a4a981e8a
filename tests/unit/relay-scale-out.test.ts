/**
 * Relays for many (issue 16): real PostgreSQL 15 and Redis servers (tests/helpers/
 * services.ts), relays sharing them, real relay clients writing with the model's commands.
 *
 * - a device on relay 1 and a device on relay 2 see each other's changes live;
 * - relay 1 is killed (SIGKILL, a separate process) in the middle of a burst of changes from
 *   a device that reaches it through a load balancer: the device moves to relay 2 and both
 *   devices end with every change; a relay started afterwards on the store serves it all;
 * - a relay stopped and started again on the shared store serves every notebook it served;
 * - the new-notebook allowance per address holds across two relays (counted in Redis), and
 *   the notebook quota holds with the PostgreSQL store;
 * - PostgreSQL's tables and everything sent to Redis (MONITOR) hold none of the names or
 *   notes written.
 *
 * Without PostgreSQL or Redis on the machine these tests fail with a sentence saying what to
 * install (never skip).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Notebook, addPerson, listPeople, setNotes } from '../../src/model/index.ts';
import { createIdentity, deriveKeys, type SyncKeys } from '../../src/sync/pairing.ts';
import type { RelayClient } from '../../src/sync/relay-client.ts';
import { startRelay, type RelayOptions, type RelayServer } from '../../src/server/relay.ts';
import { CLOSE } from '../../src/server/limits.ts';
import { startPostgres, startRedis, type Postgres, type RedisServer } from '../helpers/services.ts';
import { relayClient, sameState, until } from './sync-helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/vitrine.js', import.meta.url));

let pg: Postgres;
let redis: RedisServer;
let cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([pg?.destroy(), redis?.destroy()]);
});

afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

function notebook(): Notebook {
  const nb = new Notebook();
  nb.migrate();
  return nb;
}

function names(nb: Notebook): string[] {
  return listPeople(nb)
    .map((p) => p.name)
    .sort();
}

function client(url: string, nb: Notebook, keys: SyncKeys, device: string): RelayClient {
  // Device ids are random and visible to the relay; the name is sealed.
  const id = `${device.length}-${Math.random().toString(36).slice(2)}`;
  const c = relayClient(url, nb.doc, keys, id, { deviceName: `Device ${device}` });
  cleanup.push(() => c.destroy());
  return c;
}

async function relay(options: Partial<RelayOptions>): Promise<RelayServer> {
  const r = await startRelay({ port: 0, debounceMs: 20, maxDebounceMs: 100, ...options });
  cleanup.push(() => r.destroy());
  return r;
}

/** `vitrine relay` in a process of its own (so it can be killed), on a free port. */
async function relayProcess(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'relay', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`relay exited (${code}): ${out}`)));
  });
  return { url, child };
}

/**
 * A TCP load balancer on 127.0.0.1: each connection goes to the next backend that accepts
 * it (round robin), as any load balancer in front of the relays would do.
 */
async function loadBalancer(backends: string[]): Promise<{ url: string; server: Server }> {
  const ports = backends.map((u) => Number(new URL(u).port));
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((front) => {
    sockets.add(front);
    front.on('close', () => sockets.delete(front));
    front.pause();
    const attempt = (tries: number): void => {
      if (tries === 0) {
        front.destroy();
        return;
      }
      const port = ports[next++ % ports.length]!;
      const back = connect(port, '127.0.0.1');
      back.once('error', () => attempt(tries - 1));
      back.once('connect', () => {
        back.removeAllListeners('error');
        back.on('error', () => front.destroy());
        front.on('error', () => back.destroy());
        back.on('close', () => front.destroy());
        front.on('close', () => back.destroy());
        front.pipe(back).pipe(front);
        front.resume();
      });
    };
    attempt(ports.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, server };
}

/** Every byte of both relay tables, as text (to search for plaintext). */
async function tableBytes(url: string): Promise<string> {
  const rows = await pg.query<{ b: Buffer }>(
    url,
    `SELECT name::bytea || state AS b FROM vitrine_relay_documents
     UNION ALL SELECT name::bytea || data FROM vitrine_relay_updates`,
  );
  return Buffer.concat(rows.map((r) => r.b)).toString('latin1');
}

describe('relays sharing PostgreSQL and Redis', () => {
  test('devices on two relays converge live, and after one relay is killed mid-sync', async () => {
    const db = await pg.createDatabase();
    const monitor = await redis.monitor();
    cleanup.push(() => monitor.destroy());
    const shared = ['--postgres', db, '--redis', redis.url];
    const one = await relayProcess(shared);
    const two = await relayProcess(shared);
    const keys = await deriveKeys(createIdentity());
    const laptop = notebook();
    const phone = notebook();
    // The laptop reaches the relays through a load balancer (relay 1 first), the phone
    // talks to relay 2.
    const lb = await loadBalancer([one.url, two.url]);
    const a = client(lb.url, laptop, keys, 'laptop');
    const b = client(two.url, phone, keys, 'phone');
    await Promise.all([a.whenSynced, b.whenSynced]);

    const ada = addPerson(laptop, { name: 'Adelheid Vasquez-Thornbury' });
    setNotes(laptop, ada, 'Met at the Quintessa harbour symposium');
    await until(() => names(phone).includes('Adelheid Vasquez-Thornbury'), 'laptop → phone live');
    addPerson(phone, { name: 'Bartholomew Ekwueme-Lindqvist' });
    await until(
      () => names(laptop).includes('Bartholomew Ekwueme-Lindqvist'),
      'phone → laptop live',
    );

    // A burst from the laptop; relay 1 dies in the middle of it.
    for (let i = 0; i < 40; i++) {
      addPerson(laptop, { name: `Burst Person ${i}` });
      if (i === 15) one.child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 5));
    }
    addPerson(phone, { name: 'Written While Relay One Was Down' });
    await until(() => sameState(laptop.doc, phone.doc), 'both devices converged', 30_000);
    expect(names(phone)).toContain('Burst Person 39');
    expect(names(laptop)).toContain('Written While Relay One Was Down');
    expect(names(phone)).toHaveLength(names(laptop).length);

    // Everything is on the shared store: a new relay (relay 2 stopped too) serves it all.
    await until(() => a.status.upToDate && b.status.upToDate, 'both up to date', 30_000);
    two.child.kill('SIGTERM');
    await new Promise((r) => two.child.once('exit', r));
    const three = await relay({ postgres: db, redis: redis.url });
    const tablet = notebook();
    const c = client(three.url, tablet, keys, 'tablet');
    await c.whenSynced;
    await until(() => names(tablet).length === names(laptop).length, 'tablet caught up', 30_000);
    expect(names(tablet)).toEqual(names(laptop));

    // Nothing readable went to PostgreSQL or through Redis.
    const stored = await tableBytes(db);
    const traffic = monitor.text();
    expect(stored.length).toBeGreaterThan(1000);
    expect(traffic).toMatch(/"publish"/i);
    for (const secret of [
      'Adelheid',
      'Vasquez',
      'Quintessa',
      'Ekwueme',
      'Burst Person',
      'Relay One',
      'Device laptop',
      'Device phone',
      keys.relayToken,
    ]) {
      expect(stored).not.toContain(secret);
      expect(traffic).not.toContain(secret);
    }
  }, 120_000);

  test('a relay restarted on the shared store serves every notebook it served before', async () => {
    const db = await pg.createDatabase();
    const first = await startRelay({ port: 0, postgres: db, redis: redis.url });
    const books = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => ({
        keys: await deriveKeys(createIdentity()),
        nb: notebook(),
        name: `Notebook Owner ${i}`,
      })),
    );
    const clients = books.map((b, i) => relayClient(first.url, b.nb.doc, b.keys, `device-${i}`));
    for (const [i, b] of books.entries()) {
      await clients[i]!.whenSynced;
      addPerson(b.nb, { name: b.name });
    }
    await until(() => clients.every((c) => c.status.upToDate), 'all handed over');
    for (const c of clients) c.destroy();
    await first.destroy();

    const again = await relay({ postgres: db, redis: redis.url });
    for (const [i, b] of books.entries()) {
      const fresh = notebook();
      const c = client(again.url, fresh, b.keys, `new-device-${i}`);
      await c.whenSynced;
      await until(() => names(fresh).includes(b.name), `notebook ${i} served again`);
    }
  }, 60_000);

  test('new notebooks per address are counted across relays (in Redis)', async () => {
    const db = await pg.createDatabase();
    const limits = { newNotebooksPerHour: 2 };
    const prefix = `limits-${Date.now()}`;
    const one = await relay({ postgres: db, redis: redis.url, redisPrefix: prefix, limits });
    const two = await relay({ postgres: db, redis: redis.url, redisPrefix: prefix, limits });
    const open = async (url: string) => {
      const keys = await deriveKeys(createIdentity());
      const doc = new Y.Doc();
      return new Promise<string>((resolve) => {
        const provider = new HocuspocusProvider({
          url,
          name: keys.relayDocument,
          token: keys.relayToken,
          document: doc,
          awareness: null,
          // @ts-expect-error -- accepted at run time by the provider's own socket
          WebSocketPolyfill: WebSocket,
          onSynced: () => resolve('synced'),
          onAuthenticationFailed: ({ reason }) => resolve(reason),
        });
        cleanup.push(() => provider.destroy());
      });
    };
    expect(await open(one.url)).toBe('synced');
    expect(await open(two.url)).toBe('synced');
    // The third from the same address, on either relay, is over the allowance.
    expect(await open(one.url)).toMatch(/more than 2 new notebooks an hour/);
  }, 30_000);

  test('the notebook quota holds with the PostgreSQL store', async () => {
    const db = await pg.createDatabase();
    const logs: string[] = [];
    const r = await relay({
      postgres: db,
      redis: redis.url,
      limits: { maxNotebookBytes: 64 * 1024 },
      log: (l) => logs.push(l),
    });
    const keys = await deriveKeys(createIdentity());
    const nb = notebook();
    const c = client(r.url, nb, keys, 'filler');
    await c.whenSynced;
    const closed = new Promise<void>((resolve) => {
      c.on('status', (s) => {
        if (s.connection !== 'online') resolve();
      });
    });
    for (let i = 0; i < 20 && !logs.length; i++) {
      const id = addPerson(nb, { name: `Filler ${i}` });
      setNotes(nb, id, 'x'.repeat(8000) + i);
      await new Promise((r) => setTimeout(r, 20));
    }
    await closed;
    await until(() => logs.some((l) => l.includes("reached the relay's limit")), 'quota refusal');
    expect(CLOSE.quota).toBe(4507);
  }, 30_000);
});
