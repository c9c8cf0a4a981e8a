import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.ts';

const run = promisify(execFile);

function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-'));
});
afterAll(() => {
  // Temp files are left to the OS; nothing outside the temp folder was written.
});

function jsonFile(name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

const laptop = {
  format: 'vitrine',
  version: 1,
  owner: 'me',
  people: [
    { id: 'me', name: 'Marta Owner' },
    { id: 'p-zoe', name: 'Zoë Ångström', org: 'Ørsted' },
    { id: 'p-li', name: '李小龍', tags: ['martial-arts'] },
  ],
  ties: [{ id: 't1', from: 'me', to: 'p-zoe', kind: 'friend', strength: 5 }],
  touches: [{ id: 'x1', personIds: ['p-zoe'], at: '2026-02-01', channel: 'coffee' }],
  intros: [],
};
const phone = {
  format: 'vitrine',
  version: 1,
  owner: 'me2',
  people: [
    { id: 'me2', name: 'Marta on phone' },
    { id: 'p-sio', name: 'Siobhán Ó Briain 🌿' },
    { id: 'p-raj', name: 'Rajesh Kūmar' },
  ],
  ties: [{ id: 't2', from: 'p-sio', to: 'p-raj', kind: 'colleague' }],
};

describe('vitrine CLI', () => {
  it('builds two notebooks from JSON, merges them, exports everyone with Unicode intact', async () => {
    const a = join(dir, 'laptop.vitrine');
    const b = join(dir, 'phone.vitrine');
    const c = join(dir, 'merged.vitrine');
    let io = capture();
    expect(await main(['import', jsonFile('laptop.json', laptop), '--notebook', a], io)).toBe(0);
    expect(io.stdout).toMatch(/3 new, 0 merged/);
    io = capture();
    expect(
      await main(
        ['import', jsonFile('phone.json', phone), '--notebook', b, '--format', 'json'],
        io,
      ),
    ).toBe(0);
    io = capture();
    expect(await main(['merge', a, b, '--out', c], io)).toBe(0);
    expect(io.stdout).toMatch(/6 people/);
    io = capture();
    expect(await main(['export', '--notebook', c, '--format', 'json'], io)).toBe(0);
    const out = JSON.parse(io.stdout);
    const names = out.people.map((p: { name: string }) => p.name).sort();
    expect(names).toEqual(
      [
        'Marta Owner',
        'Marta on phone',
        'Rajesh Kūmar',
        'Siobhán Ó Briain 🌿',
        'Zoë Ångström',
        '李小龍',
      ].sort(),
    );
    expect(out.ties).toHaveLength(2);
    io = capture();
    expect(await main(['stats', '--notebook', c, '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({ people: 6, ties: 2, touches: 1 });
    const outFile = join(dir, 'out.json');
    expect(
      await main(['export', '--notebook', c, '--format', 'json', '--out', outFile], capture()),
    ).toBe(0);
    expect(JSON.parse(readFileSync(outFile, 'utf8')).people).toHaveLength(6);
  });

  it('errors go to stderr with a non-zero code and a sentence, leaving the notebook intact', async () => {
    const nb = join(dir, 'keep.vitrine');
    await main(['import', jsonFile('k.json', laptop), '--notebook', nb], capture());
    const before = readFileSync(nb);
    const cases: [string[], RegExp, number][] = [
      [['import', join(dir, 'missing.json'), '--notebook', nb], /missing\.json does not exist/, 1],
      [
        ['import', jsonFile('bad.json', '{'), '--notebook', nb],
        /not a Vitrine notebook|not valid JSON/,
        1,
      ],
      [['import', nb, '--notebook', nb], /use "vitrine merge"/, 1],
      [['import', jsonFile('x.json', laptop)], /Missing --notebook/, 2],
      [['export', '--notebook', nb, '--format', 'docx'], /Unknown format "docx"/, 2],
      [['stats', '--notebook', jsonFile('notnb.vitrine', laptop)], /not a Vitrine notebook/, 1],
      [['merge', nb], /Name two notebooks/, 2],
      [['frobnicate'], /unknown command "frobnicate"/, 2],
      [['stats', '--notebook', nb, '--bogus'], /Unknown option/, 2],
    ];
    for (const [args, message, code] of cases) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(code);
      expect(io.stderr, args.join(' ')).toMatch(message);
      expect(io.stdout).toBe('');
    }
    expect(readFileSync(nb)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('runs as the `vitrine` bin with no build step', async () => {
    const bin = join(import.meta.dirname, '../../bin/vitrine.js');
    const { stdout } = await run(process.execPath, [bin, '--help']);
    for (const cmd of ['import', 'export', 'merge', 'stats'])
      expect(stdout).toContain(`vitrine ${cmd}`);
    const missing = await run(process.execPath, [
      bin,
      'stats',
      '--notebook',
      join(dir, 'nope.vitrine'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((missing as { code: number }).code).toBe(1);
    expect((missing as { stderr: string }).stderr).toMatch(/nope\.vitrine does not exist/);
    expect(existsSync(join(dir, 'nope.vitrine'))).toBe(false);
  });
});
