/**
 * The words the introduction screens use for reputation and vetting: what the owner reads
 * just before referring someone again.
 */
import { describe, expect, it } from 'vitest';
import { addPerson, getPerson, setVetting, type RefereeRecord } from '../../src/model/index.ts';
import { reputationSummary } from '../../src/ui/intros/vt-intro-card.ts';
import { vettingDescription } from '../../src/ui/people/vt-vetting-badge.ts';
import { testNotebook } from '../helpers/notebook.ts';

const zero = { great: 0, fine: 0, 'no-response': 0, flaked: 0, difficult: 0 };

describe('reputation line', () => {
  it('says when there is nothing yet', () => {
    expect(reputationSummary({ asIntroduced: zero, asIntroducer: zero, total: 0 })).toBe(
      'No introductions yet',
    );
  });

  it('counts good ones together and names each bad outcome', () => {
    const rec: RefereeRecord = {
      asIntroduced: { ...zero, great: 2, fine: 1, flaked: 1 },
      asIntroducer: { ...zero, difficult: 1 },
      total: 5,
      lastBad: { introId: 'x', outcome: 'difficult' },
    };
    expect(reputationSummary(rec)).toBe(
      'Introduced 4 times: 3 went well, 1 flaked · made 1 introduction: 1 difficult',
    );
  });
});

describe('vetting badge label', () => {
  it('says how well the owner knows someone, part by part', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    expect(vettingDescription(getPerson(nb, ana)!)).toBe(
      'Vetting: Unknown, 0 of 4 parts first-hand',
    );
    setVetting(nb, ana, 'intention', { status: 'heard' });
    expect(vettingDescription(getPerson(nb, ana)!)).toBe(
      'Vetting: Heard of, 0 of 4 parts first-hand, 1 heard from someone',
    );
    setVetting(nb, ana, 'character', { status: 'first-hand' });
    expect(vettingDescription(getPerson(nb, ana)!)).toBe(
      'Vetting: Partly vetted, 1 of 4 parts first-hand, 1 heard from someone',
    );
    for (const part of ['intention', 'treatsOthers', 'workingStyle'] as const) {
      setVetting(nb, ana, part, { status: 'first-hand' });
    }
    expect(vettingDescription(getPerson(nb, ana)!)).toBe(
      'Vetting: Vetted, 4 of 4 parts first-hand',
    );
  });
});
