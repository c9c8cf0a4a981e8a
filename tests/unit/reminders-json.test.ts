/**
 * Snoozes and dismissals live in the notebook (issue 13), so a backup must carry them: a
 * Vitrine JSON export restored into a new notebook lists the same Today items, with the
 * same items snoozed and dismissed.
 */
import { describe, expect, it } from 'vitest';
import {
  addPerson,
  dismissTodayItem,
  linkPeople,
  logTouch,
  snoozeTodayItem,
  today,
  type Notebook,
} from '../../src/model/index.ts';
import { EXPORTERS, IMPORTERS } from '../../src/io/formats.ts';
import { clock, testNotebook, type TestClock } from '../helpers/notebook.ts';

function overdue(nb: Notebook, c: TestClock, name: string, touchedAgo: number): string {
  const id = addPerson(nb, { name, cadenceDays: 30 });
  linkPeople(nb, nb.ownerId!, id, { strength: 3, since: '2020-01-01' });
  const at = new Date(c.now().getTime() - touchedAgo * 86_400_000).toISOString();
  logTouch(nb, { personIds: [id], at });
  return id;
}

/** The file as written by the app's and the CLI's JSON export. */
const backup = (nb: Notebook) => EXPORTERS.json(nb).data as string;

describe('Today in a JSON backup', () => {
  it('restores snoozes and dismissals: the same items listed, snoozed and dismissed', () => {
    const c = clock('2026-01-01T09:00:00.000Z');
    const nb = testNotebook({ clock: c });
    for (const [name, ago] of [
      ['Ana', 40],
      ['Bo', 50],
      ['Cy', 60],
    ] as const)
      overdue(nb, c, name, ago);
    const [a, b] = today(nb).items;
    snoozeTodayItem(nb, a!.key, '2026-02-01');
    dismissTodayItem(nb, b!.key);
    const before = today(nb);
    expect(before).toMatchObject({ snoozed: 1, dismissed: 1 });
    expect(before.items).toHaveLength(1);

    const restored = testNotebook({ clock: c, prefix: 'other', owner: false });
    const summary = IMPORTERS.json.apply(restored, backup(nb), 'backup.json');
    expect(summary.skipped).toEqual([]);
    expect(today(restored)).toEqual(before);
    // The snooze still ends when it did: the item comes back on 1 February.
    c.set('2026-02-01T00:00:00.000Z');
    expect(today(restored).items.map((i) => i.key)).toContain(a!.key);
    expect(today(restored).items.map((i) => i.key)).not.toContain(b!.key);
    // Export → import → export gives the same file.
    expect(backup(restored)).toBe(backup(nb));
  });

  it('skips a snooze or dismissal it cannot read, with its reason, and imports the rest', () => {
    const c = clock('2026-01-01T09:00:00.000Z');
    const nb = testNotebook({ clock: c });
    overdue(nb, c, 'Ana', 40);
    const [item] = today(nb).items;
    const file = JSON.parse(backup(nb)) as Record<string, unknown>;
    file.reminders = [
      { key: item!.key, snoozedUntil: '2026-03-01' },
      { key: 'not-a-key', dismissedAt: '2026-01-01' },
      { key: item!.key.replace('overdue', 'birthday'), snoozedUntil: 'soon' },
    ];
    const restored = testNotebook({ clock: c, prefix: 'other', owner: false });
    const summary = IMPORTERS.json.apply(restored, JSON.stringify(file), 'backup.json');
    expect(summary.skipped.map((s) => s.ref)).toEqual([
      'snooze or dismissal #2',
      'snooze or dismissal #3',
    ]);
    expect(today(restored)).toMatchObject({ items: [], snoozed: 1 });
  });
});
