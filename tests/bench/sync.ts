/**
 * Sync benchmark (issue 4). Run alone: `npx tsx tests/bench/sync.ts`, or with the others:
 * `npm run bench`.
 *
 * 1. Two devices each make 1,000 edits while apart, then meet through the relay: time until
 *    both notebooks are identical, against plain (unencrypted) Yjs sync of the same edits
 *    through the same Hocuspocus server in the same run. Runs alternate (relay, plain, …)
 *    and the medians are compared, so load from elsewhere weighs on both alike.
 * 2. The envelope's size after 2 × 1,000 edits made while connected (one sealed entry per
 *    edit), before and after compaction, against the notebook's own encoded size.
 */
import { rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import {
  Notebook,
  addPerson,
  linkPeople,
  logTouch,
  setNotes,
  updatePerson,
} from '../../src/model/index.ts';
import { createIdentity, deriveKeys, relayDocumentName } from '../../src/sync/pairing.ts';
import { RelayClient } from '../../src/sync/relay-client.ts';
import { envelopeSize } from '../../src/sync/envelope.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import { formatTable, row, type Row } from './row.ts';

const EDITS = 1_000;

/** `EDITS` edits on one device: people, fields, notes, ties and touches (seeded). */
async function edit(nb: Notebook, tag: string, between?: () => Promise<void>): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < EDITS; i++) {
    const k = i % 5;
    if (k === 0 || ids.length < 2)
      ids.push(addPerson(nb, { name: `${tag} person ${i}`, org: 'Bench' }));
    else if (k === 1) updatePerson(nb, ids[(i * 7) % ids.length]!, { role: `role ${i}` });
    else if (k === 2) setNotes(nb, ids[(i * 3) % ids.length]!, `note ${i} from ${tag}`);
    else if (k === 3) {
      const from = ids[i % ids.length]!;
      const to = ids[(i * 11 + 1) % ids.length]!;
      if (from !== to) linkPeople(nb, from, to, { strength: 3 });
      else setNotes(nb, from, `self ${i}`);
    } else
      logTouch(nb, { personIds: [ids[(i * 5) % ids.length]!], at: '2026-05-01', channel: 'call' });
    if (between) await between();
  }
}

function same(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

/** Two notebooks with EDITS offline edits each, as update bytes (so runs start alike). */
async function offlineStates(): Promise<[Uint8Array, Uint8Array]> {
  const a = new Notebook();
  a.migrate();
  const b = new Notebook();
  await edit(a, 'laptop');
  await edit(b, 'phone');
  return [Y.encodeStateAsUpdate(a.doc), Y.encodeStateAsUpdate(b.doc)];
}

function docFrom(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

/** Ms until two devices' notebooks are identical through the relay, sealed. */
async function relayRun(relay: RelayServer, states: [Uint8Array, Uint8Array]): Promise<number> {
  const keys = await deriveKeys(createIdentity());
  const [a, b] = states.map(docFrom) as [Y.Doc, Y.Doc];
  const t0 = performance.now();
  const clients = [a, b].map(
    (doc, i) =>
      new RelayClient({
        url: relay.url,
        doc,
        keys,
        deviceId: `d${i}`,
        WebSocketPolyfill: WebSocket,
      }),
  );
  await until(() => same(a, b));
  const ms = performance.now() - t0;
  for (const c of clients) c.destroy();
  return ms;
}

/** Ms until the same two notebooks are identical through the same server, unencrypted. */
async function plainRun(relay: RelayServer, states: [Uint8Array, Uint8Array]): Promise<number> {
  const token = `plain-${Math.random()}`;
  const name = await relayDocumentName(token);
  const [a, b] = states.map(docFrom) as [Y.Doc, Y.Doc];
  const t0 = performance.now();
  const providers = [a, b].map(
    (document) =>
      new HocuspocusProvider({
        url: relay.url,
        name,
        token,
        document,
        awareness: null,
        // @ts-expect-error -- passed through to the provider's own socket (Node has no WebSocket)
        WebSocketPolyfill: WebSocket,
      }),
  );
  await until(() => same(a, b));
  const ms = performance.now() - t0;
  for (const p of providers) p.destroy();
  return ms;
}

/** Envelope sizes after live edits, before and after compaction, and the notebook's size. */
async function envelopeSizes(
  relay: RelayServer,
): Promise<{ before: number; after: number; notebook: number; entries: number }> {
  const keys = await deriveKeys(createIdentity());
  const a = new Notebook();
  a.migrate();
  const b = new Notebook();
  const opts = { url: relay.url, keys, WebSocketPolyfill: WebSocket, compactAfter: 0, batchMs: 0 };
  const ca = new RelayClient({ ...opts, doc: a.doc, deviceId: 'laptop' });
  const cb = new RelayClient({ ...opts, doc: b.doc, deviceId: 'phone' });
  await Promise.all([ca.whenSynced, cb.whenSynced]);
  // Each edit is sealed as its own entry: yield to the timer queue after every edit.
  const tick = () => new Promise<void>((r) => setTimeout(r, 0));
  await Promise.all([edit(a, 'laptop', tick), edit(b, 'phone', tick)]);
  await Promise.all([ca.flush(), cb.flush()]);
  await until(() => same(a.doc, b.doc));
  await until(() => ca.status.entries === cb.status.entries);
  const entries = ca.status.entries;
  const before = envelopeSize(ca.envelope);
  await ca.compact();
  await ca.flush();
  await until(() => cb.status.entries === ca.status.entries);
  const after = Math.max(envelopeSize(ca.envelope), envelopeSize(cb.envelope));
  const notebook = Y.encodeStateAsUpdate(a.doc).byteLength;
  ca.destroy();
  cb.destroy();
  return { before, after, notebook, entries };
}

/** The sync benchmark rows. */
export async function benchSync(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-bench-sync-'));
  const relay = await startRelay({ dataDir: dir });
  try {
    const states = await offlineStates();
    // Warm-up (JIT, first connection), then alternate.
    await relayRun(relay, states);
    await plainRun(relay, states);
    const tr: number[] = [];
    const tp: number[] = [];
    for (let i = 0; i < 5; i++) {
      tr.push(await relayRun(relay, states));
      tp.push(await plainRun(relay, states));
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const sizes = await envelopeSizes(relay);
    const kb = (n: number) => n / 1024;
    return [
      row(
        `converge 2 × ${EDITS} offline edits through the relay (sealed)`,
        median(tr),
        'ms',
        { name: 'plain Yjs sync, same server', value: median(tp) },
        { max: 3 },
      ),
      row(
        `envelope after 2 × ${EDITS} live edits (${sizes.entries} entries), before compaction`,
        kb(sizes.before),
        'KiB',
        { name: 'notebook encoded', value: kb(sizes.notebook) },
      ),
      row(
        'envelope after compaction',
        kb(sizes.after),
        'KiB',
        { name: 'notebook encoded', value: kb(sizes.notebook) },
        { max: 1.3 },
      ),
    ];
  } finally {
    await relay.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatTable(await benchSync()));
}
