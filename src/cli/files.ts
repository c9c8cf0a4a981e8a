/**
 * Notebook files on disk for the CLI: read with clear errors, write atomically (a temp file
 * in the same folder, then rename) so a crash never leaves a half-written notebook.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Notebook, VitrineError } from '../model/index.ts';
import { openNotebookFile, saveNotebookFile } from '../io/vitrine-file.ts';

/** Read a file, turning "not found" and friends into sentences. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VitrineError(`${path} does not exist. Check the path.`);
    if (code === 'EISDIR') throw new VitrineError(`${path} is a folder, not a file.`);
    if (code === 'EACCES') throw new VitrineError(`${path} cannot be read (permission denied).`);
    throw new VitrineError(`${path} cannot be read: ${(e as Error).message}`);
  }
}

/** Open a notebook file; with `create`, a missing file gives a fresh notebook. */
export async function loadNotebook(path: string, { create = false } = {}): Promise<Notebook> {
  if (create && !existsSync(path)) {
    // A fresh notebook: the import that follows may bring its owner; else "Me" is added.
    const nb = new Notebook();
    nb.migrate();
    return nb;
  }
  const bytes = await readInput(path);
  return openNotebookFile(bytes, basename(path));
}

/** Write bytes atomically: temp file beside the target, then rename over it. */
export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new VitrineError(`Cannot write ${path}: its folder does not exist.`);
    if (code === 'EACCES') throw new VitrineError(`Cannot write ${path}: permission denied.`);
    throw new VitrineError(`Cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Save a notebook to a `.vitrine` file, atomically. */
export async function saveNotebook(nb: Notebook, path: string): Promise<void> {
  await writeAtomic(path, saveNotebookFile(nb));
}
