/**
 * The first-run sample network (built in Node here; the browser test loads it through the
 * welcome screen). Belongs with the unit tests; it lives here because this folder is the
 * app's, and it needs no browser.
 */
import { describe, expect, it } from 'vitest';
import {
  INTRO_OUTCOMES,
  graphSnapshot,
  listIntros,
  listPeople,
  listTies,
  listTouches,
} from '../../src/model/index.ts';
import { clusters } from '../../src/analysis/clusters.ts';
import { buildSampleNetwork } from '../../src/app/sample-network.ts';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('the sample network', () => {
  const nb = buildSampleNetwork({ now: NOW });

  it('is a realistic connector notebook: 60–150 people in several clusters', () => {
    const people = listPeople(nb);
    expect(people.length).toBeGreaterThanOrEqual(60);
    expect(people.length).toBeLessThanOrEqual(150);
    const owner = nb.ownerId!;
    // Ties among contacts, not only to the owner.
    const among = listTies(nb).filter((t) => t.from !== owner && t.to !== owner);
    expect(among.length).toBeGreaterThan(people.length);
    expect(
      clusters(graphSnapshot(nb, NOW)).clusters.filter((c) => c.members.length >= 5).length,
    ).toBeGreaterThanOrEqual(4);
    expect(people.filter((p) => p.underGlass).length).toBeGreaterThan(0);
    expect(people.filter((p) => p.vetting.character.status !== 'unknown').length).toBeGreaterThan(
      0,
    );
  });

  it('has touches over the last 18 months and introductions in every state and outcome', () => {
    const touches = listTouches(nb);
    const oldest = Date.parse(touches.at(-1)!.at);
    expect(NOW.getTime() - oldest).toBeLessThanOrEqual(550 * 86_400_000);
    expect(NOW.getTime() - Date.parse(touches[0]!.at)).toBeLessThan(30 * 86_400_000);
    const intros = listIntros(nb);
    for (const state of ['idea', 'asked-a', 'asked-b', 'introduced', 'declined', 'cancelled']) {
      expect(
        intros.some((i) => i.state === state),
        state,
      ).toBe(true);
    }
    for (const outcome of INTRO_OUTCOMES) {
      expect(
        intros.some((i) => i.outcome === outcome),
        outcome,
      ).toBe(true);
    }
    // A completed introduction made its tie, with provenance.
    expect(listTies(nb).some((t) => t.introId)).toBe(true);
  });

  it('is the same every time for the same seed and date', () => {
    const again = buildSampleNetwork({ now: NOW });
    expect(listPeople(again)).toEqual(listPeople(nb));
    expect(listTies(again)).toEqual(listTies(nb));
    expect(listPeople(buildSampleNetwork({ now: NOW, seed: 8 }))).not.toEqual(listPeople(nb));
  });
});
