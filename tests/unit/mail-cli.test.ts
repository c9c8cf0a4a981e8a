/**
 * `vitrine import mail.mbox` end to end (issue 15 point 4): detected from content,
 * streamed, a progress line and a summary; re-import adds nothing; a refused file leaves
 * the notebook file as it was. And issue 12's missing flags: `--add-people` and
 * `--keep-titles`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.ts';
import { keepEventTitles, listPeople, listTies, listTouches } from '../../src/model/index.ts';
import { openNotebookFile } from '../../src/io/vitrine-file.ts';
import { ics, meeting } from '../helpers/ics.ts';
import { mbox, message } from '../helpers/mail.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-mail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = {
    stdout: '',
    stderr: '',
    progress: [] as string[],
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  const code = await main(argv, {
    out: (t) => io.out(t),
    err: (t) => io.err(t),
    progress: (t) => io.progress.push(t),
  } satisfies Io);
  return { code, ...io };
}

const open = (path: string) => openNotebookFile(new Uint8Array(readFileSync(path)), 'nb');

function contacts(): string {
  const rows = ['First Name,Last Name,URL,Email Address,Company,Position,Connected On'];
  for (const [f, l, e] of [
    ['Ana', 'Lima', 'ana@acme.example'],
    ['Ben', 'Okafor', 'ben@acme.example'],
    ['Chloe', 'Dupont', 'chloe@beta.example'],
  ])
    rows.push(
      `${f},${l},https://www.linkedin.com/in/${f!.toLowerCase()},${e},Acme,Role,01 Jan 2020`,
    );
  return rows.join('\n') + '\n';
}

let n = 0;
const mail = (from: string, to: string, date: string, extra: Record<string, string> = {}) =>
  message({
    From: from,
    To: to,
    Date: date,
    Subject: `s${++n}`,
    'Message-ID': `<c${n}@t>`,
    ...extra,
  });

describe('vitrine import (mail)', () => {
  it('imports an mbox: progress, summary, touches and ties; again adds nothing', async () => {
    const nbPath = join(dir, 'mine.vitrine');
    writeFileSync(join(dir, 'Connections.csv'), contacts());
    expect((await run('import', join(dir, 'Connections.csv'), '--notebook', nbPath)).code).toBe(0);
    const box = join(dir, 'All mail Including Spam and Trash.mbox');
    writeFileSync(
      box,
      mbox(
        mail(
          'ana@acme.example',
          'me@owner.example, ben@acme.example',
          'Tue, 3 Mar 2026 09:00:00 +0000',
        ),
        mail(
          'me@owner.example',
          'ana@acme.example, ben@acme.example',
          'Tue, 10 Mar 2026 09:00:00 +0000',
        ),
        mail('chloe@beta.example', 'me@owner.example', 'Tue, 10 Mar 2026 09:00:00 +0000'),
        mail('news@shop.example', 'me@owner.example', 'Tue, 10 Mar 2026 09:00:00 +0000', {
          'List-Id': '<x>',
        }),
        mail('no-reply@shop.example', 'me@owner.example', 'Tue, 10 Mar 2026 09:00:00 +0000'),
      ),
    );
    const r = await run('import', box, '--notebook', nbPath, '--me', 'me@owner.example');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.progress.some((p) => /^Reading All mail .*\.mbox: \d+ MB of \d+ MB$/.test(p))).toBe(
      true,
    );
    expect(r.stdout).toContain('Imported All mail Including Spam and Trash.mbox (mbox)');
    expect(r.stdout).toMatch(/5 messages read, 3 counted/);
    expect(r.stdout).toMatch(/3 touches added/);
    expect(r.stdout).toMatch(/3 people matched, 0 unmatched/);
    expect(r.stdout).toMatch(/1 ties inferred/);
    expect(r.stdout).toMatch(/skipped 1: mailing-list or newsletter mail .*\(first: message 4/);
    expect(r.stdout).toMatch(/skipped 1: from a no-reply address/);
    const nb = open(nbPath);
    expect(listTouches(nb).map((t) => t.channel)).toEqual(['email', 'email', 'email']);
    expect(listTies(nb).filter((t) => t.provenance === 'inferred')).toHaveLength(1);

    const again = await run('import', box, '--notebook', nbPath);
    expect(again.stdout).toMatch(/0 touches added \(3 already there\)/);
    expect(listTouches(open(nbPath))).toHaveLength(3);
  });

  it('--format eml reads one message; a file with no mail is refused and the notebook file is untouched', async () => {
    const nbPath = join(dir, 'mine.vitrine');
    writeFileSync(join(dir, 'Connections.csv'), contacts());
    await run('import', join(dir, 'Connections.csv'), '--notebook', nbPath);
    const eml = join(dir, 'message.txt');
    writeFileSync(
      eml,
      mail('ana@acme.example', 'me@owner.example', 'Tue, 3 Mar 2026 09:00:00 +0000'),
    );
    const r = await run(
      'import',
      eml,
      '--notebook',
      nbPath,
      '--format',
      'eml',
      '--me',
      'me@owner.example',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(eml\)[\s\S]*1 touches added/);
    const before = readFileSync(nbPath);
    const empty = join(dir, 'empty.mbox');
    writeFileSync(empty, '\n\n');
    const refused = await run('import', empty, '--notebook', nbPath, '--format', 'mbox');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/empty\.mbox holds no e-mail/);
    expect(readFileSync(nbPath).equals(before)).toBe(true);
  });

  it('--add-people adds the unmatched seen three times or more (mail)', async () => {
    const nbPath = join(dir, 'mine.vitrine');
    const box = join(dir, 'Inbox.mbox');
    writeFileSync(
      box,
      mbox(
        ...[3, 4, 5].map((d) =>
          mail('Zoe Stranger <zoe@z.example>', 'me@owner.example', `${d} Mar 2026 09:00:00 +0000`),
        ),
        mail('Once Only <once@z.example>', 'me@owner.example', '6 Mar 2026 09:00:00 +0000'),
      ),
    );
    const r = await run(
      'import',
      box,
      '--notebook',
      nbPath,
      '--me',
      'me@owner.example',
      '--add-people',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 added as people/);
    const nb = open(nbPath);
    expect(listPeople(nb).map((p) => p.name)).toContain('Zoe Stranger');
    expect(listPeople(nb).map((p) => p.name)).not.toContain('Once Only');
    expect(listTouches(nb)).toHaveLength(3);
  });

  it('--add-people and --keep-titles for a calendar (issue 12)', async () => {
    const nbPath = join(dir, 'mine.vitrine');
    const cal = join(dir, 'work.ics');
    writeFileSync(
      cal,
      ics(
        ...['20260105T100000Z', '20260112T100000Z', '20260119T100000Z'].map((start, i) =>
          meeting(`m${i}@x`, start, 'me@owner.example', 'gus@guest.example'),
        ),
      ),
    );
    const plain = await run(
      'import',
      cal,
      '--notebook',
      join(dir, 'plain.vitrine'),
      '--me',
      'me@owner.example',
    );
    expect(plain.stdout).toMatch(/unmatched, seen 3 times: gus/);
    expect(listTouches(open(join(dir, 'plain.vitrine')))).toHaveLength(0);

    const r = await run(
      'import',
      cal,
      '--notebook',
      nbPath,
      '--me',
      'me@owner.example',
      '--add-people',
      '--keep-titles',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 added as people \(--add-people\)/);
    const nb = open(nbPath);
    expect(keepEventTitles(nb)).toBe(true);
    const touches = listTouches(nb);
    expect(touches).toHaveLength(3);
    expect(touches.map((t) => t.note).sort()).toEqual([
      'Meeting m0@x',
      'Meeting m1@x',
      'Meeting m2@x',
    ]);
  });
});
