/**
 * The relay's file store: appended updates survive a restart, a record cut short by a crash
 * loses only that record, and replacing the state folds the log in.
 */
import { afterEach, expect, test } from 'vitest';
import { readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import * as Y from 'yjs';
import { FileStore } from '../../src/server/file-store.ts';
import { removeDir, tempDir } from './sync-helpers.ts';

let dir = '';
afterEach(() => removeDir(dir));

const NAME = 'A'.repeat(43);

function edits(): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const word of ['one', 'two', 'three']) doc.getArray<string>('words').push([word]);
  return { doc, updates };
}

function words(state: Uint8Array | null): string[] {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc.getArray<string>('words').toArray();
}

test('appended updates are read back by a new store; a record cut short by a crash is dropped alone', async () => {
  dir = await tempDir();
  const { updates } = edits();
  const store = new FileStore(dir);
  await store.init();
  expect(await store.exists(NAME)).toBe(false);
  for (const u of updates) await store.append(NAME, u);
  expect(await store.exists(NAME)).toBe(true);
  expect(words(await new FileStore(dir).fetch(NAME))).toEqual(['one', 'two', 'three']);

  const log = join(dir, `${NAME}.log`);
  await truncate(log, (await stat(log)).size - 2);
  expect(words(await new FileStore(dir).fetch(NAME))).toEqual(['one', 'two']);
});

test('replace writes one state file and removes the log; later appends add to it', async () => {
  dir = await tempDir();
  const { doc, updates } = edits();
  let written = 0;
  const store = new FileStore(dir, { onWrite: (n) => (written += n) });
  await store.init();
  for (const u of updates) await store.append(NAME, u);
  const state = Y.encodeStateAsUpdate(doc);
  await store.replace(NAME, state);
  expect(await readdir(dir)).toEqual([`${NAME}.ydoc`]);
  doc.getArray<string>('words').push(['four']);
  expect(await store.append(NAME, updates.at(-1)!)).toBeGreaterThan(0);
  expect(words(await store.fetch(NAME))).toEqual(['one', 'two', 'three', 'four']);
  expect(written).toBeGreaterThan(state.byteLength);
});
