/**
 * Seeded convergence fuzz, in the style of Yjs's own tests (yjs v13 `tests/testHelper.js`):
 * several notebooks run random commands concurrently; updates travel through per-peer
 * queues delivered in random order, with random disconnects and reconnects (state-vector
 * sync). At the end every notebook must be identical and every invariant must hold.
 * `.vitrine` backups taken mid-way (some while an update waits for an earlier one) must
 * restore, read like the notebook they came from, and merge back without loss.
 *
 * Devices also import from one shared mailbox (the light touch log, decision 0012): each
 * message is listed once, a removal holds against a concurrent re-import, and undoing an
 * import never hides what another device imported.
 *
 * `VITRINE_FUZZ_ROUNDS=5000 npx vitest run tests/unit/convergence.test.ts` for a longer run.
 */
import { describe, expect, it } from 'vitest';
import { runRound, type FuzzStats } from '../helpers/fuzz.ts';

const ROUNDS = Number(process.env.VITRINE_FUZZ_ROUNDS ?? 200);

describe('convergence fuzz', () => {
  it(
    `${ROUNDS} seeded rounds: every notebook ends identical, every invariant holds, every backup restores`,
    () => {
      const stats: FuzzStats = { backups: 0, waitingBackups: 0, hostileWrites: 0, dangling: 0 };
      const failures: string[] = [];
      for (let seed = 1; seed <= ROUNDS; seed++) {
        const problems = runRound(seed, { backups: true, stats });
        if (problems.length) failures.push(`seed ${seed}: ${problems.slice(0, 3).join('; ')}`);
      }
      expect(failures).toEqual([]);
      // Backups were taken, some of them while an update waited for an earlier one.
      expect(stats.backups).toBeGreaterThan(ROUNDS);
      expect(stats.waitingBackups).toBeGreaterThan(ROUNDS / 20);
      // Devices imported the same mailbox into the light touch log (decision 0012).
      expect(stats.imports).toBeGreaterThan(ROUNDS / 2);
    },
    60_000 + ROUNDS * 600,
  );

  it('catches a deliberately broken command that replaces an entity map', () => {
    let caught = 0;
    for (let seed = 1; seed <= 60; seed++) if (runRound(seed, 'replace-map').length) caught++;
    expect(caught).toBeGreaterThan(0);
  });
});
