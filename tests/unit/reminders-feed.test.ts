/**
 * The app's Today feed: uses the analysis' neglect ranking (computed in its worker) rather
 * than computing one, waits for it, and drops an overdue item as soon as its person is
 * touched, before the analysis has rerun.
 */
import { describe, expect, it } from 'vitest';
import { neglectedTies } from '../../src/analysis/index.ts';
import {
  addPerson,
  graphSnapshot,
  linkPeople,
  logTouch,
  snoozeTodayItem,
} from '../../src/model/index.ts';
import type { AnalysisClient } from '../../src/app/analysis-client.ts';
import { TodayFeed } from '../../src/app/reminders.ts';
import { clock, testNotebook } from '../helpers/notebook.ts';

describe('the Today feed', () => {
  it('lists from the worker’s ranking, and a touch takes the item off at once', () => {
    const c = clock('2026-03-01T09:00:00.000Z');
    const nb = testNotebook({ clock: c });
    const ana = addPerson(nb, { name: 'Ana', cadenceDays: 30 });
    const bo = addPerson(nb, { name: 'Bo', cadenceDays: 30 });
    for (const id of [ana, bo]) {
      linkPeople(nb, nb.ownerId!, id, { strength: 4, since: '2020-01-01' });
      logTouch(nb, { personIds: [id], at: '2026-01-01T09:00:00.000Z' });
    }
    const analysis = new EventTarget() as EventTarget & Partial<AnalysisClient>;
    const feed = new TodayFeed(nb, analysis as AnalysisClient);
    feed.refresh();
    // No ranking yet: nothing computed on this thread, nothing listed.
    expect(feed.result).toBeUndefined();
    const snapshot = graphSnapshot(nb);
    Object.assign(analysis, {
      latest: { neglected: neglectedTies(snapshot) },
      latestSnapshot: snapshot,
    });
    analysis.dispatchEvent(new Event('result'));
    feed.refresh();
    expect(new Set(feed.result!.items.map((i) => i.personIds[0]))).toEqual(new Set([ana, bo]));
    expect(feed.count).toBe(2);
    let changes = 0;
    feed.addEventListener('change', () => changes++);
    logTouch(nb, { personIds: [ana] });
    feed.refresh();
    expect(feed.result!.items.map((i) => i.personIds[0])).toEqual([bo]);
    snoozeTodayItem(nb, feed.result!.items[0]!.key, '2026-03-08');
    feed.refresh();
    expect(feed.count).toBe(0);
    expect(feed.result!.snoozed).toBe(1);
    expect(changes).toBe(2);
    feed.destroy();
  });
});
