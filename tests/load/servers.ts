/**
 * The servers under load, in their own process (so their memory is measured alone): a relay
 * and a signalling server on 127.0.0.1, port 0. Started by `relay-flood.ts` with
 * `child_process.fork`; answers `{ type: 'stats' }` over IPC with its memory (after a
 * garbage collection) and the bytes it has written to files, then `{ type: 'stop' }`.
 *
 * Bytes written are counted by wrapping Node's `FileHandle` write methods, which every
 * relay store version writes through; `/proc/self/io`'s `write_bytes` is reported beside it
 * where the kernel provides it.
 */
import { open, readFile } from 'node:fs/promises';
import { startRelay } from '../../src/server/relay.ts';
import { startSignaling } from '../../src/server/signaling.ts';

let fileBytes = 0;
let fileWrites = 0;

async function countFileWrites(): Promise<void> {
  const probe = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(probe) as Record<string, unknown>;
  await probe.close();
  const size = (data: unknown): number =>
    typeof data === 'string'
      ? Buffer.byteLength(data)
      : ArrayBuffer.isView(data)
        ? data.byteLength
        : Array.isArray(data)
          ? data.reduce((s: number, d) => s + size(d), 0)
          : 0;
  for (const method of ['write', 'writev', 'writeFile', 'appendFile']) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      fileBytes += size(args[0]);
      fileWrites++;
      return original.apply(this, args);
    };
  }
}

async function kernelWriteBytes(): Promise<number | undefined> {
  try {
    const io = await readFile('/proc/self/io', 'utf8');
    const m = /^write_bytes:\s*(\d+)/m.exec(io);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: servers.ts DATA_DIR');
  await countFileWrites();
  // LOAD_RELAY_LIMITS: JSON of relay limits to override (e.g. rate limits off, to measure
  // the store alone); ignored by a relay without limits.
  const limits = JSON.parse(process.env.LOAD_RELAY_LIMITS ?? '{}') as Record<string, number>;
  const relay = await startRelay({ dataDir, port: 0, host: '127.0.0.1', limits });
  const signaling = await startSignaling({ port: 0, host: '127.0.0.1' });
  process.on('message', (message: { type: string }) => {
    void (async () => {
      if (message.type === 'stats') {
        globalThis.gc?.();
        const m = process.memoryUsage();
        process.send?.({
          type: 'stats',
          rss: m.rss,
          heap: m.heapUsed,
          external: m.external + m.arrayBuffers,
          fileBytes,
          fileWrites,
          kernelWriteBytes: await kernelWriteBytes(),
          topics: signaling.topics().size,
        });
      } else if (message.type === 'stop') {
        await Promise.all([relay.destroy(), signaling.destroy()]);
        process.send?.({ type: 'stopped' });
        process.exit(0);
      }
    })();
  });
  process.send?.({ type: 'ready', relay: relay.url, signaling: signaling.url });
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
