/**
 * Issue 17, point 3: one definition of "overdue". The neglect ranking (and so Today), the
 * person's header (`dueInfo`) and the graph's overdue ties (`overdueTieIds`) all answer the
 * same question the same way, at every hour of the day — including on the due day itself
 * and for a tie dated (`since`) before it was added.
 */
import { describe, expect, it } from 'vitest';
import { addPerson, dueInfo, graphSnapshot, linkPeople, logTouch } from '../../src/model/index.ts';
import { neglectedTies } from '../../src/analysis/neglect.ts';
import { overdueTieIds } from '../../src/ui/graph/graph-input.ts';
import { clock, rng, testNotebook } from '../helpers/notebook.ts';

describe('one definition of overdue', () => {
  it('the ranking, the header and the graph agree on who is overdue', () => {
    const c = clock('2026-01-01T00:00:00.000Z');
    const nb = testNotebook({ clock: c });
    const owner = nb.ownerId!;
    const random = rng(17);
    const people: { id: string; tie: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const cadenceDays = 7 + Math.floor(random() * 40);
      const id = addPerson(nb, { name: `P${i}`, cadenceDays });
      const since = random() < 0.3 ? '2025-06-01' : undefined;
      const tie = linkPeople(nb, owner, id, since ? { since } : {});
      people.push({ id, tie });
    }
    // Touches over the first 60 days, at whole days (midnight) like imported dates.
    for (let day = 0; day < 60; day++) {
      for (const p of people) {
        if (random() < 0.05) {
          const at = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
          logTouch(nb, { personIds: [p.id], at });
        }
      }
    }
    let checked = 0;
    // Every six hours for the next 50 days, from 06:00 (the graph's set is cached per day, so
    // the first question of each day is asked after midnight): the same answer from all three.
    for (let h = 60 * 24 + 6; h < 110 * 24; h += 6) {
      c.set(new Date(Date.UTC(2026, 0, 1) + h * 3_600_000).toISOString());
      const now = nb.now();
      const ranking = new Set(neglectedTies(graphSnapshot(nb, now)).map((n) => n.tieId));
      const graph = overdueTieIds(nb, now);
      for (const p of people) {
        const header = (dueInfo(nb, p.id, now).daysOverdue ?? 0) > 0;
        expect(graph.has(p.tie), `graph vs ranking for ${p.id} at ${now.toISOString()}`).toBe(
          ranking.has(p.tie),
        );
        // The header counts from the person's last touch or creation (no tie `since`).
        if (!header) expect(ranking.has(p.tie)).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('on the due day itself nobody is overdue yet, a day later everybody is', () => {
    const c = clock('2026-01-01T00:00:00.000Z');
    const nb = testNotebook({ clock: c });
    const id = addPerson(nb, { name: 'Ana', cadenceDays: 10 });
    const tie = linkPeople(nb, nb.ownerId!, id);
    logTouch(nb, { personIds: [id], at: '2026-01-05' });
    for (const [at, overdue] of [
      ['2026-01-15T06:00:00.000Z', false],
      ['2026-01-15T23:00:00.000Z', false],
      ['2026-01-16T06:00:00.000Z', true],
    ] as const) {
      c.set(at);
      const now = nb.now();
      expect(overdueTieIds(nb, now).has(tie), `graph at ${at}`).toBe(overdue);
      const ranked = neglectedTies(graphSnapshot(nb, now)).some((n) => n.tieId === tie);
      expect(ranked, `ranking at ${at}`).toBe(overdue);
      expect((dueInfo(nb, id, now).daysOverdue ?? 0) > 0, `header at ${at}`).toBe(overdue);
    }
  });
});
