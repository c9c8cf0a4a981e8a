/**
 * Load test for the relay and the signalling server (issue 11, points 9–11). Run:
 *
 *     npx tsx tests/load/relay-flood.ts            (1–2 minutes; up to 6 against an unprotected relay; stops itself after 9)
 *
 * `ONLY=relay` or `ONLY=signaling` runs one part; `LOAD_RELAY_LIMITS='{"messageBurst":1e9,
 * "messagesPerSecond":1e9}'` overrides relay limits (here: rate limits off, to measure the
 * store alone).
 *
 * Starts both servers in a child process on 127.0.0.1 (port 0, a temporary data folder) and
 * floods them from this one, printing for each flood the servers' memory before and after,
 * and where it applies the bytes written to disk per byte received and a well-behaved
 * client's sync time during the flood against the same without it (ratio).
 *
 * 1. Relay, before authentication: one connection sends `PRE_AUTH_FRAMES` frames of 30 MB
 *    that name a document but never authenticate.
 * 2. Relay, a burst of `TINY_UPDATES` updates of 150 bytes to one authenticated notebook
 *    that already holds `FLOOD_DOC_BYTES`, one message each, while another client syncs
 *    its own notebook again and again.
 * 3. Signalling: `SIG_CONNECTIONS` connections subscribing to as many topics as they can,
 *    then a subscriber that never reads while a publisher sends `SIG_PUBLISHES` large
 *    messages to its topic; a well-behaved ping round trip during vs without.
 *
 * Memory is the child's RSS and its heap + external (Buffers) after a forced GC. Sizes are
 * kept small enough to run anywhere (a few hundred MB at most against an unprotected server).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { relayDocumentName } from '../../src/sync/pairing.ts';

const PRE_AUTH_FRAMES = Number(process.env.PRE_AUTH_FRAMES ?? 4);
const FRAME_BYTES = 30 * 1024 * 1024;
const TINY_UPDATES = Number(process.env.TINY_UPDATES ?? 6_000);
const TINY_BYTES = 150;
const FLOOD_DOC_BYTES = 128 * 1024;
const WELL_DOC_BYTES = 64 * 1024;
const SIG_CONNECTIONS = 50;
const SIG_TOPICS_PER_MESSAGE = 500;
const SIG_PUBLISHES = 200;
const SIG_PUBLISH_BYTES = 200 * 1024;
const TIME_LIMIT_MS = 9 * 60_000;

interface Stats {
  rss: number;
  heap: number;
  external: number;
  fileBytes: number;
  fileWrites: number;
  kernelWriteBytes?: number;
  topics: number;
}

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

class Servers {
  private waiting: ((s: Stats) => void)[] = [];
  relay = '';
  signaling = '';
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: { type: string } & Stats) => {
      if (m.type === 'stats') this.waiting.shift()?.(m);
    });
  }
  static async start(dataDir: string): Promise<Servers> {
    const script = fileURLToPath(new URL('./servers.ts', import.meta.url));
    const child = fork(script, [dataDir], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const servers = new Servers(child);
    // The relay's own log lines, counted (a stack trace is many lines) and shown in short.
    child.stderr!.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().split('\n').filter(Boolean);
      servers.logLines += lines.length;
      for (const line of lines)
        if (servers.shown++ < 12) console.log(`  [server] ${line.slice(0, 160)}`);
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`servers exited (${code})`)));
      child.on('message', (m: { type: string; relay: string; signaling: string }) => {
        if (m.type !== 'ready') return;
        servers.relay = m.relay;
        servers.signaling = m.signaling;
        resolve();
      });
    });
    return servers;
  }
  logLines = 0;
  shown = 0;
  stats(): Promise<Stats> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send({ type: 'stats' });
    });
  }
  /** Stats once RSS and file bytes have stopped moving (or after `limitMs`). */
  async settled(limitMs = 30_000): Promise<Stats> {
    const start = Date.now();
    let last = await this.stats();
    for (;;) {
      await sleep(500);
      const now = await this.stats();
      const still =
        now.fileBytes === last.fileBytes && Math.abs(now.rss - last.rss) < 2 * 1024 * 1024;
      if (still || Date.now() - start > limitMs) return now;
      last = now;
    }
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'stop' });
    await Promise.race([exited, sleep(10_000)]);
    this.child.kill('SIGKILL');
  }
}

function memLine(label: string, before: Stats, after: Stats): string {
  return (
    `${label}: RSS ${MB(before.rss)} → ${MB(after.rss)} (+${MB(after.rss - before.rss)}), ` +
    `heap+external ${MB(before.heap + before.external)} → ${MB(after.heap + after.external)} ` +
    `(+${MB(after.heap + after.external - before.heap - before.external)})`
  );
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

function provider(url: string, name: string, token: string, doc: Y.Doc): HocuspocusProvider {
  return new HocuspocusProvider({
    url,
    name,
    token,
    document: doc,
    awareness: null,
    // @ts-expect-error -- accepted at run time by the provider's own socket (Node has no WebSocket)
    WebSocketPolyfill: WebSocket,
  });
}

function whenSynced(p: HocuspocusProvider): Promise<void> {
  return new Promise((resolve) => {
    if (p.isSynced) resolve();
    else p.on('synced', () => resolve());
  });
}

function whenAllSent(p: HocuspocusProvider): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (p.isSynced && p.unsyncedChanges === 0) {
        p.off('unsyncedChanges', check);
        p.off('synced', check);
        resolve();
      }
    };
    p.on('unsyncedChanges', check);
    p.on('synced', check);
    check();
  });
}

async function token(label: string): Promise<{ token: string; name: string }> {
  const t = `load-test-${label}-${Math.random().toString(36).slice(2)}`;
  return { token: t, name: await relayDocumentName(t) };
}

/** A notebook holding `bytes` of (random, incompressible) content, stored on the relay. */
async function seed(url: string, who: { token: string; name: string }, bytes: number) {
  const doc = new Y.Doc();
  const p = provider(url, who.name, who.token, doc);
  await whenSynced(p);
  const chunk = 16 * 1024;
  for (let i = 0; i < bytes; i += chunk) {
    const b = new Uint8Array(chunk);
    for (let j = 0; j < chunk; j += 4) b[j] = Math.random() * 256;
    doc.getArray<Uint8Array>('entries').push([b]);
  }
  await whenAllSent(p);
  p.destroy();
  doc.destroy();
}

/** Time for a fresh client to connect, authenticate and sync `who`'s notebook. */
async function syncTime(url: string, who: { token: string; name: string }): Promise<number> {
  const doc = new Y.Doc();
  const start = performance.now();
  const p = provider(url, who.name, who.token, doc);
  await whenSynced(p);
  const ms = performance.now() - start;
  p.destroy();
  doc.destroy();
  return ms;
}

async function preAuthFlood(servers: Servers): Promise<void> {
  console.log(
    `\n1. Relay: ${PRE_AUTH_FRAMES} frames of 30 MB on one connection that never authenticates`,
  );
  const before = await servers.settled();
  const ws = new WebSocket(servers.relay);
  let closed: string | undefined;
  ws.on('close', (code, reason) => (closed = `${code} ${reason.toString() || '(no reason)'}`));
  ws.on('error', () => undefined);
  await opened(ws);
  const name = await relayDocumentName('never-authenticates');
  const enc = encoding.createEncoder();
  encoding.writeVarString(enc, name);
  encoding.writeVarUint(enc, 0); // Sync
  const head = encoding.toUint8Array(enc);
  const frame = Buffer.alloc(FRAME_BYTES, 7);
  frame.set(head, 0);
  let sent = 0;
  for (let i = 0; i < PRE_AUTH_FRAMES && ws.readyState === ws.OPEN; i++) {
    await new Promise<void>((resolve) => ws.send(frame, () => resolve()));
    sent++;
  }
  const after = await servers.settled();
  console.log(
    `   frames handed to the socket: ${sent}; connection: ${closed ? `closed by the relay (${closed})` : 'still open'}`,
  );
  console.log(`   ${memLine('relay process', before, after)}`);
  ws.terminate();
}

async function tinyFlood(servers: Servers): Promise<void> {
  console.log(
    `\n2. Relay: ${TINY_UPDATES} updates of ${TINY_BYTES} bytes, one message each, to a notebook of ${FLOOD_DOC_BYTES / 1024} KiB`,
  );
  const flood = await token('flood');
  const well = await token('well');
  await seed(servers.relay, flood, FLOOD_DOC_BYTES);
  await seed(servers.relay, well, WELL_DOC_BYTES);
  const quiet: number[] = [];
  for (let i = 0; i < 3; i++) await syncTime(servers.relay, well); // warm-up
  for (let i = 0; i < 9; i++) quiet.push(await syncTime(servers.relay, well));
  const before = await servers.settled();

  const doc = new Y.Doc();
  const p = provider(servers.relay, flood.name, flood.token, doc);
  let closes = 0;
  const reasons = new Set<string>();
  p.on('close', ({ event }: { event: { code: number; reason: string } }) => {
    closes++;
    reasons.add(`${event.code} ${event.reason}`);
  });
  await whenSynced(p);

  const arr = doc.getArray<Uint8Array>('tiny');
  const start = performance.now();
  for (let i = 0; i < TINY_UPDATES; i++) {
    const b = new Uint8Array(TINY_BYTES);
    for (let j = 0; j < TINY_BYTES; j += 4) b[j] = Math.random() * 256;
    arr.push([b]);
  }
  const received = TINY_UPDATES * TINY_BYTES;
  const during: number[] = [];
  let floodDone = false;
  let floodMs = NaN;
  const sent = whenAllSent(p).then(() => {
    floodDone = true;
    floodMs = performance.now() - start;
  });
  // "During" lasts until the flood is acknowledged and the relay has stopped writing for it.
  let lastBytes = -1;
  while (performance.now() - start < 240_000) {
    during.push(await syncTime(servers.relay, well));
    if (!floodDone) continue;
    const { fileBytes } = await servers.stats();
    if (fileBytes === lastBytes) break;
    lastBytes = fileBytes;
  }
  await sent;
  const after = await servers.settled(30_000);
  p.destroy();
  doc.destroy();
  const written = after.fileBytes - before.fileBytes;
  console.log(
    `   flood acknowledged after ${(floodMs / 1000).toFixed(1)} s, written after ${((performance.now() - start) / 1000).toFixed(1)} s; closes seen by the flooding client: ${closes}${reasons.size ? ` (${[...reasons].join('; ')})` : ''}`,
  );
  console.log(
    `   bytes written to disk: ${MB(written)} in ${after.fileWrites - before.fileWrites} writes for ${MB(received)} of updates received: ${(written / received).toFixed(1)} bytes written per byte received` +
      (after.kernelWriteBytes !== undefined && before.kernelWriteBytes !== undefined
        ? ` (kernel write_bytes: ${MB(after.kernelWriteBytes - before.kernelWriteBytes)})`
        : ''),
  );
  console.log(
    `   well-behaved client's sync: ${median(quiet).toFixed(0)} ms without the flood (median of ${quiet.length}), ` +
      `${median(during).toFixed(0)} ms during it (median of ${during.length}, max ${Math.max(...during).toFixed(0)} ms): ratio ${(median(during) / median(quiet)).toFixed(1)}×`,
  );
  console.log(`   ${memLine('relay process', before, after)}`);
}

async function pingTime(url: string, ws?: WebSocket): Promise<number> {
  const own = !ws;
  const conn = ws ?? new WebSocket(url);
  if (own) await opened(conn);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const on = (data: WebSocket.RawData) => {
      if (String(data).includes('pong')) {
        conn.off('message', on);
        resolve();
      }
    };
    conn.on('message', on);
    conn.send(JSON.stringify({ type: 'ping' }));
  });
  const ms = performance.now() - start;
  if (own) conn.close();
  return ms;
}

/** Run `phase`, or report that it did not finish within `ms` and go on. */
async function bounded(label: string, phase: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.log(
        `   ${label}: did not finish within ${ms / 1000} s (a client or the server is stuck)`,
      );
      resolve();
    }, ms);
  });
  await Promise.race([phase, late]);
  clearTimeout(timer);
}

async function signalingFlood(servers: Servers): Promise<void> {
  console.log(
    `\n3a. Signalling: ${SIG_CONNECTIONS} connections, each subscribing to ${SIG_TOPICS_PER_MESSAGE} new topics per message, 10 messages each`,
  );
  const before = await servers.settled();
  const quiet: number[] = [];
  for (let i = 0; i < 9; i++) quiet.push(await pingTime(servers.signaling));
  const conns: WebSocket[] = [];
  let closedBy = 0;
  for (let c = 0; c < SIG_CONNECTIONS; c++) {
    const ws = new WebSocket(servers.signaling);
    ws.on('error', () => undefined);
    ws.on('close', () => closedBy++);
    await opened(ws).catch(() => undefined);
    conns.push(ws);
    for (let m = 0; m < 10 && ws.readyState === ws.OPEN; m++) {
      const topics = Array.from(
        { length: SIG_TOPICS_PER_MESSAGE },
        (_, i) => `t-${c}-${m}-${i}-${'x'.repeat(100)}`,
      );
      ws.send(JSON.stringify({ type: 'subscribe', topics }));
    }
  }
  const during: number[] = [];
  for (let i = 0; i < 9; i++) during.push(await pingTime(servers.signaling));
  const after = await servers.settled();
  console.log(`   topics held: ${after.topics}; connections closed by the server: ${closedBy}`);
  console.log(`   ${memLine('servers process', before, after)}`);
  console.log(
    `   ping round trip: ${median(quiet).toFixed(1)} ms without, ${median(during).toFixed(1)} ms after the flood: ratio ${(median(during) / median(quiet)).toFixed(1)}×`,
  );
  for (const ws of conns) ws.terminate();
}

async function signalingStalled(servers: Servers): Promise<void> {
  const quiet: number[] = [];
  for (let i = 0; i < 9; i++) quiet.push(await pingTime(servers.signaling));
  console.log(
    `\n3b. Signalling: a subscriber that never reads, ${SIG_PUBLISHES} publishes of ${SIG_PUBLISH_BYTES / 1024} KiB to its topic`,
  );
  const before2 = await servers.settled();
  const sub = new WebSocket(servers.signaling);
  let subClosed: string | undefined;
  sub.on('close', (code) => (subClosed = String(code)));
  sub.on('error', () => undefined);
  await opened(sub);
  sub.send(JSON.stringify({ type: 'subscribe', topics: ['stalled'] }));
  await pingTime(servers.signaling, sub);
  // Stop reading: the server's sends to this socket pile up in its buffers.
  (sub as unknown as { _socket: { pause(): void } })._socket.pause();
  const pub = new WebSocket(servers.signaling);
  let pubClosed: string | undefined;
  pub.on('close', (code) => (pubClosed = String(code)));
  pub.on('error', () => undefined);
  await opened(pub);
  const payload = 'y'.repeat(SIG_PUBLISH_BYTES);
  for (let i = 0; i < SIG_PUBLISHES && pub.readyState === pub.OPEN; i++) {
    await new Promise<void>((resolve) =>
      pub.send(JSON.stringify({ type: 'publish', topic: 'stalled', data: payload }), () =>
        resolve(),
      ),
    );
  }
  const during2: number[] = [];
  for (let i = 0; i < 9; i++) during2.push(await pingTime(servers.signaling));
  const after2 = await servers.settled();
  console.log(
    `   subscriber: ${subClosed ? `closed by the server (${subClosed})` : 'still connected'}; publisher: ${pubClosed ? `closed (${pubClosed})` : 'still connected'}`,
  );
  console.log(`   ${memLine('servers process', before2, after2)}`);
  console.log(
    `   ping round trip: ${median(quiet).toFixed(1)} ms without, ${median(during2).toFixed(1)} ms during: ratio ${(median(during2) / median(quiet)).toFixed(1)}×`,
  );
  sub.terminate();
  pub.terminate();
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vitrine-load-'));
  const servers = await Servers.start(dataDir);
  const limit = setTimeout(() => {
    console.error(`Stopped: the load test ran past ${TIME_LIMIT_MS / 60_000} minutes.`);
    servers.child.kill('SIGKILL');
    process.exit(2);
  }, TIME_LIMIT_MS);
  try {
    console.log(`relay ${servers.relay}, signalling ${servers.signaling}, data in ${dataDir}`);
    const only = process.env.ONLY;
    if (only !== 'signaling') {
      await bounded('1', preAuthFlood(servers), 60_000);
      await bounded('2', tinyFlood(servers), 270_000);
    }
    if (only !== 'relay') {
      await bounded('3a', signalingFlood(servers), 120_000);
      await bounded('3b', signalingStalled(servers), 120_000);
    }
    console.log(`\nserver log lines during the run: ${servers.logLines}`);
  } finally {
    clearTimeout(limit);
    await servers.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
