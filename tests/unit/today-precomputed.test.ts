/**
 * Today from a neglect ranking computed elsewhere (the app's analysis worker): the same
 * items as computing it all, and the ranking given is the one used (nothing recomputed
 * on the page's thread).
 */
import { describe, expect, it } from 'vitest';
import {
  addPerson,
  graphSnapshot,
  linkPeople,
  logTouch,
  setNextMeetings,
  today,
  type Notebook,
} from '../../src/model/index.ts';
import { neglectedTies } from '../../src/analysis/index.ts';
import { clock, testNotebook, type TestClock } from '../helpers/notebook.ts';

function contact(nb: Notebook, c: TestClock, name: string, touchedAgo: number, cadence = 30) {
  const id = addPerson(nb, { name, cadenceDays: cadence });
  linkPeople(nb, nb.ownerId!, id, { strength: 4, since: '2020-01-01' });
  logTouch(nb, {
    personIds: [id],
    at: new Date(c.now().getTime() - touchedAgo * 86_400_000).toISOString(),
  });
  return id;
}

describe('today with a precomputed neglect ranking', () => {
  it('lists the same items as computing it all, meetings included', () => {
    const c = clock('2026-03-01T09:00:00.000Z');
    const nb = testNotebook({ clock: c });
    contact(nb, c, 'Overdue Olga', 50);
    const soon = contact(nb, c, 'Cooling Carl', 27);
    addPerson(nb, { name: 'Birthday Bea', birthday: '1990-03-03' });
    setNextMeetings(nb, [{ person: soon, at: '2026-03-05T10:00:00Z' }]);
    const snapshot = graphSnapshot(nb);
    const neglected = neglectedTies(snapshot);
    const given = today(nb, c.now(), { neglected, snapshot });
    expect(given).toEqual(today(nb));
    expect(given.items.map((i) => i.kind)).toEqual(['overdue', 'birthday', 'meeting']);
  });

  it('uses the ranking it is given rather than computing one', () => {
    const c = clock('2026-03-01T09:00:00.000Z');
    const nb = testNotebook({ clock: c });
    contact(nb, c, 'Overdue Olga', 50);
    expect(today(nb).items.map((i) => i.kind)).toEqual(['overdue']);
    expect(today(nb, c.now(), { neglected: [] }).items).toEqual([]);
  });
});
