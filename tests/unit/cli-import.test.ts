/** `vitrine import` / `vitrine export` end to end through main(), on real files in a temp folder. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Graph from 'graphology';
import { parse as parseGraphml } from 'graphology-graphml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.ts';
import { listPeople, listTies } from '../../src/model/index.ts';
import { openNotebookFile } from '../../src/io/vitrine-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-io-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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

/** Copy a fixture into the temp folder under `name`. */
function fixtureFile(fixture: string, name = fixture): string {
  const to = join(dir, name);
  copyFileSync(fileURLToPath(new URL(`../fixtures/io/${fixture}`, import.meta.url)), to);
  return to;
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, ...io };
}

const open = (path: string) => openNotebookFile(new Uint8Array(readFileSync(path)), path);

describe('vitrine import', () => {
  it('says which rows of the file it took for the same person, with their lines', async () => {
    const nb = join(dir, 'mine.vitrine');
    // A real address book in which two cards give the same website (KContacts' vcard10.vcf).
    const out = await run(
      'import',
      fixtureFile('real/kaddressbook-2.1-qp.vcf', 'kab.vcf'),
      '--notebook',
      nb,
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('4 new, 0 merged');
    expect(out.stdout).toContain(
      'same person: card 3 (line 19) and card 2 (line 9) (Field after Address broken, link)',
    );
  });

  it('detects each format, creates the notebook, and prints a summary', async () => {
    const nb = join(dir, 'mine.vitrine');
    const li = await run('import', fixtureFile('Connections.csv'), '--notebook', nb);
    expect(li.code).toBe(0);
    expect(li.stdout).toContain('Imported Connections.csv (linkedin)');
    expect(li.stdout).toContain('6 new, 0 merged, 0 unchanged, 1 skipped');
    expect(li.stdout).toContain('skipped line 9: it has no name');
    const g = await run(
      'import',
      fixtureFile('google-contacts.csv', 'contacts.csv'),
      '--notebook',
      nb,
    );
    expect(g.code).toBe(0);
    expect(g.stdout).toContain('(google)');
    expect(g.stdout).toMatch(/3 new, 1 merged/);
    const v = await run('import', fixtureFile('contacts-v4.vcf', 'export.vcf'), '--notebook', nb);
    expect(v.stdout).toContain('(vcard)');
    const j = await run(
      'import',
      fixtureFile('vitrine-notebook.json', 'backup.json'),
      '--notebook',
      nb,
    );
    expect(j.stdout).toContain('(json)');
    const book = open(nb);
    expect(listPeople(book).map((p) => p.name)).toContain('Oliver Grant');
    expect(listPeople(book).filter((p) => p.name === 'Ana Lima').length).toBeGreaterThan(0);
    expect(listTies(book).length).toBeGreaterThan(6);
  });

  it('importing the same file twice reports everyone unchanged', async () => {
    const nb = join(dir, 'mine.vitrine');
    const file = fixtureFile('contacts-v3.vcf');
    await run('import', file, '--notebook', nb);
    const bytes = readFileSync(nb);
    const again = await run('import', file, '--notebook', nb);
    expect(again.stdout).toContain('0 new, 0 merged, 3 unchanged');
    expect(readFileSync(nb).equals(bytes)).toBe(true);
  });

  it('refuses a bad file on stderr with exit 1 and leaves the notebook file as it was', async () => {
    const nb = join(dir, 'mine.vitrine');
    await run('import', fixtureFile('Connections-2019.csv'), '--notebook', nb);
    const bytes = readFileSync(nb);
    const broken = await run(
      'import',
      fixtureFile('linkedin-broken-quote.csv', 'Connections.csv'),
      '--notebook',
      nb,
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /^vitrine import: Connections\.csv, line 6: a quoted field is never closed/,
    );
    const png = join(dir, 'photo.png');
    writeFileSync(png, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0]));
    const img = await run('import', png, '--notebook', nb);
    expect(img.code).toBe(1);
    expect(img.stderr).toContain('photo.png is a PNG image, not a contacts file');
    expect(readFileSync(nb).equals(bytes)).toBe(true);
  });

  it('honours --format and rejects an unknown one', async () => {
    const nb = join(dir, 'mine.vitrine');
    const ok = await run(
      'import',
      fixtureFile('google-semicolon.csv', 'k.txt'),
      '--notebook',
      nb,
      '--format',
      'google',
    );
    expect(ok.code).toBe(0);
    const bad = await run(
      'import',
      fixtureFile('Connections.csv'),
      '--notebook',
      nb,
      '--format',
      'excel',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use one of linkedin, google, vcard, json');
  });
});

describe('vitrine export', () => {
  async function notebook(): Promise<string> {
    const nb = join(dir, 'mine.vitrine');
    await run('import', fixtureFile('google-contacts.csv', 'contacts.csv'), '--notebook', nb);
    return nb;
  }

  it('--format csv and csv-ties write people and ties', async () => {
    const nb = await notebook();
    const people = await run('export', '--notebook', nb, '--format', 'csv');
    expect(people.code).toBe(0);
    expect(people.stdout.split('\r\n')[0]).toMatch(/^Vitrine ID,Name,Organization Name/);
    expect(people.stdout).toContain('Ana Lima,Quartzo Labs');
    const out = join(dir, 'ties.csv');
    const ties = await run('export', '--notebook', nb, '--format', 'csv-ties', '--out', out);
    expect(ties.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/Ana Lima,[^\r\n]*,Rui Costa,colleague/);
  });

  it('--format vcard writes vCard 4.0 that imports back into a new notebook', async () => {
    const nb = await notebook();
    const out = join(dir, 'contacts.vcf');
    expect((await run('export', '--notebook', nb, '--format', 'vcard', '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0/);
    const copy = join(dir, 'copy.vitrine');
    const back = await run('import', out, '--notebook', copy);
    expect(back.code).toBe(0);
    expect(
      listPeople(open(copy))
        .map((p) => p.name)
        .sort(),
    ).toEqual(
      listPeople(open(nb))
        .map((p) => p.name)
        .sort(),
    );
  });

  it('--format graphml writes a graph a GraphML reader loads', async () => {
    const nb = await notebook();
    const r = await run('export', '--notebook', nb, '--format', 'graphml');
    expect(r.code).toBe(0);
    const g = parseGraphml(Graph, r.stdout);
    expect(g.order).toBe(listPeople(open(nb)).length);
    expect(g.size).toBe(listTies(open(nb)).length);
  });
});
