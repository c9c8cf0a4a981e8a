/**
 * Several relay processes serving the same notebooks (`vitrine relay --redis URL`, issue
 * 16): Hocuspocus's Redis extension passes every change a process receives to the others
 * holding the same document (Redis pub/sub, the channel named by the document's name, a
 * token hash), and the new-notebook allowance per client address is counted in Redis, so
 * two relays behind a load balancer do not grant twice as many.
 *
 * What goes through Redis: the document name, Yjs sync messages carrying sealed envelope
 * updates (ciphertext), state vectors, and the new-notebook counters (client address,
 * document name, both expiring after an hour). Never a token, a key or anything readable.
 */
import { Redis } from '@hocuspocus/extension-redis';
import {
  OutgoingMessage,
  type Document,
  type Hocuspocus,
  type onChangePayload,
} from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import type { NewNotebookLedger } from './limits.ts';

/** The parts of a `redis://[user:password@]host[:port][/db]` address ioredis takes. */
export function redisOptions(url: string): {
  host: string;
  port: number;
  options: { username?: string; password?: string; db?: number; tls?: object };
} {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--redis takes an address such as redis://127.0.0.1:6379 (got "${url}").`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new Error(`--redis takes a redis:// or rediss:// address (got "${url}").`);
  }
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) {
    throw new Error(`--redis: the path must be a database number, such as /0 (got "${url}").`);
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    options: {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(db ? { db: Number(db) } : {}),
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

/**
 * Hocuspocus's Redis extension without its store lock. The extension takes a Redis lock
 * around `onStoreDocument` and, when another process holds it, skips every later store
 * hook of that call (logging a stack trace). The relay's stores need no such lock: every
 * process appends what it receives, and a replacement merges with what others stored
 * (pg-store.ts), so skipping a store could only lose the last changes of a process that
 * is stopping.
 */
class RelayRedis extends Redis {
  override async onStoreDocument(): Promise<void> {}
  override async afterStoreDocument(): Promise<void> {}

  /**
   * The extension announces each change by publishing the document's state vector; every
   * other relay answers with its own, and the first relay then sends what they lack: four
   * messages and two state-vector diffs per change, on every relay holding the document.
   * Instead, publish the change itself (as sync step 2, which the receivers apply with the
   * Redis origin, so they do not publish it again). Redis pub/sub drops messages only while
   * a connection is down, so the state vectors are published when a connection comes back
   * ({@link repairAll}), which makes every relay send the others what they missed.
   */
  override async onChange(data: onChangePayload): Promise<void> {
    if (data.transactionOrigin === this.redisTransactionOrigin) return;
    const message = new OutgoingMessage(data.documentName).createSyncMessage();
    encoding.writeVarUint(message.encoder, SYNC_STEP_2);
    encoding.writeVarUint8Array(message.encoder, data.update);
    const self = this as unknown as Internals;
    // Hocuspocus does not catch what onChange rejects with (an unhandled rejection ends the
    // process). A publish fails only once the connection is closed for good (stopping); a
    // change lost while reconnecting is repaired when the connection comes back.
    await this.pub
      .publish(self.pubKey(data.documentName), self.encodeMessage(message.toUint8Array()))
      .catch(() => undefined);
  }

  /** Publish every loaded document's state vector (after a Redis connection came back). */
  repairAll(): void {
    // Set in onConfigure; a connection can come back before that.
    const documents = (this.instance as Hocuspocus | undefined)?.documents;
    if (!documents) return;
    for (const [name, document] of documents) {
      void (this as unknown as Internals)
        .publishFirstSyncStep(name, document)
        .catch(() => undefined);
    }
  }
}

/** Private members of the Redis extension used above (TypeScript-private only). */
interface Internals {
  pubKey(name: string): string;
  encodeMessage(message: Uint8Array): Buffer;
  publishFirstSyncStep(name: string, document: Document): Promise<number>;
}

const SYNC_STEP_2 = 1;

// Token bucket per client address: `tokens` and `at` (ms) in a hash, kept an hour.
// KEYS[1] bucket, KEYS[2] "charged" marker of the document; ARGV now, per hour.
const ADMIT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
local now = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or per
local at = tonumber(b[2]) or now
tokens = math.min(per, tokens + (math.max(0, now - at) / 1000) * (per / 3600))
if tokens < 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], 3600000)
  return 0
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
redis.call('SET', KEYS[2], '1', 'PX', 3600000)
return 1
`;

/** Redis fan-out and shared counters for one relay process; see the module comment. */
export interface ScaleOut {
  /** The Hocuspocus extension (fan-out between processes). */
  readonly extension: Redis;
  /** New notebooks per client address, counted across every process. */
  readonly ledger: NewNotebookLedger;
}

/**
 * Connect to Redis at `url` (checked with a PING: a relay that cannot reach its Redis
 * refuses to start rather than serve notebooks only some devices see live).
 */
export async function connectScaleOut(url: string, prefix = 'vitrine'): Promise<ScaleOut> {
  const { host, port, options } = redisOptions(url);
  const extension = new RelayRedis({
    host,
    port,
    prefix,
    // Reconnect for ever once running; the first PING below decides whether to start.
    // (Not ioredis's auto-pipelining: a publish pending when the connection closes then
    // rejects where nobody can catch it, which ends the process.)
    options: { ...options, maxRetriesPerRequest: null, connectTimeout: 5000 },
  });
  const errors: string[] = [];
  const onError = (e: Error) => errors.push(e.message);
  extension.pub.on('error', onError);
  extension.sub.on('error', onError);
  try {
    await withTimeout(extension.pub.ping(), 5000);
  } catch (e) {
    extension.pub.disconnect(false);
    extension.sub.disconnect(false);
    throw new Error(
      `Cannot reach Redis at ${host}:${port}: ${errors[0] ?? (e as Error).message}. Start it, or check --redis.`,
      { cause: e },
    );
  }
  // Later connection trouble: one line each, ioredis reconnects by itself.
  extension.pub.off('error', onError);
  extension.sub.off('error', onError);
  let last = '';
  const warn = (e: Error) => {
    if (e.message !== last) console.warn(`Relay: Redis: ${e.message}`);
    last = e.message;
  };
  extension.pub.on('error', warn);
  extension.sub.on('error', warn);
  // ioredis reconnects by itself and subscribes again; what was published meanwhile is lost.
  extension.pub.on('ready', () => extension.repairAll());
  extension.sub.on('ready', () => extension.repairAll());
  const pub = extension.pub;
  return {
    extension,
    ledger: {
      async admit(name, client, perHour, now) {
        const result = await pub.eval(
          ADMIT,
          2,
          `${prefix}:new-notebooks:${client}`,
          `${prefix}:new-notebook:${name}`,
          String(now),
          String(perHour),
        );
        return result === 1;
      },
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
