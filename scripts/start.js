#!/usr/bin/env node
// `npm start`: build the production app with Vite, serve dist/ on 127.0.0.1 with a strict
// Content-Security-Policy, start the local sync helpers and print the address.
// Options: --port N (or PORT=N; default 5178, a free port if taken), --no-build,
// --connect-src URL (repeatable, or VITRINE_CONNECT_SRC="URL URL"): more sync servers the
// page may contact; --allow-origin URL (repeatable): more pages that may use the helpers.
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serveStatic } from './serve.js';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Serve the built app in `dist` and start the sync helpers beside it, as `npm start` does.
 * Every response carries the Content-Security-Policy (connect-src: the app, the default
 * sync servers and `connectSrc`); the helpers accept WebSockets only from the app's own
 * origin (and `allowOrigins`). If the helpers cannot start (ports taken) the app still
 * runs and `syncError` says why.
 * @param {{ dist: string, dataDir: string, port?: number, signalingPort?: number,
 *   relayPort?: number, connectSrc?: string[], allowOrigins?: string[] }} options
 */
export async function startVitrine(options) {
  const { securityHeaders } = await tsImport('../src/server/csp.ts', import.meta.url);
  const { startHelpers } = await tsImport('../src/server/index.ts', import.meta.url);
  const app = await serveStatic({
    root: options.dist,
    port: options.port ?? 0,
    headers: securityHeaders(options.connectSrc ?? []),
  });
  const origin = new URL(app.url).origin;
  // The same server answers as localhost too; a page opened that way is the app as well.
  const allowedOrigins = [
    origin,
    origin.replace('127.0.0.1', 'localhost'),
    ...(options.allowOrigins ?? []),
  ];
  let sync;
  let syncError;
  try {
    sync = await startHelpers({
      dataDir: options.dataDir,
      signalingPort: options.signalingPort,
      relayPort: options.relayPort,
      allowedOrigins,
    });
  } catch (err) {
    syncError = err instanceof Error ? err : new Error(String(err));
  }
  return {
    url: app.url,
    origin,
    sync: sync?.urls,
    syncError,
    close: () => Promise.all([app.close(), sync?.destroy()]).then(() => undefined),
  };
}

/** Parse the command line; a bad option ends the process with a sentence. */
async function readOptions(args) {
  const fail = (message) => {
    console.error(message);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        'no-build': { type: 'boolean' },
        'connect-src': { type: 'string', multiple: true },
        'allow-origin': { type: 'string', multiple: true },
      },
      strict: true,
    }));
  } catch (err) {
    fail(
      `${err.message.replace(/\.$/, '')}. Usage: npm start -- [--port N] [--no-build] [--connect-src URL] [--allow-origin URL].`,
    );
  }
  const portText = values.port ?? process.env.PORT ?? '5178';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`The port must be a number from 0 to 65535 (got "${portText}").`);
  }
  const { CONNECT_SRC_ENV, parseConnectSrc } = await tsImport(
    '../src/server/csp.ts',
    import.meta.url,
  );
  const { normaliseOrigin } = await tsImport('../src/server/origin.ts', import.meta.url);
  let connectSrc = [];
  try {
    connectSrc = parseConnectSrc(
      [process.env[CONNECT_SRC_ENV] ?? '', ...(values['connect-src'] ?? [])].join(' '),
    );
  } catch (err) {
    fail(err.message);
  }
  const allowOrigins = values['allow-origin'] ?? [];
  for (const o of allowOrigins) {
    if (o !== '*' && !normaliseOrigin(o)) {
      fail(`--allow-origin takes a page's address such as http://127.0.0.1:5173 (got "${o}").`);
    }
  }
  // The build writes the same list into index.html's <meta> policy (vite.config.ts).
  process.env[CONNECT_SRC_ENV] = connectSrc.join(' ');
  return { port, build: !values['no-build'], connectSrc, allowOrigins };
}

async function main() {
  const options = await readOptions(process.argv.slice(2));
  if (options.build) {
    console.log('Building the app…');
    const { build } = await import('vite');
    await build({ root, logLevel: 'warn' });
  }
  // The local signalling server and the encrypted relay (src/server/) on 127.0.0.1:4444 and
  // :4445, the addresses the app's sync settings default to. The app contacts them only once
  // the owner pairs a device. The relay keeps its (ciphertext-only) data in .vitrine-relay/.
  const running = await startVitrine({
    dist: join(root, 'dist'),
    dataDir: join(root, '.vitrine-relay'),
    port: options.port,
    connectSrc: options.connectSrc,
    allowOrigins: options.allowOrigins,
  });
  if (running.sync) {
    console.log(`Sync: signalling ${running.sync.signaling}, relay ${running.sync.relay}`);
  } else {
    // The app works without them (sync waits); say why rather than refuse to start.
    console.warn(
      `The sync helpers did not start (${running.syncError?.message}). ` +
        'Another Vitrine may be running; sync uses the addresses in its settings.',
    );
  }
  console.log(`\nVitrine is running at ${running.url}\n(press Ctrl+C to stop)`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
