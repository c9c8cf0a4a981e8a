/**
 * Shared helpers for the sync and relay tests (not a test file itself): temporary relay data
 * folders, a relay client factory for Node (WebSocket from `ws`), and waiting for a
 * condition without wall-clock assertions.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { RelayClient, type RelayClientOptions } from '../../src/sync/relay-client.ts';
import type { SyncKeys } from '../../src/sync/pairing.ts';

/** A fresh temporary folder; remove it with `rm(dir, { recursive: true })`. */
export function tempDir(prefix = 'vitrine-relay-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Remove a temporary folder. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Every byte stored under `dir`, concatenated (to search for plaintext). */
export async function allBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    try {
      parts.push(await readFile(join(dir, String(name))));
    } catch {
      // folders and temp files that vanished
    }
  }
  return Buffer.concat(parts);
}

/** A relay client for Node tests: fast reconnects, `ws` as WebSocket. */
export function relayClient(
  url: string,
  doc: Y.Doc,
  keys: SyncKeys,
  deviceId: string,
  extra: Partial<RelayClientOptions> = {},
): RelayClient {
  return new RelayClient({
    url,
    doc,
    keys,
    deviceId,
    deviceName: deviceId,
    WebSocketPolyfill: WebSocket,
    reconnectDelay: 50,
    batchMs: 5,
    ...extra,
  });
}

/** Resolve once `check()` is true, re-checking every 10 ms; reject after `limitMs`. */
export async function until(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Both documents hold the same notebook state (same state vector and same content). */
export function sameState(a: Y.Doc, b: Y.Doc): boolean {
  const sa = Y.encodeStateVector(a);
  const sb = Y.encodeStateVector(b);
  if (Buffer.compare(Buffer.from(sa), Buffer.from(sb)) !== 0) return false;
  return canonical(a.toJSON()) === canonical(b.toJSON());
}

/** JSON with object keys sorted: Y.Map iteration order depends on arrival order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
