import type { Server } from 'node:http';

/** Serve a built app folder on loopback; `headers` go with every response. See serve.js. */
export function serveStatic(options: {
  root: string;
  port?: number;
  host?: string;
  headers?: Record<string, string>;
}): Promise<{
  server: Server;
  url: string;
  close(): Promise<void>;
}>;
