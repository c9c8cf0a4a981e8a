import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startHelpers } from '../../src/server/index.ts';
import { removeDir, tempDir } from './sync-helpers.ts';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

test('npm start helpers: signalling and relay on 127.0.0.1, both answer, both stop', async () => {
  const dir = await tempDir();
  cleanup.push(() => removeDir(dir));
  const helpers = await startHelpers({ signalingPort: 0, relayPort: 0, dataDir: dir });
  expect(helpers.urls.signaling).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  expect(helpers.urls.relay).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  for (const url of Object.values(helpers.urls)) {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.terminate();
  }
  await helpers.destroy();
  for (const url of Object.values(helpers.urls)) {
    const ws = new WebSocket(url);
    await expect(
      new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  }
});

test('a taken relay port makes startHelpers fail with the port error', async () => {
  const dir = await tempDir();
  cleanup.push(() => removeDir(dir));
  const first = await startHelpers({ signalingPort: 0, relayPort: 0, dataDir: dir });
  cleanup.push(() => first.destroy());
  const relayPort = Number(new URL(first.urls.relay).port);
  await expect(startHelpers({ signalingPort: 0, relayPort, dataDir: dir })).rejects.toThrow(
    /EADDRINUSE/,
  );
});
