/**
 * The signalling server's bounds and manners, in process: what one client or many can make
 * it hold (topic names, subscriptions, connections, bytes queued for a client that does
 * not read), one log line per refusal, and which web pages may connect to it, to the relay
 * and to `vitrine relay`.
 */
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { cmdRelay } from '../../src/cli/relay.ts';
import { startRelay } from '../../src/server/relay.ts';
import {
  startSignaling,
  type SignalingOptions,
  type SignalingServer,
} from '../../src/server/signaling.ts';
import { HOSTILE_CASES, frame, rawUpgrade, sendHostile } from './hostile-frames.ts';
import { removeDir, tempDir, until } from './sync-helpers.ts';

const APP = 'http://127.0.0.1:5178';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** A signalling server whose log lines are collected in `log`. */
async function signaling(
  options: SignalingOptions = {},
): Promise<{ server: SignalingServer; log: string[] }> {
  const log: string[] = [];
  const server = await startSignaling({ log: (l) => log.push(l), ...options });
  cleanup.push(() => server.destroy());
  return { server, log };
}

/** An open `ws` client (no Origin header, as the CLI and tests are). */
async function client(url: string, origin?: string): Promise<WebSocket> {
  const ws = new WebSocket(url, origin ? { origin } : {});
  cleanup.push(() => ws.terminate());
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

/** The HTTP status a WebSocket upgrade from `origin` gets (101 = accepted). */
async function upgradeStatus(url: string, origin?: string): Promise<number> {
  const { socket, status } = await rawUpgrade(Number(new URL(url).port), origin);
  socket.destroy();
  return Number(/^HTTP\/1\.1 (\d+)/.exec(status)?.[1] ?? 0);
}

/** Send a message and wait for the server's pong, so it has been handled. */
async function sendAndSettle(ws: WebSocket, message: unknown): Promise<void> {
  const pong = new Promise<void>((resolve) =>
    ws.on('message', (d) => {
      if ((JSON.parse(String(d)) as { type: string }).type === 'pong') resolve();
    }),
  );
  ws.send(
    typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message),
  );
  ws.send(JSON.stringify({ type: 'ping' }));
  await pong;
}

describe('signalling server', () => {
  test('each malformed frame closes its connection with one log line, not a stack trace', async () => {
    const { server, log } = await signaling();
    for (const c of HOSTILE_CASES) {
      const before = log.length;
      await sendHostile(server.port, c);
      // A frame cut off by the client is a hang-up, not a refusal: nothing to log.
      expect(log.length - before, c.name).toBe(c.hangUp ? 0 : 1);
    }
    expect(log.every((l) => !l.includes('\n') && l.startsWith('Signalling: closed'))).toBe(true);
    const ws = await client(server.url);
    await sendAndSettle(ws, { type: 'subscribe', topics: ['still-here'] });
    expect(server.topics().get('still-here')).toBe(1);
  });

  test('a message that is not a JSON object is ignored, with one line each', async () => {
    const { server, log } = await signaling();
    const ws = await client(server.url);
    await sendAndSettle(ws, 'hello');
    await sendAndSettle(ws, Buffer.from('{"type":"ping"}'));
    await sendAndSettle(ws, '[1, 2]');
    expect(log).toHaveLength(3);
    expect(
      log.every((l) => /^Signalling: refused a message from .*JSON objects as text\)\.$/.test(l)),
    ).toBe(true);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  test('topic names longer than the limit are refused; y-webrtc room names pass', async () => {
    const { server, log } = await signaling();
    const ws = await client(server.url);
    const room = 'Xq3v9-k_pL2mN8rT4wY1zA'; // a Vitrine room id: 16 bytes in base64url
    await sendAndSettle(ws, { type: 'subscribe', topics: ['x'.repeat(257), room, 42] });
    expect([...server.topics().keys()]).toEqual([room]);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/topic name is not text of at most 256 characters/);
  });

  test('one connection holds at most 64 topics; the rest are refused in one line', async () => {
    const { server, log } = await signaling();
    const ws = await client(server.url);
    const topics = Array.from({ length: 70 }, (_, i) => `topic-${i}`);
    await sendAndSettle(ws, { type: 'subscribe', topics });
    expect(server.topics().size).toBe(64);
    expect(log).toEqual([expect.stringMatching(/at most 64 topics per connection/)]);
    // Unsubscribing frees room for others.
    await sendAndSettle(ws, { type: 'unsubscribe', topics: ['topic-0'] });
    await sendAndSettle(ws, { type: 'subscribe', topics: ['topic-69'] });
    expect(server.topics().has('topic-69')).toBe(true);
    expect(server.topics().size).toBe(64);
  });

  test('subscriptions over all connections are bounded, and freed when a client leaves', async () => {
    const { server, log } = await signaling({
      limits: { maxSubscriptions: 10, maxTopicsPerConnection: 4 },
    });
    const clients = [];
    for (let i = 0; i < 3; i++) {
      const ws = await client(server.url);
      clients.push(ws);
      await sendAndSettle(ws, { type: 'subscribe', topics: [0, 1, 2, 3].map((t) => `${i}/${t}`) });
    }
    const total = () => [...server.topics().values()].reduce((a, b) => a + b, 0);
    expect(total()).toBe(10);
    expect(log).toEqual([expect.stringMatching(/limit of 10 subscriptions/)]);
    clients[0]!.close();
    await until(() => total() === 6, 'the first client to be unsubscribed');
    await sendAndSettle(clients[2]!, { type: 'subscribe', topics: ['2/2', '2/3'] });
    expect(total()).toBe(8);
  });

  test('connections beyond the limit are refused with 503 until one closes', async () => {
    const { server } = await signaling({ limits: { maxConnections: 2 } });
    const first = await client(server.url);
    await client(server.url);
    expect(await upgradeStatus(server.url)).toBe(503);
    first.close();
    await until(() => first.readyState === WebSocket.CLOSED, 'the first to close');
    expect(await upgradeStatus(server.url)).toBe(101);
  });

  test('a subscriber that never reads is dropped once too much waits for it', async () => {
    const limit = 256 * 1024;
    const { server, log } = await signaling({ limits: { maxBufferedBytes: limit } });
    const topic = 'backpressure';
    // A raw client subscribes, then stops reading its socket for good.
    const { socket } = await rawUpgrade(server.port);
    cleanup.push(() => socket.destroy());
    socket.write(
      frame({
        opcode: 1,
        payload: Buffer.from(JSON.stringify({ type: 'subscribe', topics: [topic] })),
      }),
    );
    socket.pause();
    const publisher = await client(server.url);
    await sendAndSettle(publisher, { type: 'subscribe', topics: [topic] });
    await until(() => server.topics().get(topic) === 2, 'both subscribers');
    // The publisher reads its own copy of each message back, so it never outruns the server.
    const data = 'x'.repeat(60 * 1024);
    let clients = 2;
    let rounds = 0;
    publisher.on('message', (d) => {
      clients = (JSON.parse(String(d)) as { clients: number }).clients;
    });
    // 600 × 60 KiB = 35 MiB: far beyond what the kernel's socket buffers hold.
    while (clients === 2 && rounds < 600) {
      rounds++;
      const echoed = new Promise((resolve) => publisher.once('message', resolve));
      publisher.send(JSON.stringify({ type: 'publish', topic, data }));
      await echoed;
      if (server.topics().get(topic) === 1) break;
    }
    expect(server.topics().get(topic)).toBe(1);
    expect(log).toEqual([expect.stringMatching(/^Signalling: dropped .*: it is not reading/)]);
  });
});

describe('which web pages may connect', () => {
  test('the signalling server serves the allowed app and non-browser clients, refuses other pages', async () => {
    const { server, log } = await signaling({ allowedOrigins: [APP] });
    expect(await upgradeStatus(server.url, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(server.url, 'null')).toBe(403);
    expect(await upgradeStatus(server.url, APP)).toBe(101);
    expect(await upgradeStatus(server.url)).toBe(101);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(
      /refused a connection .*https:\/\/evil\.example is not an allowed origin/,
    );
  });

  test('with no allowed origins given, no web page may use the signalling server', async () => {
    const { server } = await signaling();
    expect(await upgradeStatus(server.url, APP)).toBe(403);
    expect(await upgradeStatus(server.url)).toBe(101);
  });

  test('the relay serves the allowed app, refuses other pages, and by default every page', async () => {
    const dir = await tempDir();
    cleanup.push(() => removeDir(dir));
    const relay = await startRelay({ dataDir: dir, allowedOrigins: [APP] });
    cleanup.push(() => relay.destroy());
    expect(await upgradeStatus(relay.url, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(relay.url, APP)).toBe(101);
    expect(await upgradeStatus(relay.url)).toBe(101);
    const other = await tempDir();
    cleanup.push(() => removeDir(other));
    const closed = await startRelay({ dataDir: other });
    cleanup.push(() => closed.destroy());
    expect(await upgradeStatus(closed.url, APP)).toBe(403);
  });

  test('vitrine relay --allow-origin lets the app in (repeatable, * for any) and says who may connect', async () => {
    const dir = await tempDir();
    cleanup.push(() => removeDir(dir));
    const out: string[] = [];
    const sink = { out: (t: string) => out.push(t), err: () => undefined };
    let stop!: () => void;
    const running = cmdRelay(
      [
        '--port',
        '0',
        '--data',
        dir,
        '--allow-origin',
        APP,
        '--allow-origin',
        'https://vitrine.example.com',
      ],
      sink,
      new Promise<void>((r) => (stop = r)),
    );
    cleanup.push(async () => {
      stop();
      await running;
    });
    await until(() => out.join('').includes('listening on'), 'the relay to start');
    const url = /listening on (ws:\/\/\S+)/.exec(out.join(''))![1]!;
    expect(out.join('')).toContain(
      'Web pages from http://127.0.0.1:5178, https://vitrine.example.com may connect.',
    );
    expect(await upgradeStatus(url, 'https://vitrine.example.com')).toBe(101);
    expect(await upgradeStatus(url, 'https://evil.example')).toBe(403);
    await expect(
      cmdRelay(['--port', '0', '--data', dir, '--allow-origin', 'vitrine.example.com'], sink),
    ).rejects.toThrow(/--allow-origin takes the address the app is served from/);
  });

  test('vitrine relay --allow-origin * lets any page in; without the flag it says no page may', async () => {
    const dir = await tempDir();
    cleanup.push(() => removeDir(dir));
    const out: string[] = [];
    let stop!: () => void;
    const running = cmdRelay(
      ['--port', '0', '--data', dir, '--allow-origin', '*'],
      { out: (t) => out.push(t), err: () => undefined },
      new Promise<void>((r) => (stop = r)),
    );
    await until(() => out.join('').includes('listening on'), 'the relay to start');
    const url = /listening on (ws:\/\/\S+)/.exec(out.join(''))![1]!;
    expect(await upgradeStatus(url, 'https://anywhere.example')).toBe(101);
    stop();
    await running;
    const quiet: string[] = [];
    let stop2!: () => void;
    const closed = cmdRelay(
      ['--port', '0', '--data', dir],
      { out: (t) => quiet.push(t), err: () => undefined },
      new Promise<void>((r) => (stop2 = r)),
    );
    await until(() => quiet.join('').includes('listening on'), 'the relay to start');
    expect(quiet.join('')).toContain('No web page may connect: add --allow-origin');
    stop2();
    await closed;
  });
});
