/**
 * The relay's limits, independent of where documents are stored: what a connection may send
 * before it has authenticated, how large one message may be, how fast a connection may send,
 * how large one notebook may grow, and how many new notebooks one client address may create.
 *
 * A connection over a limit is closed with a code and a sentence the client can show, and
 * the relay logs one line for it (never a stack trace). Nothing of the refused message is
 * applied or stored.
 *
 * Where Hocuspocus 3.4 keeps data before authentication: `ClientConnection` queues every
 * message for a document until its `onAuthenticate` resolves, with no bound, and keeps
 * queueing after a refused authentication (`incomingMessageQueue`); `ws` buffers each frame
 * up to `maxPayload` (100 MiB by default) before Hocuspocus sees it. So the guard counts the
 * raw bytes read from the socket until the connection holds an authenticated document, and
 * filters messages before Hocuspocus's own listener runs.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import type {
  Extension,
  Server,
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  connectedPayload,
  onChangePayload,
} from '@hocuspocus/server';

const MiB = 1024 * 1024;

/** Limits of a relay; every figure per connection unless it says otherwise. */
export interface RelayLimits {
  /** Largest message accepted, in bytes (default 48 MiB: a 10,000-person notebook's sealed snapshot is ~25–35 MB). */
  maxMessageBytes: number;
  /** Bytes a connection may send before it holds an authenticated document (default 1 MiB). */
  preAuthBytes: number;
  /** Messages for documents not (yet) authenticated on a connection (default 100). */
  preAuthMessages: number;
  /** A connection must authenticate within this many ms of opening (default 10 000). */
  preAuthMs: number;
  /** Sustained messages per second on one connection (default 100)… */
  messagesPerSecond: number;
  /** …with bursts of up to this many (default 1000). */
  messageBurst: number;
  /** Sustained bytes per second on one connection (bursts up to `maxMessageBytes`; default 4 MiB). */
  bytesPerSecond: number;
  /** Largest stored notebook (envelope) in bytes (default 256 MiB). */
  maxNotebookBytes: number;
  /** New notebooks one client address may create per hour (default 20). */
  newNotebooksPerHour: number;
}

/** The defaults (see each field of {@link RelayLimits}). */
export const DEFAULT_RELAY_LIMITS: Readonly<RelayLimits> = Object.freeze({
  maxMessageBytes: 48 * MiB,
  preAuthBytes: 1 * MiB,
  preAuthMessages: 100,
  preAuthMs: 10_000,
  messagesPerSecond: 100,
  messageBurst: 1000,
  bytesPerSecond: 4 * MiB,
  maxNotebookBytes: 256 * MiB,
  newNotebooksPerHour: 20,
});

/** Close codes the relay uses for a limit (4xxx: application codes, after HTTP's). */
export const CLOSE = Object.freeze({
  /** Too much before authentication. */
  preAuth: 4413,
  /** No authentication in time. */
  timeout: 4408,
  /** Sending too fast, or too many new notebooks. */
  tooFast: 4429,
  /** The notebook reached its size limit. */
  quota: 4507,
  /** Not a message of the Hocuspocus protocol. */
  malformed: 4400,
});

/**
 * Counts new notebooks per client address. In memory for one relay process (the default);
 * in Redis for several sharing one store (scale-out.ts), so a client reaching two relays
 * through a load balancer gets one allowance, not two.
 */
export interface NewNotebookLedger {
  /**
   * Charge `client` for creating notebook `name` (`perHour` per hour, bursts up to
   * `perHour`), unless `name` was charged in the last hour already. False when over.
   */
  admit(name: string, client: string, perHour: number, now: number): Promise<boolean>;
}

/** {@link NewNotebookLedger} in this process: a token bucket per address. */
export class MemoryLedger implements NewNotebookLedger {
  private readonly newNotebooks = new Map<string, Bucket>();
  // New notebooks admitted in the last hour, by name: a device that reconnects to a notebook
  // it has not written to yet (nothing stored) is not charged again.
  private readonly recentlyNew = new Map<string, number>();

  admit(name: string, client: string, per: number, now: number): Promise<boolean> {
    const since = this.recentlyNew.get(name);
    if (since !== undefined && now - since < 3_600_000) return Promise.resolve(true);
    const bucket = this.newNotebooks.get(client) ?? { tokens: per, at: now };
    this.newNotebooks.set(client, bucket);
    if (!take(bucket, 1, per, per / 3600, now)) return Promise.resolve(false);
    this.recentlyNew.set(name, now);
    this.prune(now, per);
    return Promise.resolve(true);
  }

  private prune(now: number, per: number): void {
    if (this.recentlyNew.size >= 10_000) {
      for (const [name, at] of this.recentlyNew) {
        if (now - at >= 3_600_000) this.recentlyNew.delete(name);
      }
    }
    if (this.newNotebooks.size < 10_000) return;
    for (const [client, b] of this.newNotebooks) {
      if (b.tokens + ((now - b.at) / 1000) * (per / 3600) >= per) this.newNotebooks.delete(client);
    }
  }
}

/** Options for {@link RelayGuard}. */
export interface GuardOptions {
  /** Where new notebooks are counted (default: in this process). */
  ledger?: NewNotebookLedger;
  limits: RelayLimits;
  /** Whether `name` already exists in the store (new notebooks count against the client). */
  exists(name: string): Promise<boolean>;
  /** Take the client's address from `X-Forwarded-For` (behind your own reverse proxy). */
  trustProxy?: boolean;
  /** One line per refusal (default `console.warn`). */
  log?: (line: string) => void;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** A refusal with a close code and a reason short enough for a WebSocket close frame. */
export class LimitError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string) {
    super(reason);
    this.code = code;
    this.reason = reason;
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

interface SocketState {
  readonly ws: WebSocket;
  readonly client: string;
  readonly raw: Duplex;
  readonly authenticated: Set<string>;
  preAuthRawBytes: number;
  queuedBytes: number;
  queuedMessages: number;
  messages: Bucket;
  bytes: Bucket;
  closed: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  onRaw: ((chunk: Buffer) => void) | undefined;
}

const SYNC = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** Refill `b` (capacity `cap`, `rate` per second) to `now` and take `cost`; false if short. */
function take(b: Bucket, cost: number, cap: number, rate: number, now: number): boolean {
  b.tokens = Math.min(cap, b.tokens + ((now - b.at) / 1000) * rate);
  b.at = now;
  if (b.tokens < cost) return false;
  b.tokens -= cost;
  return true;
}

const mib = (n: number) =>
  n < MiB ? `${Math.round(n / 1024)} KiB` : `${Math.round((n / MiB) * 10) / 10} MiB`;

/**
 * Enforces {@link RelayLimits} on a Hocuspocus `Server`: pass {@link extension} in its
 * `extensions`, `{ maxPayload: limits.maxMessageBytes }` as its WebSocket options, call
 * {@link attach} once it is built, and {@link admitDocument} from `onAuthenticate` once the
 * token is checked.
 */
export class RelayGuard {
  readonly limits: RelayLimits;
  private readonly options: GuardOptions;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private readonly sockets = new WeakMap<IncomingMessage, SocketState>();
  // Messages Hocuspocus re-emits after an authentication (its queue): already admitted.
  private readonly admitted = new WeakSet<object>();
  private readonly sizes = new Map<string, { bytes: number; exact: boolean; doc: Y.Doc }>();
  private readonly ledger: NewNotebookLedger;
  private server: Server | undefined;

  constructor(options: GuardOptions) {
    this.options = options;
    this.limits = options.limits;
    this.log = options.log ?? ((line) => console.warn(line));
    this.now = options.now ?? (() => Date.now());
    this.ledger = options.ledger ?? new MemoryLedger();
  }

  /** Watch every connection of `server` (after Hocuspocus's own connection handler). */
  attach(server: Server): void {
    this.server = server;
    server.webSocketServer.on('connection', (ws: WebSocket, request: IncomingMessage) =>
      this.onConnection(ws, request),
    );
  }

  /** The Hocuspocus hooks the guard needs. */
  readonly extension: Extension = {
    extensionName: 'vitrine-relay-limits',
    connected: async ({ request, documentName }: connectedPayload) => {
      const state = this.sockets.get(request);
      if (!state) return;
      state.authenticated.add(documentName);
      if (state.onRaw) state.raw.off('data', state.onRaw);
      state.onRaw = undefined;
      if (state.timer !== undefined) clearTimeout(state.timer);
      state.timer = undefined;
    },
    afterLoadDocument: async ({ documentName, document }: afterLoadDocumentPayload) => {
      this.sizes.set(documentName, { bytes: encodedSize(document), exact: true, doc: document });
    },
    onChange: async ({ documentName, update }: onChangePayload) => {
      const size = this.sizes.get(documentName);
      if (!size) return;
      size.bytes += update.byteLength;
      size.exact = false;
    },
    afterUnloadDocument: async ({ documentName }: afterUnloadDocumentPayload) => {
      this.sizes.delete(documentName);
    },
  };

  /**
   * Call from `onAuthenticate` after the token checks out: throws a {@link LimitError} (and
   * closes the connection with its reason) when `name` would be a new notebook beyond the
   * client's hourly allowance.
   */
  async admitDocument(name: string, request: IncomingMessage): Promise<void> {
    const hp = this.server?.hocuspocus;
    if (hp?.documents.has(name) || hp?.loadingDocuments.has(name)) return;
    if (await this.options.exists(name)) return;
    const per = this.limits.newNotebooksPerHour;
    if (await this.ledger.admit(name, this.clientOf(request), per, this.now())) return;
    const error = new LimitError(
      CLOSE.tooFast,
      `This relay refuses more than ${per} new notebooks an hour from one address; try later.`,
    );
    const state = this.sockets.get(request);
    if (state) {
      // After Hocuspocus has sent its "permission denied" with the same reason.
      setImmediate(() => this.refuse(state, error));
    }
    throw error;
  }

  private onConnection(ws: WebSocket, request: IncomingMessage): void {
    const now = this.now();
    const state: SocketState = {
      ws,
      client: this.clientOf(request),
      raw: request.socket,
      authenticated: new Set(),
      preAuthRawBytes: 0,
      queuedBytes: 0,
      queuedMessages: 0,
      messages: { tokens: this.limits.messageBurst, at: now },
      bytes: { tokens: this.limits.maxMessageBytes, at: now },
      closed: false,
      timer: undefined,
      onRaw: undefined,
    };
    this.sockets.set(request, state);

    // Hocuspocus logs every socket error with its stack; one line says enough (an oversized
    // frame is the usual one: ws closes with 1009 itself).
    ws.removeAllListeners('error');
    ws.on('error', (e: Error & { code?: string }) => {
      state.closed = true;
      this.log(
        e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
          ? `Relay: closed a connection from ${state.client}: a message over ${mib(this.limits.maxMessageBytes)}.`
          : `Relay: connection from ${state.client} failed: ${e.message}`,
      );
    });

    // Filter messages before Hocuspocus's own listener (ClientConnection.messageHandler).
    const inner = ws.listeners('message') as ((...args: unknown[]) => void)[];
    ws.removeAllListeners('message');
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!this.admit(state, data)) return;
      for (const listener of inner) listener.call(ws, data, isBinary);
    });

    // Raw bytes until the first authenticated document, so that a frame still arriving
    // (ws holds it whole before emitting it) counts too.
    state.onRaw = (chunk: Buffer) => {
      state.preAuthRawBytes += chunk.byteLength;
      if (state.preAuthRawBytes > this.limits.preAuthBytes)
        this.refuse(
          state,
          new LimitError(
            CLOSE.preAuth,
            `More than ${mib(this.limits.preAuthBytes)} sent before authenticating; closed.`,
          ),
        );
    };
    state.raw.on('data', state.onRaw);
    state.timer = setTimeout(
      () =>
        this.refuse(
          state,
          new LimitError(
            CLOSE.timeout,
            `No authentication within ${Math.round(this.limits.preAuthMs / 1000)} s; closed.`,
          ),
        ),
      this.limits.preAuthMs,
    );
    state.timer.unref?.();
    ws.once('close', () => {
      state.closed = true;
      if (state.timer !== undefined) clearTimeout(state.timer);
      if (state.onRaw) state.raw.off('data', state.onRaw);
    });
  }

  /** Whether Hocuspocus may see `data`; closes the connection when it may not. */
  private admit(state: SocketState, data: Buffer): boolean {
    if (state.closed) return false;
    if (this.admitted.has(data)) return true;
    let name: string;
    let type: number;
    let sub = -1;
    try {
      const decoder = decoding.createDecoder(data);
      name = decoding.readVarString(decoder);
      type = decoding.readVarUint(decoder);
      if (type === SYNC) sub = decoding.readVarUint(decoder);
    } catch {
      return this.refuse(state, new LimitError(CLOSE.malformed, 'Not a relay message; closed.'));
    }
    const now = this.now();
    const L = this.limits;
    if (!state.authenticated.has(name)) {
      state.queuedBytes += data.byteLength;
      state.queuedMessages++;
      if (state.queuedBytes > L.preAuthBytes || state.queuedMessages > L.preAuthMessages)
        return this.refuse(
          state,
          new LimitError(
            CLOSE.preAuth,
            `More than ${L.preAuthMessages} messages or ${mib(L.preAuthBytes)} before authenticating; closed.`,
          ),
        );
    } else {
      if (
        !take(state.messages, 1, L.messageBurst, L.messagesPerSecond, now) ||
        !take(state.bytes, data.byteLength, L.maxMessageBytes, L.bytesPerSecond, now)
      )
        return this.refuse(
          state,
          new LimitError(
            CLOSE.tooFast,
            `Sending faster than ${L.messagesPerSecond} messages or ${mib(L.bytesPerSecond)} a second; closed.`,
          ),
        );
      if (
        type === SYNC &&
        (sub === SYNC_STEP_2 || sub === SYNC_UPDATE) &&
        this.overQuota(name, data.byteLength)
      )
        return this.refuse(
          state,
          new LimitError(
            CLOSE.quota,
            `This notebook reached the relay's limit of ${mib(L.maxNotebookBytes)}; this change was not stored.`,
          ),
        );
    }
    this.admitted.add(data);
    return true;
  }

  /** Would `bytes` more take `name` past the quota? Measures exactly only near the limit. */
  private overQuota(name: string, bytes: number): boolean {
    const size = this.sizes.get(name);
    if (!size) return false;
    const quota = this.limits.maxNotebookBytes;
    if (size.bytes + bytes <= quota) return false;
    if (!size.exact) {
      size.bytes = encodedSize(size.doc);
      size.exact = true;
    }
    return size.bytes + bytes > quota;
  }

  private refuse(state: SocketState, error: LimitError): false {
    if (state.closed) return false;
    state.closed = true;
    this.log(`Relay: closed a connection from ${state.client}: ${error.reason}`);
    if (state.timer !== undefined) clearTimeout(state.timer);
    if (state.onRaw) state.raw.off('data', state.onRaw);
    state.ws.close(error.code, error.reason);
    // Before authentication, read nothing more (a frame under way would be buffered whole).
    // After it, keep reading (and dropping) so the close handshake completes and the client
    // sees the reason: closing a socket with unread data resets it, and the reset discards
    // the close frame on the client's side too.
    if (state.authenticated.size === 0) state.raw.pause();
    setTimeout(() => state.ws.terminate(), 1000).unref?.();
    return false;
  }

  private clientOf(request: IncomingMessage): string {
    if (this.options.trustProxy) {
      const forwarded = request.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .pop();
      if (last) return last;
    }
    return request.socket.remoteAddress ?? 'unknown';
  }
}

function encodedSize(doc: Y.Doc): number {
  return Y.encodeStateAsUpdate(doc).byteLength;
}
