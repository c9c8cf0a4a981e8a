/**
 * Relays sharing PostgreSQL and Redis after a Redis connection drops (issue 16): Redis
 * pub/sub delivers a message only to the connections subscribed when it is published, so a
 * relay whose connection is down misses every change the other relays pass on meanwhile.
 * When its connections come back, the relay publishes the state vector of every document
 * it holds (scale-out.ts, `repairAll`), and the other relays answer with what it lacks.
 *
 * Real PostgreSQL 15 and Redis (tests/helpers/services.ts); relay 2 reaches Redis through a
 * TCP proxy on 127.0.0.1 that the test cuts (every connection dropped, new ones refused) and
 * restores, as a network failure or a Redis restart would look to that relay. The device on
 * relay 1 writes while relay 2 is cut off, so those changes reach relay 2 only through the
 * repair: without it the device on relay 2 never sees them.
 */
import { createServer, connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Notebook, addPerson, listPeople } from '../../src/model/index.ts';
import { createIdentity, deriveKeys, type SyncKeys } from '../../src/sync/pairing.ts';
import type { RelayClient } from '../../src/sync/relay-client.ts';
import { envelopeEntries } from '../../src/sync/envelope.ts';
import { startRelay, type RelayOptions, type RelayServer } from '../../src/server/relay.ts';
import { startPostgres, startRedis, type Postgres, type RedisServer } from '../helpers/services.ts';
import { relayClient, sameState, until } from './sync-helpers.ts';

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
  const c = relayClient(url, nb.doc, keys, `${device}-${Math.random().toString(36).slice(2)}`);
  cleanup.push(() => c.destroy());
  return c;
}

async function relay(options: Partial<RelayOptions>): Promise<RelayServer> {
  const r = await startRelay({ port: 0, debounceMs: 20, maxDebounceMs: 100, ...options });
  cleanup.push(() => r.destroy());
  return r;
}

/** A TCP proxy on 127.0.0.1 to `port` that can be cut off (connections dropped and refused). */
async function cuttableProxy(port: number): Promise<{
  url: string;
  connections(): number;
  cut(): void;
  restore(): void;
}> {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((front) => {
    front.on('error', () => front.destroy());
    if (down) {
      front.destroy();
      return;
    }
    const back = connect(port, '127.0.0.1');
    back.on('error', () => front.destroy());
    front.on('error', () => back.destroy());
    back.on('close', () => front.destroy());
    front.on('close', () => back.destroy());
    for (const s of [front, back]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    front.pipe(back).pipe(front);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return {
    url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => sockets.size / 2,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
  };
}

describe('relays after a Redis connection drops', () => {
  test('devices on two relays converge once it is back, and nothing is lost', async () => {
    const db = await pg.createDatabase();
    const proxy = await cuttableProxy(redis.port);
    const one = await relay({ postgres: db, redis: redis.url, log: () => undefined });
    const two = await relay({ postgres: db, redis: proxy.url, log: () => undefined });
    // Relay 2's two Redis connections (publish, subscribe) go through the proxy.
    expect(proxy.connections()).toBe(2);
    const keys = await deriveKeys(createIdentity());
    const laptop = notebook();
    const phone = notebook();
    const a = client(one.url, laptop, keys, 'laptop');
    const b = client(two.url, phone, keys, 'phone');
    await Promise.all([a.whenSynced, b.whenSynced]);
    addPerson(laptop, { name: 'Before The Outage' });
    await until(() => names(phone).includes('Before The Outage'), 'laptop → phone live');

    // Relay 2 loses Redis. Relay 1 passes the laptop's changes on, and nobody on relay 2
    // hears them.
    proxy.cut();
    for (let i = 0; i < 10; i++) addPerson(laptop, { name: `Laptop During Outage ${i}` });
    addPerson(phone, { name: 'Phone During Outage' });
    await until(() => a.status.upToDate && b.status.upToDate, 'each relay has its device');
    expect(names(phone)).not.toContain('Laptop During Outage 0');

    // Redis is reachable again: relay 2 reconnects by itself and the relays repair.
    proxy.restore();
    await until(() => sameState(laptop.doc, phone.doc), 'both devices converged', 30_000);
    expect(names(phone)).toContain('Laptop During Outage 9');
    expect(names(laptop)).toContain('Phone During Outage');
    // Live again afterwards.
    addPerson(laptop, { name: 'After The Outage' });
    await until(() => names(phone).includes('After The Outage'), 'live after the outage');

    // Nothing lost on the shared store: a relay started after both stopped serves it all.
    const expected = names(laptop);
    expect(expected).toHaveLength(13);
    for (const c of [a, b]) c.destroy();
    await Promise.all([one.destroy(), two.destroy()]);
    const three = await relay({ postgres: db, log: () => undefined });
    const tablet = notebook();
    const c = client(three.url, tablet, keys, 'tablet');
    await c.whenSynced;
    await until(() => names(tablet).length === expected.length, 'tablet caught up', 30_000);
    expect(names(tablet)).toEqual(expected);
  }, 120_000);

  test.each(['stops', 'unloads the notebook'])(
    'a relay that only heard a change through Redis stores it when it %s',
    async (how) => {
      const db = await pg.createDatabase();
      // Relay 1 receives the change from its device but does not store it (its debounce
      // outlasts the test, as if it were killed first); relay 2 only hears it through Redis,
      // and its device only reads (so relay 2 has nothing of its own to store).
      const never = { debounceMs: 600_000, maxDebounceMs: 600_000 };
      const one = await relay({ postgres: db, redis: redis.url, ...never });
      const two = await relay({ postgres: db, redis: redis.url });
      const keys = await deriveKeys(createIdentity());
      const laptop = notebook();
      const a = client(one.url, laptop, keys, 'laptop');
      const phone = new Y.Doc();
      const b = new HocuspocusProvider({
        url: two.url,
        name: keys.relayDocument,
        token: keys.relayToken,
        document: phone,
        awareness: null,
        // @ts-expect-error -- accepted at run time by the provider's own socket
        WebSocketPolyfill: WebSocket,
      });
      cleanup.push(() => b.destroy());
      await a.whenSynced;
      const heard = envelopeEntries(phone).length;
      addPerson(laptop, { name: 'Only In Memory On Relay Two' });
      await until(() => envelopeEntries(phone).length > heard, 'heard on relay 2');
      const rows = () =>
        pg.query<{ n: string }>(
          db,
          `SELECT (SELECT count(*) FROM vitrine_relay_documents WHERE name = '${keys.relayDocument}')
                + (SELECT count(*) FROM vitrine_relay_updates WHERE name = '${keys.relayDocument}') AS n`,
        );
      expect(Number((await rows())[0]!.n)).toBe(0);

      if (how === 'stops') {
        await two.destroy();
      } else {
        // Its last device leaves: relay 2 unloads the document (after the Redis extension's
        // one-second delay) and stores it first.
        b.destroy();
      }
      const deadline = Date.now() + 30_000;
      while (Number((await rows())[0]!.n) === 0) {
        if (Date.now() > deadline) throw new Error(`relay 2 did not store when it ${how}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // What it stored is the change: a relay reading the store serves it.
      const three = await relay({ postgres: db });
      const tablet = notebook();
      const c = client(three.url, tablet, keys, 'tablet');
      await c.whenSynced;
      await until(() => names(tablet).includes('Only In Memory On Relay Two'), 'on the store');
    },
    60_000,
  );
});
