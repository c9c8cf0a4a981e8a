/**
 * `vitrine import calendar.ics --me …` end to end, and what it does for the analysis: a
 * LinkedIn-only notebook of 60 people is a star around the owner; after a year of calendar
 * in which three groups meet among themselves, `vitrine analyze` finds the three groups,
 * and "Needs attention" ranks people by their real last meeting.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.ts';
import { listPeople, listTouches, updatePerson } from '../../src/model/index.ts';
import { openNotebookFile, saveNotebookFile } from '../../src/io/vitrine-file.ts';
import { ics, meeting } from '../helpers/ics.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-cal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  } satisfies Io & { stdout: string; stderr: string };
  const code = await main(argv, io);
  return { code, ...io };
}

const email = (i: number) => `person${i}@example.org`;
const DAY = 86_400_000;

/** Connections.csv of 60 people, each with an email (as LinkedIn gives when allowed). */
function connections(): string {
  const rows = ['First Name,Last Name,URL,Email Address,Company,Position,Connected On'];
  for (let i = 0; i < 60; i++) {
    rows.push(
      `Person,Number${i},https://www.linkedin.com/in/person-${i},${email(i)},Org ${i % 7},Role,01 Jan 2020`,
    );
  }
  return rows.join('\n') + '\n';
}

/** The UTC iCalendar stamp of `days` ago. */
function ago(days: number): string {
  return new Date(Date.now() - days * DAY)
    .toISOString()
    .replace(/[-:]|\.\d{3}/g, '')
    .replace(/T(\d{2})\d{4}Z/, 'T$10000Z');
}

/**
 * A year of meetings: three groups of 12 (people 0–11, 12–23, 24–35) meet weekly, four or
 * five of a group at a time; people 36, 37 and 38 were last met 200, 100 and 45 days ago.
 */
function year(): string {
  const events: string[] = [];
  for (let g = 0; g < 3; g++) {
    for (let w = 2; w < 52; w++) {
      const members = [0, 1, 2, 3, 4].slice(0, 4 + (w % 2)).map((k) => g * 12 + ((w + k * 5) % 12));
      events.push(
        meeting(
          `g${g}-w${w}@example.org`,
          ago(w * 7 + g),
          'me@owner.example',
          ...members.map(email),
        ),
      );
    }
  }
  for (const [i, days] of [
    [36, 200],
    [37, 100],
    [38, 45],
  ] as const) {
    events.push(meeting(`solo-${i}@example.org`, ago(days), 'me@owner.example', email(i)));
  }
  return ics(...events);
}

describe('vitrine import (calendar)', () => {
  it('a year of meetings gives a star-shaped notebook its clusters, and needs-attention real dates', async () => {
    const nbPath = join(dir, 'mine.vitrine');
    const csv = join(dir, 'Connections.csv');
    writeFileSync(csv, connections());
    expect((await run('import', csv, '--notebook', nbPath)).code).toBe(0);

    const before = JSON.parse((await run('analyze', '--notebook', nbPath, '--json')).stdout);
    expect(before.clusters).toHaveLength(0);
    expect(before.modularity).toBeLessThan(0.1);

    // A cadence of 30 days on the three met alone, to see them ranked.
    const nb = openNotebookFile(new Uint8Array(readFileSync(nbPath)), 'mine.vitrine');
    for (const i of [36, 37, 38]) {
      const p = listPeople(nb).find((x) => x.emails.includes(email(i)))!;
      updatePerson(nb, p.id, { cadenceDays: 30 });
    }
    writeFileSync(nbPath, saveNotebookFile(nb));

    const cal = join(dir, 'work.ics');
    writeFileSync(cal, year());
    const imported = await run('import', cal, '--notebook', nbPath, '--me', 'me@owner.example');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported work.ics (calendar)');
    expect(imported.stdout).toMatch(/153 touches added/);
    expect(imported.stdout).toMatch(/39 people matched, 0 unmatched/);
    expect(imported.stdout).toMatch(/\d+ ties inferred/);

    const after = JSON.parse((await run('analyze', '--notebook', nbPath, '--json')).stdout);
    expect(after.clusters.length).toBeGreaterThanOrEqual(3);
    expect(after.modularity).toBeGreaterThanOrEqual(0.3);
    const book = openNotebookFile(new Uint8Array(readFileSync(nbPath)), 'mine.vitrine');
    const idOf = (i: number) => listPeople(book).find((p) => p.emails.includes(email(i)))!.id;
    // Each group is one cluster.
    for (let g = 0; g < 3; g++) {
      const members = Array.from({ length: 12 }, (_, k) => idOf(g * 12 + k));
      const home = after.clusters.find((c: { members: string[] }) =>
        c.members.includes(members[0]!),
      );
      expect(members.every((m) => home.members.includes(m))).toBe(true);
    }
    // Needs attention: last met 200, then 100, then 45 days ago.
    const ranked = after.neglected.map((n: { personId: string }) => n.personId);
    expect(ranked.slice(0, 3)).toEqual([idOf(36), idOf(37), idOf(38)]);
    expect(after.neglected[0].daysSince).toBeGreaterThanOrEqual(199);

    // Importing the same calendar again adds nothing.
    const touches = listTouches(book).length;
    const again = await run('import', cal, '--notebook', nbPath);
    expect(again.stdout).toMatch(/0 touches added \(153 already there\)/);
    expect(listTouches(openNotebookFile(new Uint8Array(readFileSync(nbPath)), 'x')).length).toBe(
      touches,
    );
  });

  it('refuses a file that is not a calendar with --format calendar, leaving the notebook as it was', async () => {
    const nbPath = join(dir, 'mine.vitrine');
    const csv = join(dir, 'Connections.csv');
    writeFileSync(csv, connections());
    await run('import', csv, '--notebook', nbPath);
    const bytes = readFileSync(nbPath);
    const r = await run('import', csv, '--notebook', nbPath, '--format', 'calendar');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Connections\.csv is not a calendar/);
    expect(readFileSync(nbPath).equals(bytes)).toBe(true);
  });
});
