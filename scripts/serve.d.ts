import type { Server } from 'node:http';

/** Serve a built app folder on loopback; see serve.js. */
export function serveStatic(options: { root: string; port?: number; host?: string }): Promise<{
  server: Server;
  url: string;
  close(): Promise<void>;
}>;
