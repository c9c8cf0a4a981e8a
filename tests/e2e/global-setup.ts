/**
 * Builds the production app once into a temporary folder and serves it on a free
 * 127.0.0.1 port for every end-to-end test file (`inject('baseUrl')`), with the security
 * headers `npm start` sends. The tests run their sync servers on free ports, so the policy
 * allows `ws://127.0.0.1:*` besides the defaults (in the built `<meta>` and the header).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../../scripts/serve.js';
import { CONNECT_SRC_ENV, securityHeaders } from '../../src/server/csp.ts';

/** The extra connect-src of the end-to-end build: sync servers on any local port. */
export const E2E_CONNECT_SRC = ['ws://127.0.0.1:*'];

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * A production build into `outDir`. Vitest sets NODE_ENV=test, which would make Vite build
 * Lit's dev mode and `import.meta.env.PROD` false (no service worker): force production.
 */
export async function buildApp(outDir: string): Promise<void> {
  const env = process.env.NODE_ENV;
  const connect = process.env[CONNECT_SRC_ENV];
  process.env.NODE_ENV = 'production';
  process.env[CONNECT_SRC_ENV] = E2E_CONNECT_SRC.join(' ');
  try {
    await build({
      root: process.cwd(),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = env;
    if (connect === undefined) delete process.env[CONNECT_SRC_ENV];
    else process.env[CONNECT_SRC_ENV] = connect;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(join(tmpdir(), 'vitrine-e2e-'));
  await buildApp(outDir);
  const app = await serveStatic({
    root: outDir,
    port: 0,
    headers: securityHeaders(E2E_CONNECT_SRC),
  });
  project.provide('baseUrl', app.url);
  return async () => {
    await app.close();
    await rm(outDir, { recursive: true, force: true });
  };
}
