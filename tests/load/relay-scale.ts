/**
 * Load test for relays sharing PostgreSQL and Redis (issue 16, point 5). Run:
 *
 *     npx tsx tests/load/relay-scale.ts            (about 2 minutes; stops itself after 8)
 *
 * Starts PostgreSQL 15 and Redis on 127.0.0.1 (tests/helpers/services.ts), then runs the same
 * load twice, each on a fresh database: against ONE relay process, and against TWO relay
 * processes sharing the database and Redis (`vitrine relay --postgres … --redis …`, each in
 * a process of its own). `NOTEBOOKS` notebooks (default 200) with two simulated devices
 * each (400 devices); with two relays, the two devices of every notebook are on different
 * relays, so every change crosses Redis (the worst case).
 *
 * A simulated device is what the relay sees of one: a Hocuspocus connection to its
 * notebook's envelope, appending entries sealed with AES-GCM under the notebook's key
 * (src/sync/crypto.ts `seal`, ~200-byte payloads). Each device keeps `WINDOW` (default 1)
 * entries in flight: it appends the next one when its partner has received one (closed loop, so the
 * relays run as fast as they can). For `SECONDS` seconds it counts sealed entries received
 * by the partner device (updates/s) and the time from append to arrival (p50, p99).
 *
 * Printed: both runs and the ratios two/one (updates/s: higher is better; p99: lower is
 * better), and the relays' CPU time per update (from /proc): summed, and of the busiest
 * relay, which says how far more relays on more cores would carry the load. Everything (relays, PostgreSQL, Redis, the simulated devices) shares this
 * machine's cores, so absolute figures say little; the ratio is the result.
 *
 * Limits: the per-connection message rate, the new-notebooks-per-address allowance and the
 * time to authenticate are raised for this run (every device comes from 127.0.0.1 and sends as fast as it may); the
 * other limits stay at their defaults.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { createIdentity, deriveKeys, type SyncKeys } from '../../src/sync/pairing.ts';
import { seal } from '../../src/sync/crypto.ts';
import { entryKey, envelopeEntries, type EnvelopeEntry } from '../../src/sync/envelope.ts';
import { startPostgres, startRedis } from '../helpers/services.ts';

const NOTEBOOKS = Number(process.env.NOTEBOOKS ?? 200);
const WINDOW = Number(process.env.WINDOW ?? 1);
const SECONDS = Number(process.env.SECONDS ?? 20);
const PAYLOAD = 200;
const TIME_LIMIT_MS = 8 * 60_000;
const BIN = fileURLToPath(new URL('../../bin/vitrine.js', import.meta.url));

interface Relay {
  url: string;
  child: ChildProcess;
}

async function relayProcess(args: string[]): Promise<Relay> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'relay',
      '--port',
      '0',
      '--messages-per-second',
      '100000',
      '--message-burst',
      '100000',
      '--new-notebooks-per-hour',
      '1000000',
      // Hundreds of handshakes at once on a busy machine can take longer than 10 s.
      '--pre-auth-seconds',
      '120',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      process.stderr.write(`  [relay] ${d.toString()}`);
    });
    child.once('exit', (code) => reject(new Error(`relay exited (${code}): ${out}`)));
  });
  return { url, child };
}

async function stopRelay(r: Relay): Promise<void> {
  if (r.child.exitCode !== null) return;
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill('SIGTERM');
  await exited;
}

interface Device {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  inFlight: number;
}

function connectDevice(url: string, keys: SyncKeys, id: string): Device {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: WebSocket,
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: keys.relayDocument,
    token: keys.relayToken,
    document: doc,
    awareness: null,
  });
  provider.attach();
  return { id, doc, provider, socket, inFlight: 0 };
}

function synced(d: Device): Promise<void> {
  return new Promise((resolve) => {
    if (d.provider.isSynced) resolve();
    else d.provider.on('synced', () => resolve());
  });
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
async function cpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line (12 and 13 after the name).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

interface Result {
  /** CPU ms per update received, summed over the relays, and of the busiest relay. */
  cpuPerUpdate: number;
  busiestPerUpdate: number;
  updates: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The load against `urls` (device A of each notebook on urls[0], B on the last). */
async function run(relays: Relay[]): Promise<Result> {
  const urls = relays.map((r) => r.url);
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let stopping = false;
  const pairs: { keys: SyncKeys; a: Device; b: Device }[] = [];
  for (let i = 0; i < NOTEBOOKS; i++) {
    const keys = await deriveKeys(createIdentity());
    const a = connectDevice(urls[0]!, keys, `a${i}`);
    const b = connectDevice(urls[urls.length - 1]!, keys, `b${i}`);
    pairs.push({ keys, a, b });
    // Connect in small batches: a few hundred handshakes at once only measure the backlog.
    if (i % 20 === 19)
      await Promise.all(pairs.slice(-20).flatMap((p) => [synced(p.a), synced(p.b)]));
  }
  await Promise.all(pairs.flatMap((p) => [synced(p.a), synced(p.b)]));
  tearingDown = false;

  let seq = 0;
  const send = async (from: Device, keys: SyncKeys) => {
    if (stopping) return;
    from.inFlight++;
    const plaintext = new Uint8Array(PAYLOAD);
    globalThis.crypto.getRandomValues(plaintext);
    const s = ++seq;
    const sealed = await seal(keys.key, plaintext, {
      roomId: keys.roomId,
      device: from.id,
      seq: s,
      kind: 'update',
    });
    const entry: EnvelopeEntry = { device: from.id, seq: s, kind: 'update', ...sealed };
    sent.set(entryKey(entry), performance.now());
    envelopeEntries(from.doc).push([entry]);
  };
  for (const { keys, a, b } of pairs) {
    for (const [me, partner] of [
      [b, a],
      [a, b],
    ] as const) {
      // `me` receives what `partner` sends; each arrival lets the partner send the next.
      envelopeEntries(me.doc).observe((event) => {
        for (const item of event.changes.added) {
          for (const entry of item.content.getContent() as EnvelopeEntry[]) {
            if (entry.device !== partner.id) continue;
            const key = entryKey(entry);
            const at = sent.get(key);
            if (at === undefined) continue;
            sent.delete(key);
            if (measuring) latencies.push(performance.now() - at);
            partner.inFlight--;
            void send(partner, keys);
          }
        }
      });
    }
  }
  // Warm up for two seconds, then measure.
  for (const { keys, a, b } of pairs) {
    for (let w = 0; w < WINDOW; w++) {
      void send(a, keys);
      void send(b, keys);
    }
  }
  await new Promise((r) => setTimeout(r, 2000));
  const pids = relays.map((r) => r.child.pid!);
  const cpuBefore = await Promise.all(pids.map(cpuMs));
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const cpu = (await Promise.all(pids.map(cpuMs))).map((ms, i) => ms - cpuBefore[i]!);
  const seconds = (performance.now() - start) / 1000;
  stopping = true;
  tearingDown = true;
  const updates = latencies.length;
  for (const { a, b } of pairs) {
    for (const d of [a, b]) {
      d.provider.destroy();
      d.socket.destroy();
      d.doc.destroy();
    }
  }
  latencies.sort((x, y) => x - y);
  return {
    cpuPerUpdate: cpu.reduce((a, b) => a + b, 0) / updates,
    busiestPerUpdate: Math.max(...cpu) / updates,
    updates,
    seconds,
    perSecond: updates / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function line(label: string, r: Result): string {
  return `${label.padEnd(14)} ${r.perSecond.toFixed(0).padStart(7)} sealed updates/s   p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   (${r.updates} in ${r.seconds.toFixed(1)} s)   relay CPU ${r.cpuPerUpdate.toFixed(2)} ms/update, busiest relay ${r.busiestPerUpdate.toFixed(2)}`;
}

// A device still reconnecting when the run ends: ws reports the socket closed before it
// opened as an 'error' event nobody listens to (the provider gives no handle on it).
let tearingDown = false;
process.on('uncaughtException', (e) => {
  if (tearingDown && /closed before the connection was established/.test(e.message)) return;
  throw e;
});

async function main(): Promise<void> {
  const limit = setTimeout(() => {
    console.error(`Stopped after ${TIME_LIMIT_MS / 60_000} minutes.`);
    process.exit(2);
  }, TIME_LIMIT_MS);
  limit.unref();
  console.log(
    `${NOTEBOOKS} notebooks, ${NOTEBOOKS * 2} devices, ${WINDOW} entries in flight per device, ${SECONDS} s per run\n`,
  );
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const relays: Relay[] = [];
  try {
    const oneDb = await pg.createDatabase();
    const one = await relayProcess(['--postgres', oneDb, '--redis', redis.url]);
    relays.push(one);
    const single = await run([one]);
    console.log(line('one relay', single));
    await stopRelay(one);

    const twoDb = await pg.createDatabase();
    const shared = ['--postgres', twoDb, '--redis', redis.url];
    const r1 = await relayProcess(shared);
    const r2 = await relayProcess(shared);
    relays.push(r1, r2);
    const double = await run([r1, r2]);
    console.log(line('two relays', double));
    console.log(
      `\ntwo relays / one relay: updates/s × ${(double.perSecond / single.perSecond).toFixed(2)}, ` +
        `p99 × ${(double.p99 / single.p99).toFixed(2)}, p50 × ${(double.p50 / single.p50).toFixed(2)}, ` +
        `busiest relay's CPU per update × ${(double.busiestPerUpdate / single.busiestPerUpdate).toFixed(2)}`,
    );
    console.log(
      `load average during the runs: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (${cpus().length} cores)`,
    );
    await Promise.all([stopRelay(r1), stopRelay(r2)]);
    const rows = await pg.query<{ n: string }>(
      twoDb,
      'SELECT (SELECT count(*) FROM vitrine_relay_documents) + (SELECT count(*) FROM vitrine_relay_updates) AS n',
    );
    console.log(`rows in PostgreSQL after the two-relay run: ${rows[0]!.n}`);
  } finally {
    for (const r of relays) await stopRelay(r).catch(() => undefined);
    await Promise.all([pg.stop(), redis.stop()]);
  }
}

await main();
