/**
 * The y-webrtc signalling server, run in-process on 127.0.0.1.
 *
 * It speaks exactly the protocol of y-webrtc's own `bin/server.js` (`y-webrtc-signaling`):
 * JSON messages `subscribe {topics}`, `unsubscribe {topics}`, `publish {topic, …}` (sent
 * to every subscriber of the topic, with `clients` = their count) and `ping` → `pong`.
 * That script cannot be used as is: it listens on every interface, reads its port only
 * from `PORT`, cannot report an OS-chosen port and cannot be stopped from code; see
 * docs/decisions/0005-relay-engine-and-storage.md. What passes through: y-webrtc room names
 * (derived, not the secret) and signalling payloads that y-webrtc encrypts with the room
 * password, so this server learns which rooms meet and when, not what they say.
 *
 * Any web page the owner visits may open a WebSocket to 127.0.0.1, so this server treats
 * every client as hostile: upgrades from pages other than the allowed origins are refused
 * (403), a malformed frame closes only its own connection (never the process), and every
 * table is bounded (message size, topic-name length, topics per connection and in all,
 * connections, and bytes queued for a subscriber that does not read). Each refusal is one
 * line in the log, never a stack trace.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { originAllowed, type AllowedOrigins } from './origin.ts';

/** The bounds on what one client, or all of them, can make the server hold. */
export interface SignalingLimits {
  /** Largest message accepted, in bytes; a larger frame closes the connection (1009). */
  readonly maxMessageBytes: number;
  /** Longest topic (room) name; y-webrtc's room names in Vitrine are 22 characters. */
  readonly maxTopicLength: number;
  /** Topics one connection may subscribe to. */
  readonly maxTopicsPerConnection: number;
  /** Subscriptions over all connections (bounds the topic table). */
  readonly maxSubscriptions: number;
  /** Open connections; more are refused with 503 until some close. */
  readonly maxConnections: number;
  /** Bytes waiting to be sent to one client before it is dropped as not reading. */
  readonly maxBufferedBytes: number;
}

/**
 * Default limits. Signalling messages are SDP offers and ICE candidates, a few KiB each;
 * at these limits the server holds at most about
 * maxConnections × (maxMessageBytes + maxBufferedBytes) ≈ 256 × 1.06 MiB of buffers.
 */
export const SIGNALING_LIMITS: SignalingLimits = {
  maxMessageBytes: 64 * 1024,
  maxTopicLength: 256,
  maxTopicsPerConnection: 64,
  maxSubscriptions: 4096,
  maxConnections: 256,
  maxBufferedBytes: 1024 * 1024,
};

/** Options for {@link startSignaling}. */
export interface SignalingOptions {
  /** Port; 0 (the default) lets the OS choose. */
  port?: number;
  /** Interface (default 127.0.0.1). */
  host?: string;
  /**
   * Web pages that may connect (the `Origin` of the upgrade; see origin.ts). Default none:
   * only clients that send no `Origin` (not browsers) are served.
   */
  allowedOrigins?: AllowedOrigins;
  /** Drop a connection that has not answered a ping within this many ms (default 30 000). */
  pingIntervalMs?: number;
  /** Override some of {@link SIGNALING_LIMITS}. */
  limits?: Partial<SignalingLimits>;
  /** Where refusals are reported, one line each (default `console.warn`). */
  log?: (line: string) => void;
}

/** A running signalling server. */
export interface SignalingServer {
  /** Address for y-webrtc's `signaling` option, e.g. `ws://127.0.0.1:4444`. */
  readonly url: string;
  readonly port: number;
  /** Topics with at least one subscriber (for tests and the status page). */
  topics(): ReadonlyMap<string, number>;
  /** Close every connection and stop listening. */
  destroy(): Promise<void>;
}

const PONG = JSON.stringify({ type: 'pong' });

/** Start the signalling server. */
export async function startSignaling(options: SignalingOptions = {}): Promise<SignalingServer> {
  const host = options.host ?? '127.0.0.1';
  const limits: SignalingLimits = { ...SIGNALING_LIMITS, ...options.limits };
  const allowed = options.allowedOrigins ?? [];
  const log = options.log ?? ((line: string) => console.warn(line));
  const topics = new Map<string, Set<WebSocket>>();
  let subscriptions = 0;
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('okay');
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: limits.maxMessageBytes,
    verifyClient: ({ origin, req }, accept) => {
      if (!originAllowed(origin, allowed)) {
        log(
          `Signalling: refused a connection from ${from(req)}: the page ${origin.slice(0, 200)} is not an allowed origin.`,
        );
        accept(false, 403, 'This page may not use the signalling server');
      } else if (wss.clients.size >= limits.maxConnections) {
        log(
          `Signalling: refused a connection from ${from(req)}: ${limits.maxConnections} are open already.`,
        );
        accept(false, 503, 'Too many connections');
      } else {
        accept(true);
      }
    },
  });

  // Each client's address, for the log lines about it.
  const names = new WeakMap<WebSocket, string>();
  /** Queue `text` (`bytes` long) for `conn`; a client that lets too much pile up is dropped. */
  const send = (conn: WebSocket, text: string, bytes: number) => {
    if (conn.readyState !== conn.OPEN) return;
    if (conn.bufferedAmount + bytes > limits.maxBufferedBytes) {
      log(
        `Signalling: dropped ${names.get(conn)}: it is not reading (${conn.bufferedAmount} bytes waiting).`,
      );
      conn.terminate();
      return;
    }
    conn.send(text);
  };

  const unsubscribe = (conn: WebSocket, subscribed: Set<string>, topic: string) => {
    if (!subscribed.delete(topic)) return;
    subscriptions--;
    const subs = topics.get(topic);
    subs?.delete(conn);
    if (subs?.size === 0) topics.delete(topic);
  };

  wss.on('connection', (conn, req) => {
    const who = from(req);
    names.set(conn, who);
    const subscribed = new Set<string>();
    const refuse = (why: string) => log(`Signalling: refused a message from ${who}: ${why}.`);
    // Without this listener a malformed frame (bad UTF-8, reserved bits, no mask, too large)
    // is an unhandled 'error' event, which ends the whole process; ws has already closed the
    // connection with the right code when it emits it.
    conn.on('error', (err) => log(`Signalling: closed ${who}: ${err.message}.`));
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) {
        conn.terminate();
        return;
      }
      alive = false;
      conn.ping();
    }, options.pingIntervalMs ?? 30_000);
    conn.on('pong', () => (alive = true));
    conn.on('close', () => {
      clearInterval(ping);
      for (const topic of [...subscribed]) unsubscribe(conn, subscribed, topic);
    });
    conn.on('message', (data, isBinary) => {
      let message: { type?: unknown; topics?: unknown; topic?: unknown } | null;
      try {
        message = isBinary ? null : (JSON.parse(String(data)) as typeof message);
      } catch {
        message = null;
      }
      if (!message || typeof message !== 'object' || Array.isArray(message)) {
        // y-webrtc only ever sends JSON objects as text; ignored, as y-webrtc's own server does.
        refuse('not a signalling message (y-webrtc sends JSON objects as text)');
        return;
      }
      switch (message.type) {
        case 'subscribe': {
          const wanted = Array.isArray(message.topics) ? (message.topics as unknown[]) : [];
          const problems = new Set<string>();
          for (const topic of wanted) {
            if (typeof topic !== 'string' || topic.length > limits.maxTopicLength) {
              problems.add(
                `a topic name is not text of at most ${limits.maxTopicLength} characters`,
              );
            } else if (subscribed.has(topic)) {
              continue;
            } else if (subscribed.size >= limits.maxTopicsPerConnection) {
              problems.add(`at most ${limits.maxTopicsPerConnection} topics per connection`);
            } else if (subscriptions >= limits.maxSubscriptions) {
              problems.add(
                `the server holds its limit of ${limits.maxSubscriptions} subscriptions`,
              );
            } else {
              let subs = topics.get(topic);
              if (!subs) topics.set(topic, (subs = new Set()));
              subs.add(conn);
              subscribed.add(topic);
              subscriptions++;
            }
          }
          if (problems.size) refuse([...problems].join('; '));
          break;
        }
        case 'unsubscribe':
          for (const topic of Array.isArray(message.topics) ? (message.topics as unknown[]) : []) {
            if (typeof topic === 'string') unsubscribe(conn, subscribed, topic);
          }
          break;
        case 'publish': {
          if (typeof message.topic !== 'string') {
            refuse('a publish without a topic');
            break;
          }
          const receivers = topics.get(message.topic);
          if (!receivers) break;
          const out = JSON.stringify({ ...message, clients: receivers.size });
          const bytes = Buffer.byteLength(out);
          for (const receiver of [...receivers]) send(receiver, out, bytes);
          break;
        }
        case 'ping':
          send(conn, PONG, PONG.length);
          break;
      }
    });
  });

  // ws re-emits the HTTP server's errors (EADDRINUSE when the port is taken); with no
  // listener that would crash the process instead of rejecting the start below.
  let listening = false;
  wss.on('error', (err: Error) => {
    if (listening) log(`Signalling server error: ${err.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      listening = true;
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    topics: () => new Map([...topics].map(([t, s]) => [t, s.size])),
    destroy() {
      stopped ??= new Promise<void>((resolve) => {
        for (const conn of wss.clients) conn.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** A client's address for the log (`127.0.0.1:52114`); never the page's content. */
function from(req: IncomingMessage): string {
  return `${req.socket.remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? '?'}`;
}
