/**
 * Notebook files on disk (issue 11 point 8): durable atomic writes, temp files of killed
 * runs cleaned by the next run, and no save that would leave a notebook unopenable.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Every call passes through to the real file system; the log records the order of the
// calls that make a write durable.
const log: string[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const name = (p: unknown) => String(p).replace(/^.*[\\/]/, '');
  return {
    ...fs,
    open: async (
      path: string,
      ...rest: Parameters<typeof fs.open> extends [unknown, ...infer R] ? R : never
    ) => {
      const handle = await fs.open(path, ...rest);
      const label = name(path);
      log.push(`open ${label}`);
      const sync = handle.sync.bind(handle);
      const writeFile = handle.writeFile.bind(handle);
      handle.sync = async () => {
        log.push(`fsync ${label}`);
        return sync();
      };
      handle.writeFile = async (...args: Parameters<typeof handle.writeFile>) => {
        log.push(`write ${label}`);
        return writeFile(...args);
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      log.push(`rename ${name(from)} → ${name(to)}`);
      return fs.rename(from, to);
    },
  };
});

const { main } = await import('../../src/cli/main.ts');
const { cleanStaleTemps, loadNotebook, saveNotebook, STALE_TEMP_MS } =
  await import('../../src/cli/files.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-files-'));
  log.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = { stdout: '', stderr: '' };
  const code = await main(argv, {
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
  });
  return { code, ...io };
}

function contacts(): string {
  const path = join(dir, 'people.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'vitrine',
      version: 1,
      people: [
        { id: 'a', name: 'Ada' },
        { id: 'b', name: 'Bea' },
      ],
    }),
  );
  return path;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('notebook writes', () => {
  it('write the temp file, fsync it, rename it over the notebook, then fsync the folder', async () => {
    const nb = join(dir, 'mine.vitrine');
    expect((await run('import', contacts(), '--notebook', nb)).code).toBe(0);
    const writes = log.filter((l) => !l.startsWith('open people'));
    const tmp = /^\.mine\.vitrine\.tmp-\d+-[0-9a-f]{12}$/;
    expect(writes.map((l) => l.replace(/\.mine\.vitrine\.tmp-\d+-[0-9a-f]{12}/, 'TMP'))).toEqual([
      'open TMP',
      'write TMP',
      'fsync TMP',
      'rename TMP → mine.vitrine',
      `open ${dir.replace(/^.*[\\/]/, '')}`,
      `fsync ${dir.replace(/^.*[\\/]/, '')}`,
    ]);
    expect(tmp.test(writes[0]!.slice(5))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['mine.vitrine', 'people.json']);
  });

  it('the next run removes temp files of killed runs, and only those', async () => {
    const nb = join(dir, 'mine.vitrine');
    expect((await run('import', contacts(), '--notebook', nb)).code).toBe(0);
    const dead = await deadPid();
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      const stale = [
        `.mine.vitrine.tmp-${dead}-0123456789ab`, // its process is gone (killed mid-write)
        `.mine.vitrine.tmp-${process.pid}-0123456789ab`, // an earlier process with our pid
      ];
      const running = `.mine.vitrine.tmp-${live.pid}-0123456789ab`; // being written now
      const legacy = '.mine.vitrine.0123456789ab.tmp'; // the name older versions used
      const others = [
        `.other.vitrine.tmp-${dead}-0123456789ab`, // another notebook's: its own run cleans it
        'mine.vitrine.tmp-1-0123456789ab', // not hidden: not ours
        `.mine.vitrine.tmp-${dead}-notours`,
      ];
      for (const f of [...stale, running, legacy, ...others]) {
        writeFileSync(join(dir, f), 'half a notebook');
      }
      // A read-only command is a "next run" too.
      expect((await run('stats', '--notebook', nb)).code).toBe(0);
      const left = readdirSync(dir);
      for (const f of stale) expect(left).not.toContain(f);
      for (const f of [running, legacy, ...others]) expect(left).toContain(f);

      // Older than an hour: stale whoever made it (a pid can be reused).
      const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
      utimesSync(join(dir, running), old, old);
      utimesSync(join(dir, legacy), old, old);
      expect((await run('import', contacts(), '--notebook', nb)).code).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['mine.vitrine', 'people.json', ...others].sort());
    } finally {
      live.kill();
    }
  });

  it('cleaning never throws on a folder it cannot read', async () => {
    expect(await cleanStaleTemps(join(dir, 'missing', 'nb.vitrine'))).toEqual([]);
  });

  it('a notebook that would not open again is never written over the old file', async () => {
    const nb = join(dir, 'mine.vitrine');
    expect((await run('import', contacts(), '--notebook', nb)).code).toBe(0);
    const before = readFileSync(nb);
    const notebook = await loadNotebook(nb);
    // Bypassing every check, as a bug anywhere upstream might: Yjs encodes this nesting,
    // but its decoder overflows the stack on it.
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    notebook.doc.transact(() => notebook.people.get('a')!.set('bad', deep));
    await expect(saveNotebook(notebook, nb)).rejects.toThrow(
      /mine\.vitrine was left as it was: the notebook this would write does not open again \(.+\)\. Nothing was written/,
    );
    expect(readFileSync(nb).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['mine.vitrine', 'people.json']);
    // The same notebook without it saves and opens.
    notebook.doc.transact(() => notebook.people.get('a')!.delete('bad'));
    await saveNotebook(notebook, nb);
    expect((await run('stats', '--notebook', nb)).stdout).toMatch(/people\s+3/);
  });
});
