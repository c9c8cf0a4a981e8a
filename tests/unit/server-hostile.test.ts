/**
 * Any web page the owner visits can open a WebSocket to 127.0.0.1, and any program can send
 * whatever bytes it likes. These tests run what `npm start` runs (server-child.ts: the app
 * server, the signalling server and the relay in one process, as `npm start` does) and
 * throw every class of malformed frame at each server; after each one the process must
 * still be running and every server must still serve a well-behaved client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createIdentity, deriveKeys } from '../../src/sync/pairing.ts';
import { HOSTILE_CASES, rawUpgrade, sendHostile } from './hostile-frames.ts';
import { relayClient, removeDir, tempDir } from './sync-helpers.ts';

interface Addresses {
  url: string;
  origin: string;
  signaling: string;
  relay: string;
}

let dir: string;
let child: ChildProcess;
let addresses: Addresses;
let stderr = '';
let exited: string | undefined;

beforeAll(async () => {
  dir = await tempDir('vitrine-hostile-');
  child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'server-child.ts'), dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.once('exit', (code, signal) => (exited = `exit code ${code}, signal ${signal}`));
  addresses = await new Promise<Addresses>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve(JSON.parse(line) as Addresses),
    );
    child.once('exit', () => reject(new Error(`the servers did not start:\n${stderr}`)));
  });
});

afterAll(async () => {
  if (child && exited === undefined) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill();
    await gone;
  }
  if (dir) await removeDir(dir);
});

const port = (url: string) => Number(new URL(url).port);

/** The process is still running (else: how it ended and what it printed). */
function expectAlive(): void {
  expect(exited, `the npm start process ended:\n${stderr}`).toBeUndefined();
}

/** A y-webrtc-style client subscribes, publishes and gets its own message back. */
async function signalingWorks(url: string): Promise<void> {
  const ws = new WebSocket(url);
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const echoed = new Promise<unknown>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { type: string; data?: unknown };
        if (m.type === 'publish') resolve(m.data);
      }),
    );
    ws.send(JSON.stringify({ type: 'subscribe', topics: ['well-behaved'] }));
    ws.send(JSON.stringify({ type: 'publish', topic: 'well-behaved', data: 'hello' }));
    expect(await echoed).toBe('hello');
  } finally {
    ws.terminate();
  }
}

// One notebook for every check, as one device would use: the relay limits how many new
// notebooks one address may open an hour.
const wellBehavedKeys = deriveKeys(createIdentity());

/** The app's relay client syncs through the relay. */
async function relayWorks(url: string): Promise<void> {
  const keys = await wellBehavedKeys;
  const client = relayClient(url, new Y.Doc(), keys, 'well-behaved');
  try {
    await client.whenSynced;
  } finally {
    client.destroy();
  }
}

/** The app server answers with the page. */
async function appWorks(url: string): Promise<void> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<title>Vitrine</title>');
}

const servers = [
  {
    name: 'signalling server',
    address: () => addresses.signaling,
    works: signalingWorks,
    ws: true,
  },
  { name: 'relay', address: () => addresses.relay, works: relayWorks, ws: true },
  // No WebSocket here: Node answers the upgrade as a plain GET and ignores what follows.
  { name: 'app server', address: () => addresses.url, works: appWorks, ws: false },
] as const;

describe.each(servers)('one malformed frame to the $name', ({ address, ws }) => {
  test.each(HOSTILE_CASES)('$name: harms that connection only', async (c) => {
    await sendHostile(port(address()), c, ws);
    // Every server in turn: the frame must not have taken any of them down.
    for (const s of servers) await s.works(s.address());
    expectAlive();
  });
});

describe('WebSocket upgrades from other web pages', () => {
  test.each([
    ['signalling server', () => addresses.signaling],
    ['relay', () => addresses.relay],
  ])('the %s refuses a page from another origin and accepts the app', async (_name, address) => {
    const evil = await rawUpgrade(port(address()), 'https://evil.example');
    evil.socket.destroy();
    expect(evil.status).toMatch(/^HTTP\/1\.1 403/);
    const app = await rawUpgrade(port(address()), addresses.origin);
    app.socket.destroy();
    expect(app.status).toMatch(/^HTTP\/1\.1 101/);
    // The same server on this machine, opened as localhost, is the app too.
    const local = await rawUpgrade(
      port(address()),
      addresses.origin.replace('127.0.0.1', 'localhost'),
    );
    local.socket.destroy();
    expect(local.status).toMatch(/^HTTP\/1\.1 101/);
    expectAlive();
  });
});

test('after all of the above the npm start process is still running', () => {
  expectAlive();
});

test('npm start sends a strict Content-Security-Policy and forbids framing', async () => {
  const res = await fetch(addresses.url);
  const csp = res.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  expect(directives.get('connect-src')).toEqual([
    "'self'",
    'ws://127.0.0.1:4444',
    'ws://127.0.0.1:4445',
  ]);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  // Every file, not only the page (the service worker and the workers read their own).
  const missing = await fetch(new URL('/sw.js', addresses.url));
  expect(missing.headers.get('content-security-policy')).toBe(csp);
});
