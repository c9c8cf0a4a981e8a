/**
 * The relay: a store-and-forward Yjs server (Hocuspocus 3) that only ever holds envelopes
 * of sealed entries (see src/sync/envelope.ts). It cannot read a notebook: it never has
 * the key, only the relay token's hash as the document name.
 *
 * Authentication: a client asks for document `name` with token `t`; the relay accepts only
 * when `name === relayDocumentName(t)` (SHA-256). No account table, nothing to register,
 * and a token that does not fit is refused; a client with another secret derives another
 * name and lands in its own, unrelated (empty) document.
 */
import type { AddressInfo } from 'node:net';
import { Server } from '@hocuspocus/server';
import { relayDocumentName } from '../sync/pairing.ts';
import { DOCUMENT_NAME, FileStore, type DocumentStore } from './file-store.ts';
import { DEFAULT_RELAY_LIMITS, RelayGuard, type RelayLimits } from './limits.ts';
import { BatchedPersistence } from './persistence.ts';
import { originAllowed, type AllowedOrigins } from './origin.ts';
import { PgStore } from './pg-store.ts';
import { connectScaleOut, type ScaleOut } from './scale-out.ts';

/** Options for {@link startRelay}. */
export interface RelayOptions {
  /** Port; 0 (the default) lets the OS choose. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1; set 0.0.0.0 deliberately to serve others). */
  host?: string;
  /** Folder for the stored envelopes (created if missing); unused with `postgres` or `store`. */
  dataDir?: string;
  /**
   * PostgreSQL address (`postgres://user@host:port/db`): store documents there instead of
   * in `dataDir`, so several relays can share them (pg-store.ts).
   */
  postgres?: string;
  /**
   * Redis address (`redis://host:port`): pass changes to the other relays sharing the
   * store, and count new notebooks per address across them (scale-out.ts).
   */
  redis?: string;
  /** Prefix of the relay's Redis channels and keys (default `vitrine`). */
  redisPrefix?: string;
  /** Store a changed document after this many ms of quiet (default 250). */
  debounceMs?: number;
  /** …and at least this often while it keeps changing (default 2000). */
  maxDebounceMs?: number;
  /** Limits per connection, notebook and client (defaults: {@link DEFAULT_RELAY_LIMITS}). */
  limits?: Partial<RelayLimits>;
  /** Behind your own reverse proxy: take client addresses from `X-Forwarded-For`. */
  trustProxy?: boolean;
  /** Where documents go (default: a {@link FileStore} in `dataDir`). */
  store?: DocumentStore;
  /** One line per refused connection or message (default `console.warn`). */
  log?: (line: string) => void;
  /** Clock in ms for the limits (tests). */
  now?: () => number;
  /**
   * Web pages that may connect (the upgrade's `Origin`; see origin.ts). Default none: only
   * clients that send no `Origin` (not browsers) are served.
   */
  allowedOrigins?: AllowedOrigins;
}

/** A running relay. */
export interface RelayServer {
  /** WebSocket address clients connect to, e.g. `ws://127.0.0.1:4445`. */
  readonly url: string;
  readonly port: number;
  /** The interface actually bound (from the socket, not from the options). */
  readonly address: string;
  /** Store every open document, close all connections and stop listening. */
  destroy(): Promise<void>;
}

/** Start a relay on `host:port` persisting to `dataDir`. */
export async function startRelay(options: RelayOptions): Promise<RelayServer> {
  const host = options.host ?? '127.0.0.1';
  const store = options.store ?? storeFor(options);
  let scaleOut: ScaleOut | undefined;
  try {
    await store.init();
    if (options.redis) scaleOut = await connectScaleOut(options.redis, options.redisPrefix);
  } catch (e) {
    await store.close?.();
    throw e;
  }
  const limits = { ...DEFAULT_RELAY_LIMITS, ...options.limits };
  const guard = new RelayGuard({
    limits,
    exists: (name) => store.exists(name),
    ledger: scaleOut?.ledger,
    trustProxy: options.trustProxy,
    log: options.log,
    now: options.now,
  });
  const persistence = new BatchedPersistence(store, {
    debounceMs: options.debounceMs,
    maxDebounceMs: options.maxDebounceMs,
    // What another relay passed on is stored by that relay (and here when unloading).
    ...(scaleOut ? { remoteOrigin: scaleOut.extension.redisTransactionOrigin } : {}),
  });
  const server = new Server(
    {
      quiet: true,
      stopOnSignals: false,
      // Hocuspocus's own store debouncer must never fire on its own: past `maxDebounce` it
      // stores once per message (see persistence.ts). With these values it runs only when
      // the last client leaves (`executeNow`), which BatchedPersistence turns into "write
      // what is pending now".
      debounce: 2 ** 31 - 1,
      maxDebounce: Number.MAX_SAFE_INTEGER,
      async onUpgrade({ request, socket }) {
        const origin = request.headers.origin;
        if (originAllowed(origin, options.allowedOrigins ?? [])) return;
        (options.log ?? console.warn)(
          `Relay: refused a connection: the page ${origin?.slice(0, 200)} is not an allowed origin.`,
        );
        // Node removed its own error listener when it handed over the socket: a client
        // resetting now would otherwise be an unhandled 'error' that ends the process.
        socket.on('error', () => socket.destroy());
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        // Hocuspocus stops an upgrade on a rejection without an error (and logs nothing).
        throw null;
      },
      async onAuthenticate({ documentName, token, request }) {
        if (!DOCUMENT_NAME.test(documentName) || typeof token !== 'string') {
          throw new Error('not a Vitrine relay document');
        }
        if ((await relayDocumentName(token)) !== documentName) {
          throw new Error('wrong relay token');
        }
        await guard.admitDocument(documentName, request);
      },
      // The Redis extension (priority 1000) runs first: it subscribes a loaded document to
      // the other relays' changes and publishes this one's.
      extensions: [
        guard.extension,
        persistence.database,
        persistence,
        ...(scaleOut ? [scaleOut.extension] : []),
      ],
    },
    // ws's default is 100 MiB per message, all of it held in memory before anyone sees it.
    { maxPayload: limits.maxMessageBytes },
  );
  guard.attach(server);
  // Not server.listen(): Hocuspocus 3.4 passes `{ port, address }` to http.listen, and Node
  // reads `host`, so it binds every interface; it also leaves EADDRINUSE unhandled (a crash
  // instead of a rejected promise). Listening on its HTTP server ourselves fixes both.
  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      server.httpServer.once('error', onError);
      server.httpServer.listen({ port: options.port ?? 0, host }, () => {
        server.httpServer.off('error', onError);
        resolve();
      });
    });
  } catch (e) {
    await server.destroy().catch(() => undefined);
    await store.close?.();
    throw e;
  }
  const bound = server.httpServer.address() as AddressInfo;
  const port = bound.port;
  let stopped: Promise<void> | undefined;
  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    address: bound.address,
    destroy() {
      stopped ??= (async () => {
        // Hocuspocus stores on unload too; storing first makes "destroyed" mean "on disk".
        await persistence.flushAll();
        // (Also ends the Redis connections: the extension's onDestroy.)
        await server.destroy();
        await persistence.flushAll();
        // ws's close() stops accepting but leaves open sockets up; clients would sit on a
        // dead connection until their 30 s message timeout instead of reconnecting now.
        for (const socket of server.webSocketServer.clients) socket.terminate();
        await store.close?.();
      })();
      return stopped;
    },
  };
}

function storeFor(options: RelayOptions): DocumentStore {
  if (options.postgres) return new PgStore(options.postgres);
  if (!options.dataDir) throw new Error('startRelay needs dataDir, postgres or store.');
  return new FileStore(options.dataDir);
}
