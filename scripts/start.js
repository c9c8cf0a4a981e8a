#!/usr/bin/env node
// `npm start`: build the production app with Vite, serve dist/ on 127.0.0.1 and print the
// address. Options: --port N (or PORT=N; default 5178, a free port if taken), --no-build.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { serveStatic } from './serve.js';

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
// The local signalling server and the encrypted relay from src/server/ start here once
// they exist (issue: device sync), e.g.:
//   const signalling = await startSignalling({ host: '127.0.0.1', port: 0 });
//   const relay = await startRelay({ host: '127.0.0.1', port: 0, dir: join(root, '.relay') });
// and their addresses are printed below and handed to the app.
const helpers = [];
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
