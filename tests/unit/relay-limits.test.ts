/**
 * The relay's limits (issue 11): what a client may send before authenticating, how large a
 * message and a notebook may be, how fast a connection may send, how many new notebooks one
 * address may create, one log line per refusal, and disk writes that grow with the data
 * rather than with the number of messages. A real relay on 127.0.0.1 (port 0) and real
 * clients; clocks are injected where a limit depends on time.
 */
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Notebook, addPerson, listPeople } from '../../src/model/index.ts';
import { createIdentity, deriveKeys, relayDocumentName } from '../../src/sync/pairing.ts';
import { startRelay, type RelayOptions, type RelayServer } from '../../src/server/relay.ts';
import { FileStore } from '../../src/server/file-store.ts';
import { cmdRelay } from '../../src/cli/relay.ts';
import { relayClient, removeDir, tempDir, until } from './sync-helpers.ts';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

interface Started {
  relay: RelayServer;
  dir: string;
  logs: string[];
  written: { bytes: number };
}

async function relayWith(options: Partial<RelayOptions> = {}): Promise<Started> {
  const dir = await tempDir();
  cleanup.push(() => removeDir(dir));
  const logs: string[] = [];
  const written = { bytes: 0 };
  const relay = await startRelay({
    dataDir: dir,
    store: new FileStore(dir, { onWrite: (n) => (written.bytes += n) }),
    log: (line) => logs.push(line),
    ...options,
  });
  cleanup.push(() => relay.destroy());
  return { relay, dir, logs, written };
}

interface Closed {
  code: number;
  reason: string;
}

function rawSocket(url: string): { ws: WebSocket; closed: Promise<Closed>; open: Promise<void> } {
  const ws = new WebSocket(url);
  ws.on('error', () => undefined);
  const closed = new Promise<Closed>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const open = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  cleanup.push(() => ws.terminate());
  return { ws, closed, open };
}

/** A Hocuspocus message for `name` of type Sync with `payload` (never an Auth). */
function syncFrame(name: string, bytes: number): Buffer {
  const enc = encoding.createEncoder();
  encoding.writeVarString(enc, name);
  encoding.writeVarUint(enc, 0);
  const head = encoding.toUint8Array(enc);
  const frame = Buffer.alloc(head.length + bytes, 1);
  frame.set(head, 0);
  return frame;
}

async function credentials(label = 'x'): Promise<{ token: string; name: string }> {
  const token = `relay-limits-${label}-${Math.random().toString(36).slice(2)}`;
  return { token, name: await relayDocumentName(token) };
}

interface Client {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  closes: Closed[];
  denied: string[];
}

function client(relay: RelayServer, who: { token: string; name: string }): Client {
  const doc = new Y.Doc();
  const closes: Closed[] = [];
  const denied: string[] = [];
  const provider = new HocuspocusProvider({
    url: relay.url,
    name: who.name,
    token: who.token,
    document: doc,
    awareness: null,
    // @ts-expect-error -- accepted at run time by the provider's own socket (Node has no WebSocket)
    WebSocketPolyfill: WebSocket,
    onClose: ({ event }) => closes.push({ code: event.code, reason: event.reason }),
    onAuthenticationFailed: ({ reason }) => denied.push(reason),
  });
  cleanup.push(() => provider.destroy());
  return { doc, provider, closes, denied };
}

function synced(p: HocuspocusProvider): Promise<void> {
  return new Promise((resolve) => {
    if (p.isSynced) resolve();
    else p.on('synced', () => resolve());
  });
}

function allSent(p: HocuspocusProvider): Promise<void> {
  return until(() => p.isSynced && p.unsyncedChanges === 0, 'every change acknowledged', 30_000);
}

/** What the relay has stored for `name`, read back from its folder. */
async function stored(dir: string, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const state = await new FileStore(dir).fetch(name);
  if (state) Y.applyUpdate(doc, state);
  return doc;
}

function noStackTraces(logs: string[]): void {
  for (const line of logs) expect(line).toMatch(/^Relay: [^\n]+$/);
}

describe('before authentication', () => {
  test('a client that sends 3 MB frames and never authenticates is closed, and the relay stops reading', async () => {
    const { relay, logs } = await relayWith({ limits: { preAuthBytes: 256 * 1024 } });
    const { ws, closed, open } = rawSocket(relay.url);
    await open;
    const name = await relayDocumentName('never-authenticates');
    const frame = syncFrame(name, 3 * 1024 * 1024);
    // Each frame is handed over only once the previous one left this process: without the
    // cap the relay reads (and queues, until the socket closes) all ten, 30 MB.
    let handedOver = 0;
    for (let i = 0; i < 10 && ws.readyState === ws.OPEN; i++) {
      const sent = await new Promise<boolean>((resolve) => ws.send(frame, (e) => resolve(!e)));
      if (sent) handedOver++;
    }
    const { code, reason } = await closed;
    expect(code).toBe(4413);
    expect(reason).toBe('More than 256 KiB sent before authenticating; closed.');
    // The relay read 256 KiB and paused; what the kernel's buffers took is all that left.
    expect(handedOver).toBeLessThanOrEqual(2);
    expect(logs).toEqual([
      'Relay: closed a connection from 127.0.0.1: More than 256 KiB sent before authenticating; closed.',
    ]);
  });

  test('more than preAuthMessages messages before authenticating close the connection', async () => {
    const { relay } = await relayWith({ limits: { preAuthMessages: 20 } });
    const { ws, closed, open } = rawSocket(relay.url);
    await open;
    const frame = syncFrame(await relayDocumentName('chatty'), 10);
    for (let i = 0; i < 50; i++) ws.send(frame);
    expect(await closed).toMatchObject({ code: 4413 });
  });

  test('a connection that never authenticates is closed after preAuthMs', async () => {
    const { relay } = await relayWith({ limits: { preAuthMs: 50 } });
    const { closed } = rawSocket(relay.url);
    expect(await closed).toEqual({ code: 4408, reason: 'No authentication within 0 s; closed.' });
  });

  test('a refused token, then more frames: closed once the frames pass the cap', async () => {
    const { relay } = await relayWith({ limits: { preAuthBytes: 64 * 1024 } });
    const who = await credentials();
    const c = client(relay, { name: who.name, token: 'not the token' });
    await until(() => c.denied.length > 0, 'the refusal');
    const { ws, closed, open } = rawSocket(relay.url);
    await open;
    for (let i = 0; i < 5; i++) ws.send(syncFrame(who.name, 32 * 1024));
    expect((await closed).code).toBe(4413);
  });
});

describe('authenticated clients', () => {
  test('a message over maxMessageBytes closes the connection (1009) and is not stored', async () => {
    const { relay, dir, logs } = await relayWith({ limits: { maxMessageBytes: 64 * 1024 } });
    const who = await credentials();
    const c = client(relay, who);
    await synced(c.provider);
    c.doc.getArray<Uint8Array>('entries').push([new Uint8Array(1000)]);
    await allSent(c.provider);
    c.doc.getArray<Uint8Array>('entries').push([new Uint8Array(100 * 1024)]);
    await until(() => c.closes.some((e) => e.code === 1009), 'the 1009 close');
    c.provider.destroy();
    await relay.destroy();
    const doc = await stored(dir, who.name);
    expect(doc.getArray('entries').length).toBe(1);
    expect(logs.filter((l) => l.includes('a message over 64 KiB'))).toHaveLength(1);
    noStackTraces(logs);
  });

  test('a burst of 400 tiny updates writes about the data received, not 400 times the document', async () => {
    // maxDebounceMs 0: every change is due at once, the worst case for a store that rewrites
    // the whole document each time (400 × 256 KiB = 100 MiB).
    const { relay, written } = await relayWith({
      maxDebounceMs: 0,
      limits: { messageBurst: 1e6, messagesPerSecond: 1e6 },
    });
    const who = await credentials();
    const seed = client(relay, who);
    await synced(seed.provider);
    const big = new Uint8Array(256 * 1024).map((_, i) => (i * 7919) % 251);
    seed.doc.getArray<Uint8Array>('entries').push([big]);
    await allSent(seed.provider);
    const afterSeed = written.bytes;
    const arr = seed.doc.getArray<Uint8Array>('tiny');
    let received = 0;
    for (let i = 0; i < 400; i++) {
      const u = new Uint8Array(150).map((_, j) => (i * 31 + j) % 256);
      arr.push([u]);
      received += u.byteLength;
    }
    await allSent(seed.provider);
    seed.provider.destroy();
    await relay.destroy();
    const burst = written.bytes - afterSeed;
    // Appended updates (with their Yjs framing) plus at most one rewrite of the document.
    expect(burst).toBeGreaterThan(received);
    expect(burst).toBeLessThan(3 * received + 2 * big.byteLength);
  });

  test('sending faster than the rate limit closes the connection with a reason', async () => {
    const { relay, logs } = await relayWith({
      now: () => 0,
      limits: { messageBurst: 20, messagesPerSecond: 1 },
    });
    const c = client(relay, await credentials());
    await synced(c.provider);
    for (let i = 0; i < 40; i++) c.doc.getArray<number>('n').push([i]);
    await until(() => c.closes.length > 0, 'the close');
    expect(c.closes[0]).toEqual({
      code: 4429,
      reason: 'Sending faster than 1 messages or 4 MiB a second; closed.',
    });
    expect(logs).toEqual([
      'Relay: closed a connection from 127.0.0.1: Sending faster than 1 messages or 4 MiB a second; closed.',
    ]);
  });

  test('a notebook at its quota refuses more with a reason, and keeps what it had', async () => {
    const { relay, dir } = await relayWith({ limits: { maxNotebookBytes: 64 * 1024 } });
    const who = await credentials();
    const c = client(relay, who);
    await synced(c.provider);
    c.doc.getArray<Uint8Array>('entries').push([new Uint8Array(40 * 1024).fill(1)]);
    await allSent(c.provider);
    c.doc.getArray<Uint8Array>('entries').push([new Uint8Array(40 * 1024).fill(2)]);
    await until(() => c.closes.length > 0, 'the close');
    expect(c.closes[0]).toEqual({
      code: 4507,
      reason: "This notebook reached the relay's limit of 64 KiB; this change was not stored.",
    });
    c.provider.destroy();
    await relay.destroy();
    const doc = await stored(dir, who.name);
    expect(
      doc
        .getArray<Uint8Array>('entries')
        .toArray()
        .map((e) => e[0]),
    ).toEqual([1]);
  });

  test('one address may create only newNotebooksPerHour new notebooks; existing ones still open', async () => {
    let now = 0;
    const { relay } = await relayWith({ now: () => now, limits: { newNotebooksPerHour: 2 } });
    const first = await credentials('first');
    for (const who of [first, await credentials('second')]) {
      const c = client(relay, who);
      await synced(c.provider);
      c.doc.getArray<number>('n').push([1]);
      await allSent(c.provider);
    }
    const third = client(relay, await credentials('third'));
    await until(() => third.denied.length > 0, 'the refusal');
    expect(third.denied[0]).toBe(
      'This relay refuses more than 2 new notebooks an hour from one address; try later.',
    );
    const again = client(relay, first);
    await synced(again.provider);
    expect(again.doc.getArray('n').length).toBe(1);
    now += 30 * 60_000; // half an hour: room for one more
    const later = client(relay, await credentials('later'));
    await synced(later.provider);
  });
});

test('a well-behaved pair of devices syncs through a relay while another client floods it', async () => {
  const { relay } = await relayWith({ limits: { preAuthBytes: 128 * 1024 } });
  const flood = rawSocket(relay.url);
  await flood.open;
  const frame = syncFrame(await relayDocumentName('flood'), 1024 * 1024);
  for (let i = 0; i < 5 && flood.ws.readyState === flood.ws.OPEN; i++) flood.ws.send(frame);
  const keys = await deriveKeys(createIdentity());
  const a = new Notebook();
  a.migrate();
  const b = new Notebook();
  addPerson(a, { name: 'Still syncs' });
  const ca = relayClient(relay.url, a.doc, keys, 'laptop');
  const cb = relayClient(relay.url, b.doc, keys, 'phone');
  cleanup.push(() => ca.destroy());
  cleanup.push(() => cb.destroy());
  expect((await flood.closed).code).toBe(4413);
  await until(() => listPeople(b).some((p) => p.name === 'Still syncs'), 'B to get it');
});

describe('vitrine relay limit flags', () => {
  test('a flag sets its limit, and a bad value is refused with a sentence', async () => {
    const dir = await tempDir();
    cleanup.push(() => removeDir(dir));
    const out: string[] = [];
    const sink = { out: (t: string) => out.push(t), err: () => undefined };
    let stop!: () => void;
    const running = cmdRelay(
      ['--port', '0', '--data', dir, '--pre-auth-seconds', '0.05'],
      sink,
      new Promise<void>((r) => (stop = r)),
    );
    cleanup.push(async () => {
      stop();
      await running;
    });
    await until(() => out.join('').includes('listening on'), 'the relay to start');
    const url = /listening on (ws:\/\/\S+)/.exec(out.join(''))![1]!;
    expect((await rawSocket(url).closed).code).toBe(4408);
    await expect(cmdRelay(['--max-notebook-mb', 'lots'], sink)).rejects.toThrow(
      '--max-notebook-mb must be a number above 0 (got "lots").',
    );
  });
});

test("a device over a notebook's quota shows the relay's reason in its sync status", async () => {
  const { relay } = await relayWith({ limits: { maxNotebookBytes: 16 * 1024 } });
  const keys = await deriveKeys(createIdentity());
  const a = new Notebook();
  a.migrate();
  const c = relayClient(relay.url, a.doc, keys, 'laptop');
  cleanup.push(() => c.destroy());
  await c.whenSynced;
  for (let i = 0; i < 40; i++) addPerson(a, { name: `Person ${i} ${'x'.repeat(1000)}` });
  await until(() => (c.status.lastError ?? '').includes('limit'), 'the reason in the status');
  expect(c.status.lastError).toBe(
    "The relay closed the connection: This notebook reached the relay's limit of 16 KiB; this change was not stored.",
  );
});
