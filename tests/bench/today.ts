/**
 * Bench: computing Today against the neglect analysis alone, on the same notebook, in the
 * same run (alternated, medians). The budget: at 10,000 people and 100,000 touches,
 * Today in at most 1.5× the neglect analysis.
 *
 * - "neglect alone": what the Needs-attention list costs from the notebook —
 *   `graphSnapshot(nb, now)` then `neglectedTies(snapshot, { clusters })`;
 * - "today": `today(nb, now, { clusters })`, which does the same and adds asks, follow-ups,
 *   outcomes, birthdays, meetings and the snooze/dismiss lookups.
 *
 * The generated notebook (tests/bench/gen-notebook.ts) gets birthdays for a tenth of the
 * people, a next meeting for one in fifty, follow-up dates on its introductions and a
 * snooze on every tenth item, so every kind of item is computed. Clusters are computed once before.
 *
 * Run alone: `npx tsx tests/bench/today.ts [sizes…]` (default 1000 10000).
 */
import { pathToFileURL } from 'node:url';
import { clusters, neglectedTies } from '../../src/analysis/index.ts';
import { graphSnapshot, today, type Notebook } from '../../src/model/index.ts';
import { generateNotebook } from './gen-notebook.ts';
import { formatTable, row, timePair, type Row } from './row.ts';

const DAY = 86_400_000;

/** Give a generated notebook birthdays, meetings, follow-ups and snoozes (one transaction). */
export function addTodayData(nb: Notebook, ids: readonly string[], now: Date): void {
  const t = now.getTime();
  nb.write(() => {
    ids.forEach((id, k) => {
      const map = nb.entity('people', id);
      if (k % 10 === 0) {
        const d = new Date(t + (k % 40) * DAY);
        map.set('birthday', `1980-${d.toISOString().slice(5, 10)}`);
      }
      if (k % 50 === 0) map.set('nextMeeting', new Date(t + (k % 9) * DAY).toISOString());
    });
    let k = 0;
    for (const [, map] of nb.intros.entries()) {
      map.set('followUpAt', new Date(t - (k++ % 20) * DAY + 10 * DAY).toISOString().slice(0, 10));
    }
  });
  const items = today(nb, now).items;
  nb.write(() => {
    for (const item of items.filter((_, k) => k % 10 === 0)) {
      nb.reminders.set(item.key, { snoozedUntil: new Date(t + 7 * DAY).toISOString() });
    }
  });
}

/** Median times of Today and of the neglect analysis alone, at each size. */
export async function benchToday(sizes: number[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const { nb, ids } = generateNotebook(size, 7);
    const now = new Date(Date.UTC(2026, 5, 1, 9));
    addTodayData(nb, ids, now);
    const found = clusters(graphSnapshot(nb, now)).clusters;
    const runs = size >= 5000 ? 21 : 41;
    let listed = 0;
    const [todayMs, neglectMs] = timePair(
      () => (listed = today(nb, now, { clusters: found }).items.length),
      () => neglectedTies(graphSnapshot(nb, now), { clusters: found }),
      runs,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    const label = `today (${size.toLocaleString('en-US')} people, ${(size * 10).toLocaleString('en-US')} touches; ${listed} items)`;
    rows.push(
      row(
        label,
        Math.round(todayMs * 10) / 10,
        'ms',
        { name: 'snapshot + neglectedTies', value: Math.round(neglectMs * 10) / 10 },
        size >= 10_000 ? { max: 1.5 } : undefined,
      ),
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  console.log(formatTable(await benchToday(args.length ? args : [1000, 10_000])));
}
