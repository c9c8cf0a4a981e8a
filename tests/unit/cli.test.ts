import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { main, type Io } from '../../src/cli/main.ts';
import { Notebook, addPerson } from '../../src/model/index.ts';
import { saveNotebookFile } from '../../src/io/vitrine-file.ts';
import { testNotebook } from '../helpers/notebook.ts';

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
  it('merges a backup saved while an edit waited for an earlier one, and completes it', async () => {
    // The laptop makes two edits; the phone got the second first and was backed up then.
    const laptopNb = testNotebook({ prefix: 'l' });
    const updates: Uint8Array[] = [];
    laptopNb.doc.on('update', (u: Uint8Array) => updates.push(u));
    addPerson(laptopNb, { name: 'First Edit' });
    addPerson(laptopNb, { name: 'Second Edit' });
    const phoneDoc = new Y.Doc();
    Y.applyUpdate(phoneDoc, updates[1]!);
    const waiting = join(dir, 'waiting.vitrine');
    const complete = join(dir, 'complete.vitrine');
    writeFileSync(waiting, saveNotebookFile(new Notebook(phoneDoc)));
    writeFileSync(complete, saveNotebookFile(laptopNb));
    let io = capture();
    expect(await main(['merge', waiting, waiting, '--out', join(dir, 'w2.vitrine')], io)).toBe(0);
    expect(io.stdout).toMatch(/wait for earlier changes/);
    io = capture();
    const out = join(dir, 'completed.vitrine');
    expect(await main(['merge', waiting, complete, '--out', out], io)).toBe(0);
    expect(io.stdout).not.toMatch(/wait for earlier/);
    io = capture();
    expect(await main(['export', '--notebook', out, '--format', 'json'], io)).toBe(0);
    const names = JSON.parse(io.stdout).people.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['First Edit', 'Second Edit']));
  });

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

  it('analyze prints clusters with self-sustaining scores, neglected ties and brokers', async () => {
    // Two groups the owner knows: a close-knit team (a clique) and a loose set held by the owner.
    const people = [{ id: 'me', name: 'Owner' }];
    const ties: Record<string, unknown>[] = [];
    const team = ['t1', 't2', 't3', 't4', 't5'];
    const loose = ['l1', 'l2', 'l3', 'l4', 'l5'];
    for (const id of [...team, ...loose]) {
      people.push({ id, name: `Person ${id}`, ...(team.includes(id) ? { org: 'Acme' } : {}) });
      ties.push({
        id: `me-${id}`,
        from: 'me',
        to: id,
        strength: 4,
        since: '2024-01-01',
        createdAt: '2024-01-01T00:00:00.000Z',
        cadenceDays: 30,
      });
    }
    team.forEach((a, i) =>
      team.slice(i + 1).forEach((b) => ties.push({ id: `${a}-${b}`, from: a, to: b })),
    );
    ties.push({ id: 'l1-l2', from: 'l1', to: 'l2' }, { id: 'l3-l4', from: 'l3', to: 'l4' });
    ties.push({ id: 'l4-l5', from: 'l4', to: 'l5' }, { id: 't1-l1', from: 't1', to: 'l1' });
    const nb = join(dir, 'analyze.vitrine');
    const file = jsonFile('analyze.json', {
      format: 'vitrine',
      version: 1,
      owner: 'me',
      people,
      ties,
    });
    expect(await main(['import', file, '--notebook', nb], capture())).toBe(0);
    let io = capture();
    expect(await main(['analyze', '--notebook', nb, '--json'], io)).toBe(0);
    const a = JSON.parse(io.stdout);
    expect(typeof a.modularity).toBe('number');
    expect(Array.isArray(a.neglected) && Array.isArray(a.brokers)).toBe(true);
    expect(a.neglected.length).toBeGreaterThan(0);
    const teamCluster = a.clusters.find((c: { members: string[] }) => c.members.includes('t2'));
    expect(teamCluster).toMatchObject({
      id: expect.any(String),
      selfSustaining: expect.any(Number),
    });
    expect([...teamCluster.members].sort()).toEqual(
      expect.arrayContaining(['t2', 't3', 't4', 't5']),
    );
    io = capture();
    expect(await main(['analyze', '--notebook', nb], io)).toBe(0);
    expect(io.stdout).toMatch(/Clusters \(/);
    expect(io.stdout).toMatch(/Without you/);
    expect(io.stdout).toMatch(/Needs attention/);
  });

  it('runs as the `vitrine` bin with no build step', async () => {
    const bin = join(import.meta.dirname, '../../bin/vitrine.js');
    const { stdout } = await run(process.execPath, [bin, '--help']);
    for (const cmd of ['import', 'export', 'merge', 'analyze', 'stats'])
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
