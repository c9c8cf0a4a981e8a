/**
 * The y-webrtc signalling server, run in-process on 127.0.0.1.
 *
 * It speaks exactly the protocol of y-webrtc's own `bin/server.js` (`y-webrtc-signaling`):
 * JSON messages `subscribe {topics}`, `unsubscribe {topics}`, `publish {topic, …}` (sent
 * to every subscriber of the topic, with `clients` = their count) and `ping` → `pong`.
 * That script cannot be used as is: it listens on every interface, reads its port only
 * from `PORT`, cannot report an OS-chosen port and has no stop(); see
 * docs/decisions/0005-relay-engine-and-storage.md. What passes through: y-webrtc room names
 * (derived, not the secret) and signalling payloads that y-webrtc encrypts with the room
 * password, so this server learns which rooms meet and when, not what they say.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Options for {@link startSignaling}. */
export interface SignalingOptions {
  /** Port; 0 (the default) lets the OS choose. */
  port?: number;
  /** Interface (default 127.0.0.1). */
  host?: string;
  /** Drop a connection that has not answered a ping within this many ms (default 30 000). */
  pingIntervalMs?: number;
}

/** A running signalling server. */
export interface SignalingServer {
  /** Address for y-webrtc's `signaling` option, e.g. `ws://127.0.0.1:4444`. */
  readonly url: string;
  readonly port: number;
  /** Topics with at least one subscriber (for tests and the status page). */
  topics(): ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

// Signalling messages are SDP offers and ICE candidates: a few KiB. Anything far larger is
// not from y-webrtc.
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_TOPICS_PER_CONNECTION = 64;

/** Start the signalling server. */
export async function startSignaling(options: SignalingOptions = {}): Promise<SignalingServer> {
  const host = options.host ?? '127.0.0.1';
  const topics = new Map<string, Set<WebSocket>>();
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('okay');
  });
  const wss = new WebSocketServer({ server: http, maxPayload: MAX_MESSAGE_BYTES });

  const send = (conn: WebSocket, message: unknown) => {
    if (conn.readyState !== conn.OPEN) return;
    try {
      conn.send(JSON.stringify(message));
    } catch {
      conn.close();
    }
  };

  wss.on('connection', (conn) => {
    const subscribed = new Set<string>();
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) {
        conn.terminate();
        return;
      }
      alive = false;
      try {
        conn.ping();
      } catch {
        conn.terminate();
      }
    }, options.pingIntervalMs ?? 30_000);
    conn.on('pong', () => (alive = true));
    conn.on('close', () => {
      clearInterval(ping);
      for (const topic of subscribed) {
        const subs = topics.get(topic);
        subs?.delete(conn);
        if (subs?.size === 0) topics.delete(topic);
      }
      subscribed.clear();
    });
    conn.on('message', (data) => {
      let message: { type?: unknown; topics?: unknown; topic?: unknown };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return; // not ours; y-webrtc only sends JSON
      }
      if (!message || typeof message !== 'object') return;
      switch (message.type) {
        case 'subscribe':
          for (const topic of Array.isArray(message.topics) ? message.topics : []) {
            if (typeof topic !== 'string' || subscribed.size >= MAX_TOPICS_PER_CONNECTION) continue;
            let subs = topics.get(topic);
            if (!subs) topics.set(topic, (subs = new Set()));
            subs.add(conn);
            subscribed.add(topic);
          }
          break;
        case 'unsubscribe':
          for (const topic of Array.isArray(message.topics) ? message.topics : []) {
            if (typeof topic !== 'string') continue;
            const subs = topics.get(topic);
            subs?.delete(conn);
            if (subs?.size === 0) topics.delete(topic);
            subscribed.delete(topic);
          }
          break;
        case 'publish':
          if (typeof message.topic === 'string') {
            const receivers = topics.get(message.topic);
            if (receivers) {
              const out = { ...message, clients: receivers.size };
              for (const receiver of receivers) send(receiver, out);
            }
          }
          break;
        case 'ping':
          send(conn, { type: 'pong' });
          break;
      }
    });
  });

  // ws re-emits the HTTP server's errors (EADDRINUSE when the port is taken); with no
  // listener that would crash the process instead of rejecting the start below.
  let listening = false;
  wss.on('error', (err: Error) => {
    if (listening) console.error(`Signalling server error: ${err.message}`);
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
    stop() {
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
