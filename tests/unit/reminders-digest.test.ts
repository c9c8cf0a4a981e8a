/**
 * The daily digest's rules with an injected clock: when it is due (local time), that a due
 * item is notified once a day and again the next day, that nothing is sent when it is off
 * or not yet time, and that the scheduler arms its timer for the chosen time.
 */
import { describe, expect, it } from 'vitest';
import {
  DigestScheduler,
  digestText,
  digestTimeReached,
  memoryDigestStore,
  nextDigestAt,
  parseDigestTime,
  pickDigest,
  runDigest,
  type DigestClock,
  type DigestItem,
} from '../../src/app/reminders-digest.ts';

/** Local wall-clock time (the digest's time is local). */
const at = (d: number, h: number, m = 0) => new Date(2026, 11, d, h, m).getTime();

const ITEMS: DigestItem[] = [
  { key: 'overdue|a|2026-11-01', text: 'Ana: 30 days overdue.' },
  { key: 'birthday|b|2026-12-04', text: "Bo's birthday is on 2026-12-04 (in 2 days)." },
];

/** A clock the test moves, with timers that fire when it passes them. */
function fakeClock(start: number): DigestClock & { advanceTo(t: number): void; armed: number[] } {
  let now = start;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    get armed() {
      return [...timers.values()].map((t) => t.at);
    },
    advanceTo(t) {
      now = t;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.fn();
        }
      }
    },
  };
}

describe('digest time', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(parseDigestTime('08:30')).toEqual({ h: 8, m: 30 });
    expect(parseDigestTime('24:00')).toBeUndefined();
    expect(parseDigestTime('8:30')).toBeUndefined();
  });

  it('is reached at the local time, and comes next today or tomorrow', () => {
    expect(digestTimeReached(at(2, 8, 29), '08:30')).toBe(false);
    expect(digestTimeReached(at(2, 8, 30), '08:30')).toBe(true);
    expect(nextDigestAt(at(2, 7), '08:30')).toBe(at(2, 8, 30));
    expect(nextDigestAt(at(2, 9), '08:30')).toBe(at(3, 8, 30));
  });
});

describe('the once-a-day rule', () => {
  it('picks only items not yet notified today, and starts afresh the next day', () => {
    const first = pickDigest(ITEMS, undefined, at(2, 9));
    expect(first.items).toEqual(ITEMS);
    const again = pickDigest(ITEMS, first.record, at(2, 18));
    expect(again.items).toEqual([]);
    const added = pickDigest(
      [...ITEMS, { key: 'follow-up|i|2026-12-02', text: 'Follow up.' }],
      first.record,
      at(2, 19),
    );
    expect(added.items.map((i) => i.key)).toEqual(['follow-up|i|2026-12-02']);
    expect(pickDigest(ITEMS, first.record, at(3, 9)).items).toEqual(ITEMS);
  });

  it('says how many in the title and lists the first three', () => {
    const many = Array.from({ length: 5 }, (_, k) => ({ key: `k${k}`, text: `Item ${k}.` }));
    expect(digestText(many)).toEqual({
      title: 'Vitrine: 5 things need you today',
      body: '• Item 0.\n• Item 1.\n• Item 2.\nand 2 more in Today.',
    });
    expect(digestText(many.slice(0, 1)).title).toBe('Vitrine: 1 thing needs you today');
  });

  it('sends nothing when off or before its time, once when due, not again the same day', async () => {
    const store = memoryDigestStore();
    const sent: string[] = [];
    const notify = async (title: string) => void sent.push(title);
    expect(await runDigest({ store, items: ITEMS, now: at(2, 9), notify })).toEqual([]);
    await store.set('digest-settings', { enabled: true, time: '08:30' });
    expect(await runDigest({ store, items: ITEMS, now: at(2, 8), notify })).toEqual([]);
    expect(await runDigest({ store, items: ITEMS, now: at(2, 9), notify })).toEqual(ITEMS);
    expect(await runDigest({ store, items: ITEMS, now: at(2, 12), notify })).toEqual([]);
    expect(sent).toEqual(['Vitrine: 2 things need you today']);
    expect(await runDigest({ store, items: ITEMS, now: at(3, 8, 31), notify })).toEqual(ITEMS);
    expect(sent).toHaveLength(2);
  });
});

describe('the scheduler', () => {
  it('fires at the chosen time each day while the app runs, and catches up on start', async () => {
    const store = memoryDigestStore();
    await store.set('digest-settings', { enabled: true, time: '08:30' });
    const clock = fakeClock(at(2, 7));
    const sent: number[] = [];
    const today: { items?: DigestItem[] } = {};
    const s = new DigestScheduler({
      store,
      clock,
      items: () => today.items,
      notify: async () => void sent.push(clock.now()),
    });
    // Not ready yet (no Today result) and not yet time: nothing, a timer is armed.
    expect(await s.check()).toEqual([]);
    expect(clock.armed).toEqual([at(2, 8)]); // at most an hour ahead, then it looks again
    today.items = ITEMS;
    clock.advanceTo(at(2, 8));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([]);
    expect(clock.armed).toEqual([at(2, 8, 30)]);
    clock.advanceTo(at(2, 8, 30));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([at(2, 8, 30)]);
    // A later check the same day (a new start of the app) sends nothing.
    clock.advanceTo(at(2, 15));
    expect(await s.check()).toEqual([]);
    expect(sent).toHaveLength(1);
    // The next morning, the items still due are sent again.
    clock.advanceTo(at(3, 9));
    expect(await s.check()).toEqual([]); // the timer's check, just before, sent them
    expect(sent).toEqual([at(2, 8, 30), at(3, 9)]);
    s.destroy();
    expect(clock.armed).toEqual([]);
  });

  it('sends nothing without permission to notify', async () => {
    const store = memoryDigestStore();
    await store.set('digest-settings', { enabled: true, time: '08:30' });
    const sent: string[] = [];
    const s = new DigestScheduler({
      store,
      clock: fakeClock(at(2, 9)),
      items: () => ITEMS,
      notify: async (t) => void sent.push(t),
      allowed: () => false,
    });
    expect(await s.check()).toEqual([]);
    expect(sent).toEqual([]);
    s.destroy();
  });
});
