/**
 * Notebook files on disk for the CLI: read with clear errors, write atomically and durably
 * (a temp file in the same folder, fsync, rename, fsync the folder — as the relay's file
 * store does) so a crash or a power cut leaves the old file or the new one, never half of one.
 *
 * Temp files are named `.<file>.tmp-<pid>-<random>`. A run killed mid-write (SIGKILL, power
 * cut) leaves its temp file behind; the next run that reads or writes that file removes the
 * ones whose process is gone, or that are older than an hour (a pid can be reused).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Notebook, VitrineError } from '../model/index.ts';
import { decodeVitrineFile, openNotebookFile, saveNotebookFile } from '../io/vitrine-file.ts';

/** A temp file older than this is stale whoever made it: no write takes an hour. */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/** Temp files this process is writing right now (its own pid, so never stale). */
const writing = new Set<string>();

/** The temp file name for a write of `path` by this process. */
function tempPath(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`,
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Remove the temp files that killed runs left beside `path`: those of a process that is
 * gone (or of this process, when not being written), and any older than
 * {@link STALE_TEMP_MS}. Also the `.<file>.<hex>.tmp` names older versions used, when old.
 * Never throws; returns the names removed.
 */
export async function cleanStaleTemps(path: string, now = Date.now()): Promise<string[]> {
  const dir = dirname(path);
  const name = escapeRegExp(basename(path));
  const current = new RegExp(`^\\.${name}\\.tmp-(\\d+)-[0-9a-f]{12}$`);
  const legacy = new RegExp(`^\\.${name}\\.[0-9a-f]{12}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of names) {
    const m = current.exec(entry);
    if (!m && !legacy.test(entry)) continue;
    const full = join(dir, entry);
    if (writing.has(full)) continue;
    try {
      const old = now - (await stat(full)).mtimeMs > STALE_TEMP_MS;
      const pid = m ? Number(m[1]) : undefined;
      const gone = pid !== undefined && (pid === process.pid || !processAlive(pid));
      if (!old && !gone) continue;
      await rm(full, { force: true });
      removed.push(entry);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

/** Read a file, turning "not found" and friends into sentences. */
export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw readError(path, e);
  }
}

/** A failed read of `path` as the CLI's sentence ("does not exist", "is a folder", …). */
export function readError(path: string, e: unknown): VitrineError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new VitrineError(`${path} does not exist. Check the path.`);
  if (code === 'EISDIR') return new VitrineError(`${path} is a folder, not a file.`);
  if (code === 'EACCES') return new VitrineError(`${path} cannot be read (permission denied).`);
  return new VitrineError(`${path} cannot be read: ${(e as Error).message}`);
}

/** Open a notebook file; with `create`, a missing file gives a fresh notebook. */
export async function loadNotebook(path: string, { create = false } = {}): Promise<Notebook> {
  await cleanStaleTemps(path);
  if (create && !existsSync(path)) {
    // A fresh notebook: the import that follows may bring its owner; else "Me" is added.
    const nb = new Notebook();
    nb.migrate();
    return nb;
  }
  const bytes = await readInput(path);
  return openNotebookFile(bytes, basename(path));
}

/** fsync a folder, so a rename in it survives a power cut. Best effort: not every system can. */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a folder, and some file systems refuse fsync on one.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Write bytes atomically and durably: temp file beside the target, fsync, rename over it,
 * fsync the folder. Stale temp files from killed runs are cleaned first.
 */
export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await cleanStaleTemps(path);
  const tmp = tempPath(path);
  writing.add(tmp);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(bytes);
      // Durable before it becomes visible: rename alone may reorder with the data write.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new VitrineError(`Cannot write ${path}: its folder does not exist.`);
    if (code === 'EACCES') throw new VitrineError(`Cannot write ${path}: permission denied.`);
    throw new VitrineError(`Cannot write ${path}: ${(e as Error).message}`);
  } finally {
    writing.delete(tmp);
  }
  await syncDir(dirname(path));
}

/**
 * Save a notebook to a `.vitrine` file, atomically. The bytes are checked first by the same
 * reader every command opens notebooks with: if they would not open, the old file is left as it
 * was and the error says so (an import that "worked" must never leave a notebook that no
 * command can open).
 */
export async function saveNotebook(nb: Notebook, path: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = saveNotebookFile(nb);
    // The checking half of openNotebookFile (the reader every command uses): it applies the
    // whole update to a scratch document. The other half would apply it a second time.
    decodeVitrineFile(bytes, basename(path));
  } catch (e) {
    const why =
      e instanceof VitrineError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    throw new VitrineError(
      `${path} was left as it was: the notebook this would write does not open again (${why.replace(/\.$/, '')}). Nothing was written; please report this, with the file you used.`,
    );
  }
  await writeAtomic(path, bytes);
}
