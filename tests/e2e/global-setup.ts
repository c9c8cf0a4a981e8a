/**
 * Builds the production app once into a temporary folder and serves it on a free
 * 127.0.0.1 port for every end-to-end test file (`inject('baseUrl')`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../../scripts/serve.js';

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
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: process.cwd(),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = env;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(join(tmpdir(), 'vitrine-e2e-'));
  await buildApp(outDir);
  const app = await serveStatic({ root: outDir, port: 0 });
  project.provide('baseUrl', app.url);
  return async () => {
    await app.close();
    await rm(outDir, { recursive: true, force: true });
  };
}
