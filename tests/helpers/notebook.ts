/** Test helpers: notebooks with deterministic ids and a controllable clock. */
import * as Y from 'yjs';
import { Notebook, initNotebook } from '../../src/model/index.ts';

/** A small seeded PRNG (mulberry32): same seed, same sequence. */
export { mulberry32 as rng } from '../../src/analysis/util.ts';

export interface TestClock {
  now: () => Date;
  advance(days: number): void;
  set(iso: string): void;
}

export function clock(start = '2026-01-01T09:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance: (days) => {
      t += days * 86_400_000;
    },
    set: (iso) => {
      t = Date.parse(iso);
    },
  };
}

/** A notebook with ids `<prefix>1`, `<prefix>2`, … and a test clock. */
export function testNotebook(
  options: { prefix?: string; clock?: TestClock; doc?: Y.Doc; owner?: string | false } = {},
): Notebook {
  let n = 0;
  const prefix = options.prefix ?? 'id';
  const c = options.clock ?? clock();
  const nb = new Notebook(options.doc ?? new Y.Doc(), {
    newId: () => `${prefix}${++n}`,
    now: c.now,
  });
  if (options.owner !== false) initNotebook(nb, options.owner ?? 'Me');
  return nb;
}
