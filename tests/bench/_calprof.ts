import * as Y from 'yjs';
import ICAL from 'ical.js';
import { Notebook, addPeople, initNotebook } from '../../src/model/index.ts';
import {
  applyActivityImport,
  planActivityImport,
  activityImportSnapshot,
} from '../../src/io/activity-import.ts';
import { parseCalendar } from '../../src/io/calendar.ts';
import { planActivity } from '../../src/io/activity.ts';
import { readText } from '../../src/io/text.ts';
import { calendarIcs, PEOPLE, email } from './calendar.ts';
const NOW = new Date('2026-07-01T00:00:00Z');
const text = calendarIcs(10000);
const bytes = new TextEncoder().encode(text);
const drain = <T>(g: Generator<unknown, T, void>): T => {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
};
for (let r = 0; r < 4; r++) {
  const nb = new Notebook(new Y.Doc(), { now: () => NOW });
  initNotebook(nb, 'Me');
  addPeople(
    nb,
    Array.from({ length: PEOPLE }, (_, i) => ({ name: `Person ${i}`, emails: [email(i)] })),
  );
  const T = [performance.now()];
  const t = readText(bytes, 'x');
  T.push(performance.now());
  ICAL.parse(t);
  T.push(performance.now());
  const parsed = drain(parseCalendar(t, 'x', { now: NOW }));
  T.push(performance.now());
  const snap = activityImportSnapshot(nb);
  T.push(performance.now());
  drain(
    planActivity(snap.activity, parsed, { format: 'calendar', label: 'c', file: 'x' }, {
      now: NOW,
    } as never),
  );
  T.push(performance.now());
  const plan = planActivityImport(nb, bytes, 'bench.ics', 'calendar', { now: NOW });
  T.push(performance.now());
  applyActivityImport(nb, plan);
  T.push(performance.now());
  const names = [
    'decode',
    'ICAL.parse',
    'parseCalendar',
    'snapshot',
    'planActivity',
    'planActivityImport',
    'apply',
  ];
  console.log(names.map((n, i) => `${n} ${(T[i + 1]! - T[i]!).toFixed(0)}`).join('  '));
}
