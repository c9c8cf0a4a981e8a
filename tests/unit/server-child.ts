/**
 * What `npm start` runs (scripts/start.js `startVitrine`: the static app server with its
 * security headers, the signalling server and the relay) in a process of its own, on free
 * 127.0.0.1 ports, for tests that must see whether a client can end that process
 * (server-hostile.test.ts). Not a test file: run as `node --import tsx server-child.ts DIR`;
 * it serves DIR/dist, keeps relay data in DIR/relay and prints one JSON line with the
 * addresses once everything listens.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startVitrine } from '../../scripts/start.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: server-child.ts DIR');
await mkdir(join(dir, 'dist'), { recursive: true });
await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>Vitrine</title>');
const running = await startVitrine({
  dist: join(dir, 'dist'),
  dataDir: join(dir, 'relay'),
  port: 0,
  signalingPort: 0,
  relayPort: 0,
});
if (running.syncError) throw running.syncError;
process.stdout.write(
  JSON.stringify({ url: running.url, origin: running.origin, ...running.sync }) + '\n',
);
