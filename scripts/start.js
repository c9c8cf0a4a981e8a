#!/usr/bin/env node
// `npm start`: build the production app with Vite, serve dist/ on 127.0.0.1 and print the
// address. Options: --port N (or PORT=N; default 5178, a free port if taken), --no-build.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { serveStatic } from './serve.js';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = Number(portArg >= 0 ? args[portArg + 1] : (process.env.PORT ?? 5178));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `The port must be a number from 0 to 65535 (got "${portArg >= 0 ? args[portArg + 1] : process.env.PORT}").`,
  );
  process.exit(2);
}

if (!args.includes('--no-build')) {
  console.log('Building the app…');
  await build({ root, logLevel: 'warn' });
}

const app = await serveStatic({ root: join(root, 'dist'), port });

// ── Sync helpers ──────────────────────────────────────────────────────────────────────
// The local signalling server and the encrypted relay (src/server/) on 127.0.0.1:4444 and
// :4445, the addresses the app's sync settings default to. The app contacts them only once
// the owner pairs a device. The relay keeps its (ciphertext-only) data in .vitrine-relay/.
const { startHelpers } = await tsImport('../src/server/index.ts', import.meta.url);
const helpers = [];
try {
  const sync = await startHelpers({ dataDir: join(root, '.vitrine-relay') });
  helpers.push({ close: () => sync.stop() });
  console.log(`Sync: signalling ${sync.urls.signaling}, relay ${sync.urls.relay}`);
} catch (err) {
  // The app works without them (sync waits); say why rather than refuse to start.
  console.warn(
    `The sync helpers did not start (${err instanceof Error ? err.message : String(err)}). ` +
      'Another Vitrine may be running; sync uses the addresses in its settings.',
  );
}
// ───────────────────────────────────────────────────────────────────────────────────────

console.log(`\nVitrine is running at ${app.url}\n(press Ctrl+C to stop)`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await Promise.all([app.close(), ...helpers.map((h) => h.close())]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
