import ICAL from 'ical.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { saveNotebookFile } from '../../src/io/vitrine-file.ts';
import {
  addPerson,
  advanceIntro,
  createIntro,
  dismissTodayItem,
  linkPeople,
  logTouch,
  today,
} from '../../src/model/index.ts';
import { capture } from '../helpers/cli.ts';
import { clock, testNotebook } from '../helpers/notebook.ts';

const DAY = 86_400_000;
let dir: string;
let path: string;
const ids: Record<string, string> = {};

/**
 * A notebook dated from the real clock (the CLI reads "now" from it): Ana overdue, Bo's
 * birthday in three days, an ask to Cy unanswered for ten days, Dee overdue but dismissed.
 */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrine-today-'));
  const real = Date.now();
  const c = clock(new Date(real - 10 * DAY).toISOString());
  const nb = testNotebook({ clock: c });
  const me = nb.ownerId!;
  const inThree = new Date(real + 3 * DAY).toISOString().slice(5, 10);
  ids.ana = addPerson(nb, { name: 'Ana Silva', cadenceDays: 30 });
  ids.bo = addPerson(nb, { name: 'Bo Chen', birthday: `--${inThree}` });
  ids.cy = addPerson(nb, { name: 'Cy Dara' });
  ids.dee = addPerson(nb, { name: 'Dee Ng', cadenceDays: 14 });
  linkPeople(nb, me, ids.ana, { strength: 5 });
  linkPeople(nb, me, ids.dee, { strength: 2 });
  logTouch(nb, { personIds: [ids.ana], at: new Date(real - 45 * DAY).toISOString() });
  logTouch(nb, { personIds: [ids.dee], at: new Date(real - 45 * DAY).toISOString() });
  ids.intro = createIntro(nb, { a: ids.cy, b: ids.ana });
  advanceIntro(nb, ids.intro, 'asked-a');
  c.set(new Date(real).toISOString());
  const dee = today(nb).items.find((i) => i.personIds[0] === ids.dee)!;
  dismissTodayItem(nb, dee.key);
  path = join(dir, 'mine.vitrine');
  writeFileSync(path, saveNotebookFile(nb));
});

describe('vitrine today', () => {
  it('prints what is due as JSON for scripts: kind, people, introduction, due date, text', async () => {
    const io = capture();
    expect(await main(['today', '--notebook', path, '--json'], io)).toBe(0);
    const { items } = JSON.parse(io.stdout) as {
      items: { kind: string; personIds: string[]; introId?: string; due: string; text: string }[];
    };
    expect(items.map((i) => [i.kind, i.personIds])).toEqual([
      ['overdue', [ids.ana]],
      ['waiting', [ids.cy, ids.ana]],
      ['birthday', [ids.bo]],
    ]);
    expect(items[1]!.introId).toBe(ids.intro);
    expect(items[0]!.introId).toBeUndefined();
    expect(items[0]!.text).toMatch(/^Ana Silva: 15 days overdue/);
    for (const i of items) expect(i.due).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(io.stderr).toBe('');
  });

  it('prints one line per item, grouped by kind, for a person reading mail from cron', async () => {
    const io = capture();
    expect(await main(['today', '--notebook', path], io)).toBe(0);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Overdue for a touch (1)');
    expect(lines[1]).toMatch(/^ {2}Ana Silva: 15 days overdue/);
    expect(lines).toContain('Asks waiting for an answer (1)');
    expect(lines).toContain(
      '  Cy Dara has not answered your ask about meeting Ana Silva for 10 days.',
    );
    expect(lines).toContain('Birthdays (1)');
    expect(io.stdout).not.toContain('Dee Ng');
  });

  it('says so when nothing is due', async () => {
    const empty = join(dir, 'empty.vitrine');
    writeFileSync(empty, saveNotebookFile(testNotebook()));
    const io = capture();
    expect(await main(['today', '--notebook', empty], io)).toBe(0);
    expect(io.stdout).toBe('Nothing needs you today.\n');
  });

  it('fails with a sentence for a missing option or a missing file', async () => {
    let io = capture();
    expect(await main(['today'], io)).toBe(2);
    expect(io.stderr).toMatch(/^vitrine today: Missing --notebook NB\.vitrine\./);
    io = capture();
    expect(await main(['today', '--notebook', join(dir, 'nope.vitrine')], io)).toBe(1);
    expect(io.stderr).toMatch(/nope\.vitrine does not exist/);
    expect(io.stdout).toBe('');
  });
});

describe('vitrine export --format ics', () => {
  it('writes a calendar file that ical.js reads back, each event with an alarm', async () => {
    const out = join(dir, 'reminders.ics');
    const io = capture();
    expect(await main(['export', '--notebook', path, '--format', 'ics', '--out', out], io)).toBe(0);
    const cal = new ICAL.Component(
      ICAL.parse(readFileSync(out, 'utf8')) as ConstructorParameters<typeof ICAL.Component>[0],
    );
    const events = cal.getAllSubcomponents('vevent');
    expect(events.map((e) => new ICAL.Event(e).summary).sort()).toEqual(
      [
        "Bo Chen's birthday",
        'Check in with Ana Silva',
        'Ask unanswered: introducing Cy Dara and Ana Silva',
      ].sort(),
    );
    for (const e of events) expect(e.getFirstSubcomponent('valarm')).not.toBeNull();
  });
});
