/**
 * Load test for relays sharing PostgreSQL and Redis (issue 16, point 5). Run:
 *
 *     npx tsx tests/load/relay-scale.ts            (about 2 minutes; stops itself after 8)
 *
 * Starts PostgreSQL 15 and Redis on 127.0.0.1 (tests/helpers/services.ts) and two set-ups
 * side by side, each on a database of its own: ONE relay process, and TWO relay processes
 * sharing their database and Redis (`vitrine relay --postgres … --redis …`, each relay in a
 * process of its own; the one relay has the same flags, so the only difference is the second
 * process). Each set-up gets the same load: `NOTEBOOKS` notebooks (default 200) with two
 * simulated devices each, assigned to the set-up's relays round robin in the order they
 * connect (device A of a notebook, then its device B): with two relays, the two devices of
 * every notebook are on different relays, so every change crosses Redis (the worst case).
 *
 * A simulated device is what the relay sees of one: a Hocuspocus connection to its
 * notebook's envelope, appending entries sealed with AES-GCM under the notebook's key
 * (src/sync/crypto.ts `seal`, ~200-byte payloads). Each device keeps `WINDOW` (default 1)
 * entries in flight: it appends the next one when its partner has received one (closed
 * loop, so the relays run as fast as they can).
 *
 * Fairness on a shared machine: both set-ups are connected before anything is measured, and
 * the measurement alternates between them in `ROUNDS` rounds (default 6, order one, two,
 * two, one, one, two, …), `SECONDS` (default 20) in all per set-up: a change in the machine's
 * load during the run falls on both alike. Only the set-up being measured is driven; the
 * other's devices stay connected and idle. Each round starts with a second of warm-up and
 * ends by letting the entries in flight arrive (at most 5 s).
 *
 * Printed: both set-ups (sealed updates received by the partner device per second, and the
 * time from append to arrival, p50 and p99), the ratios two/one (updates/s: higher is
 * better; p99: lower is better), and CPU time per update (from /proc): the relays summed,
 * the busiest relay (which says how far more relays on more cores would carry the load),
 * Redis, and this load generator. Everything shares this machine's cores, so absolute
 * figures say little; the ratio is the result.
 *
 * `RELAY_CPU_PROF=DIR` writes a V8 CPU profile of every relay process into DIR (`node
 * --cpu-prof`), to see where a relay's time goes.
 *
 * Limits: the per-connection message rate, the new-notebooks-per-address allowance and the
 * time to authenticate are raised for this run (every device comes from 127.0.0.1 and sends
 * as fast as it may); the other limits stay at their defaults.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
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
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 6));
const PROFILE_DIR = process.env.RELAY_CPU_PROF ? resolve(process.env.RELAY_CPU_PROF) : undefined;
const PAYLOAD = 200;
const WARM_UP_MS = 1000;
const DRAIN_MS = 5000;
const TIME_LIMIT_MS = 8 * 60_000;
const BIN = fileURLToPath(new URL('../../bin/vitrine.js', import.meta.url));

interface Relay {
  url: string;
  child: ChildProcess;
}

async function relayProcess(args: string[], name: string): Promise<Relay> {
  const profile = PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...profile,
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
      process.stderr.write(`  [${name}] ${d.toString()}`);
    });
    child.once('exit', (code) => reject(new Error(`relay exited (${code}): ${out}`)));
  });
  return { url, child };
}

async function stopRelay(r: Relay): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill('SIGTERM');
  await exited;
}

interface Device {
  readonly id: string;
  readonly keys: SyncKeys;
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  inFlight: number;
}

function connectDevice(url: string, keys: SyncKeys, id: string): Device {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: keys.relayDocument,
    token: keys.relayToken,
    document: doc,
    awareness: null,
  });
  provider.attach();
  return { id, keys, doc, provider, socket, inFlight: 0 };
}

function synced(d: Device): Promise<void> {
  return new Promise((resolve) => {
    if (d.provider.isSynced) resolve();
    else d.provider.on('synced', () => resolve());
  });
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
async function cpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return NaN;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line (12 and 13 after the name).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** One set-up under load: its relays, its devices, and what was measured on it. */
class Setup {
  readonly pairs: { a: Device; b: Device }[] = [];
  private readonly sent = new Map<string, { at: number; from: Device }>();
  readonly latencies: number[] = [];
  measuring = false;
  private driving = false;
  seconds = 0;
  relayCpu: number[];
  redisCpu = 0;
  ownCpu = 0;
  private seq = 0;

  constructor(
    readonly label: string,
    readonly relays: Relay[],
  ) {
    this.relayCpu = relays.map(() => 0);
  }

  /** Connect every device (round robin over the relays) and wire the closed loop. */
  async connect(): Promise<void> {
    let next = 0;
    const url = () => this.relays[next++ % this.relays.length]!.url;
    for (let i = 0; i < NOTEBOOKS; i++) {
      const keys = await deriveKeys(createIdentity());
      const a = connectDevice(url(), keys, `a${i}`);
      const b = connectDevice(url(), keys, `b${i}`);
      this.pairs.push({ a, b });
      // Connect in small batches: a few hundred handshakes at once only measure the backlog.
      if (i % 20 === 19)
        await Promise.all(this.pairs.slice(-20).flatMap((p) => [synced(p.a), synced(p.b)]));
    }
    await Promise.all(this.pairs.flatMap((p) => [synced(p.a), synced(p.b)]));
    for (const { a, b } of this.pairs) {
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
              const s = this.sent.get(key);
              if (s === undefined) continue;
              this.sent.delete(key);
              if (this.measuring) this.latencies.push(performance.now() - s.at);
              partner.inFlight--;
              if (this.driving) void this.send(partner);
            }
          }
        });
      }
    }
  }

  private async send(from: Device): Promise<void> {
    from.inFlight++;
    const plaintext = new Uint8Array(PAYLOAD);
    globalThis.crypto.getRandomValues(plaintext);
    const s = ++this.seq;
    const sealed = await seal(from.keys.key, plaintext, {
      roomId: from.keys.roomId,
      device: from.id,
      seq: s,
      kind: 'update',
    });
    const entry: EnvelopeEntry = { device: from.id, seq: s, kind: 'update', ...sealed };
    this.sent.set(entryKey(entry), { at: performance.now(), from });
    envelopeEntries(from.doc).push([entry]);
  }

  /** Drive the load for a warm-up and `ms` measured, then let what is in flight arrive. */
  async round(ms: number, redisPid: number | undefined): Promise<void> {
    this.driving = true;
    for (const { a, b } of this.pairs) {
      for (const d of [a, b]) for (let w = d.inFlight; w < WINDOW; w++) void this.send(d);
    }
    await new Promise((r) => setTimeout(r, WARM_UP_MS));
    const pids = this.relays.map((r) => r.child.pid);
    const before = await Promise.all(pids.map(cpuMs));
    const redisBefore = await cpuMs(redisPid);
    const ownBefore = ownCpuMs();
    this.measuring = true;
    const start = performance.now();
    await new Promise((r) => setTimeout(r, ms));
    this.measuring = false;
    this.seconds += (performance.now() - start) / 1000;
    this.ownCpu += ownCpuMs() - ownBefore;
    const after = await Promise.all(pids.map(cpuMs));
    after.forEach((ms, i) => (this.relayCpu[i]! += ms - before[i]!));
    this.redisCpu += (await cpuMs(redisPid)) - redisBefore;
    this.driving = false;
    const drained = performance.now() + DRAIN_MS;
    while (this.sent.size > 0 && performance.now() < drained) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Entries appended more than 10 s ago that never reached the partner. */
  stuck(): number {
    const old = performance.now() - 10_000;
    return [...this.sent.values()].filter((s) => s.at < old).length;
  }

  result(): Result {
    const updates = this.latencies.length;
    const sorted = [...this.latencies].sort((x, y) => x - y);
    const relayTotal = this.relayCpu.reduce((a, b) => a + b, 0);
    return {
      updates,
      seconds: this.seconds,
      perSecond: updates / this.seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      cpuPerUpdate: relayTotal / updates,
      busiestPerUpdate: Math.max(...this.relayCpu) / updates,
      redisPerUpdate: this.redisCpu / updates,
      ownPerUpdate: this.ownCpu / updates,
      stuck: this.stuck(),
    };
  }

  destroy(): void {
    this.driving = false;
    for (const { a, b } of this.pairs.splice(0)) {
      for (const d of [a, b]) {
        d.provider.destroy();
        d.socket.destroy();
        d.doc.destroy();
      }
    }
  }
}

interface Result {
  updates: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU ms per update received: the relays summed, the busiest relay, Redis, this process. */
  cpuPerUpdate: number;
  busiestPerUpdate: number;
  redisPerUpdate: number;
  ownPerUpdate: number;
  stuck: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function line(label: string, r: Result): string {
  return (
    `${label.padEnd(11)} ${r.perSecond.toFixed(0).padStart(6)} sealed updates/s   ` +
    `p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   ` +
    `(${r.updates} in ${r.seconds.toFixed(1)} s)\n` +
    `${''.padEnd(11)} CPU ms/update: relays ${r.cpuPerUpdate.toFixed(2)}, busiest relay ` +
    `${r.busiestPerUpdate.toFixed(2)}, Redis ${r.redisPerUpdate.toFixed(2)}, load generator ` +
    `${r.ownPerUpdate.toFixed(2)}` +
    (r.stuck ? `   ${r.stuck} entries never arrived` : '')
  );
}

// A device still reconnecting when the run ends: ws reports the socket closed before it
// opened as an 'error' event nobody listens to (the provider gives no handle on it).
let tearingDown = false;
process.on('uncaughtException', (e) => {
  if (tearingDown && /closed before the connection was established/.test(e.message)) return;
  throw e;
});

async function main(): Promise<void> {
  const relays: Relay[] = [];
  const setups: Setup[] = [];
  const services: { destroy(): Promise<void> }[] = [];
  const limit = setTimeout(() => {
    console.error(`Stopped after ${TIME_LIMIT_MS / 60_000} minutes.`);
    tearingDown = true;
    for (const r of relays) r.child.kill('SIGKILL');
    void Promise.all(services.map((s) => s.destroy())).finally(() => process.exit(2));
  }, TIME_LIMIT_MS);
  limit.unref();
  console.log(
    `${NOTEBOOKS} notebooks and ${NOTEBOOKS * 2} devices per set-up, ${WINDOW} entries in flight ` +
      `per device, ${SECONDS} s per set-up in ${ROUNDS} alternating rounds\n`,
  );
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  services.push(pg, redis);
  try {
    const oneDb = await pg.createDatabase();
    const twoDb = await pg.createDatabase();
    const r0 = await relayProcess(['--postgres', oneDb, '--redis', redis.url], 'relay-one');
    const r1 = await relayProcess(['--postgres', twoDb, '--redis', redis.url], 'relay-two-1');
    const r2 = await relayProcess(['--postgres', twoDb, '--redis', redis.url], 'relay-two-2');
    relays.push(r0, r1, r2);
    // Different notebooks in each set-up: Redis channels are named by notebook.
    const one = new Setup('one relay', [r0]);
    const two = new Setup('two relays', [r1, r2]);
    setups.push(one, two);
    await one.connect();
    await two.connect();
    process.stderr.write(`connected ${NOTEBOOKS * 4} devices\n`);
    const roundMs = (SECONDS * 1000) / ROUNDS;
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? [one, two] : [two, one];
      for (const s of order) {
        const before = s.latencies.length;
        await s.round(roundMs, redis.pid);
        const n = s.latencies.length - before;
        process.stderr.write(
          `round ${i + 1}, ${s.label}: ${((n * 1000) / roundMs).toFixed(0)} updates/s\n`,
        );
      }
    }
    const single = one.result();
    const double = two.result();
    console.log(line('one relay', single));
    console.log(line('two relays', double));
    console.log(
      `\ntwo relays / one relay: updates/s × ${(double.perSecond / single.perSecond).toFixed(2)}, ` +
        `p99 × ${(double.p99 / single.p99).toFixed(2)}, p50 × ${(double.p50 / single.p50).toFixed(2)}, ` +
        `relay CPU per update × ${(double.cpuPerUpdate / single.cpuPerUpdate).toFixed(2)}, ` +
        `busiest relay's × ${(double.busiestPerUpdate / single.busiestPerUpdate).toFixed(2)}`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (${cpus().length} cores)`,
    );
    tearingDown = true;
    for (const s of setups) s.destroy();
    await Promise.all(relays.map(stopRelay));
    const rows = await pg.query<{ n: string }>(
      twoDb,
      'SELECT (SELECT count(*) FROM vitrine_relay_documents) + (SELECT count(*) FROM vitrine_relay_updates) AS n',
    );
    console.log(`rows in PostgreSQL after the two-relay set-up stopped: ${rows[0]!.n}`);
    if (PROFILE_DIR) console.log(`CPU profiles: ${join(PROFILE_DIR, 'relay-*.cpuprofile')}`);
  } finally {
    tearingDown = true;
    for (const s of setups) s.destroy();
    for (const r of relays) await stopRelay(r).catch(() => undefined);
    await Promise.all([pg.destroy(), redis.destroy()]);
  }
}

await main();
