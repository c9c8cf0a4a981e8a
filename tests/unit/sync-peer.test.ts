/**
 * Live sync plumbing in Node: our signalling server (y-webrtc's protocol, on 127.0.0.1) and
 * the PeerSync wrapper's privacy defaults. WebRTC itself needs a browser; the two-Chromium
 * test covers the data channel.
 */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { startSignaling, type SignalingServer } from '../../src/server/signaling.ts';
import { DEFAULT_SIGNALING, PeerSync, checkSignalingUrls } from '../../src/sync/peer.ts';
import { createIdentity, deriveKeys, formatPairingCode } from '../../src/sync/pairing.ts';
import { until } from './sync-helpers.ts';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

beforeAll(() => {
  // y-webrtc's signalling client (lib0/websocket) uses the global WebSocket, which Node 20
  // lacks; browsers have it.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
});

async function server(): Promise<SignalingServer> {
  const s = await startSignaling();
  cleanup.push(() => s.destroy());
  return s;
}

function raw(url: string): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
  const ws = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
  cleanup.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('error', reject);
  });
}

describe('signalling server', () => {
  test('listens on 127.0.0.1 only, on a port the OS chose', async () => {
    const s = await server();
    expect(s.url).toBe(`ws://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
  });

  test('forwards a publish to every subscriber of the topic, with their count (y-webrtc protocol)', async () => {
    const s = await server();
    const a = await raw(s.url);
    const b = await raw(s.url);
    const c = await raw(s.url);
    a.ws.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
    b.ws.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
    c.ws.send(JSON.stringify({ type: 'subscribe', topics: ['room-2'] }));
    await until(() => s.topics().get('room-1') === 2, 'two subscribers');
    a.ws.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'hello' }));
    await until(() => b.messages.length > 0, 'b to get the message');
    expect(b.messages[0]).toEqual({ type: 'publish', topic: 'room-1', data: 'hello', clients: 2 });
    expect(c.messages).toEqual([]);
    c.ws.send(JSON.stringify({ type: 'ping' }));
    await until(() => c.messages.length > 0, 'pong');
    expect(c.messages[0]).toEqual({ type: 'pong' });
    b.ws.close();
    await until(() => s.topics().get('room-1') === 1, 'b to be unsubscribed on close');
  });

  test('ignores garbage instead of crashing', async () => {
    const s = await server();
    const a = await raw(s.url);
    a.ws.send('not json');
    a.ws.send(JSON.stringify({ type: 'subscribe', topics: 'nope' }));
    a.ws.send(JSON.stringify({ type: 'ping' }));
    await until(() => a.messages.length > 0, 'pong after garbage');
  });
});

describe('peer sync', () => {
  test('joins the derived room on our signalling server; what passes through is encrypted', async () => {
    const s = await server();
    const identity = createIdentity();
    const keys = await deriveKeys(identity);
    const observer = await raw(s.url);
    observer.ws.send(JSON.stringify({ type: 'subscribe', topics: [keys.roomId] }));
    const doc = new Y.Doc();
    const peer = new PeerSync({
      doc,
      keys,
      signaling: [s.url],
      deviceId: 'dev-1',
      deviceName: 'Ottoline laptop',
    });
    cleanup.push(() => peer.destroy());
    await until(() => peer.status.connection === 'online', 'peer to reach the signalling server');
    await until(() => observer.messages.some((m) => m.topic === keys.roomId), 'the announce');
    const seen = JSON.stringify(observer.messages);
    // The announce is sealed with the room password: no device name, secret or password.
    const announce = observer.messages.find((m) => m.topic === keys.roomId)!;
    expect(typeof announce.data).toBe('string');
    for (const secret of [
      'Ottoline',
      'announce',
      keys.webrtcPassword,
      formatPairingCode(identity),
    ]) {
      expect(seen.includes(secret), secret).toBe(false);
    }
    expect(peer.status.peers).toBe(0);
    peer.disconnect();
    expect(peer.status.connection).toBe('offline');
  });

  test('never uses a public signalling or STUN server unless configured', async () => {
    expect(DEFAULT_SIGNALING).toEqual(['ws://127.0.0.1:4444']);
    const keys = await deriveKeys(createIdentity());
    const s = await server();
    const peer = new PeerSync({ doc: new Y.Doc(), keys, signaling: [s.url], deviceId: 'd' });
    cleanup.push(() => peer.destroy());
    expect(peer.provider.signalingUrls).toEqual([s.url]);
    // simple-peer would otherwise add Google's and Twilio's STUN servers.
    expect(peer.provider.peerOpts).toEqual({ config: { iceServers: [] } });
    const turn = new PeerSync({
      doc: new Y.Doc(),
      keys: await deriveKeys(createIdentity()),
      signaling: [s.url],
      iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' }],
      deviceId: 'e',
    });
    cleanup.push(() => turn.destroy());
    expect(turn.provider.peerOpts).toEqual({
      config: {
        iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' }],
      },
    });
  });

  test('refuses signalling addresses that are not WebSocket URLs', () => {
    expect(checkSignalingUrls(['wss://sig.example.org', 'ws://127.0.0.1:4444'])).toHaveLength(2);
    expect(() => checkSignalingUrls(['https://sig.example.org'])).toThrow(
      /not a WebSocket address/,
    );
    expect(() => checkSignalingUrls(['127.0.0.1:4444'])).toThrow();
    expect(() => checkSignalingUrls(['nonsense'])).toThrow(/not a signalling server address/);
  });
});
