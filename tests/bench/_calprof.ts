import * as Y from 'yjs';
import { Notebook, addPeople, initNotebook } from '../../src/model/index.ts';
import { activityImportSnapshot } from '../../src/io/activity-import.ts';
import { parseCalendar } from '../../src/io/calendar.ts';
import { planActivity } from '../../src/io/activity.ts';
import { calendarIcs, PEOPLE, email } from './calendar.ts';
const NOW = new Date('2026-07-01T00:00:00Z');
const text = calendarIcs(10000);
const drain = <T,>(g: Generator<unknown, T, void>): T => { for (;;) { const r = g.next(); if (r.done) return r.value; } };
const nb = new Notebook(new Y.Doc(), { now: () => NOW });
initNotebook(nb, 'Me');
addPeople(nb, Array.from({ length: PEOPLE }, (_, i) => ({ name: `Person ${i}`, emails: [email(i)] })));
const snap = activityImportSnapshot(nb);
const parsed = drain(parseCalendar(text, 'x', { now: NOW }));
const pa: number[] = [], pc: number[] = [];
for (let r = 0; r < 7; r++) {
  let t = performance.now();
  drain(parseCalendar(text, 'x', { now: NOW }));
  pc.push(performance.now() - t);
  t = performance.now();
  drain(planActivity(snap.activity, parsed, { format: 'calendar', label: 'c', file: 'x' }, {}));
  pa.push(performance.now() - t);
}
const med = (x: number[]) => x.sort((a, b) => a - b)[3]!.toFixed(0);
console.log('parseCalendar', med(pc), 'planActivity', med(pa));
