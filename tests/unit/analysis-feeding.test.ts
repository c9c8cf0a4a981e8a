import { describe, expect, it } from 'vitest';
import { feeding } from '../../src/analysis/index.ts';
import { snapshotFrom } from '../fixtures/karate.ts';

const at = (date: string) => `${date}T00:00:00.000Z`;

/*
 * The owner introduced Ana to Ben (i1, tie t1, March). Afterwards Ana met Cy (May) — a
 * follow-on. Ben's tie to Dee began in 2020, before the introduction (recorded later): not
 * a follow-on. A second Ana–Ben tie is the same pair: not new reach. Ana's tie with the
 * owner is the owner's own doing. Cy–Dee involves no introduced person.
 * Eve introduced the owner to Fay (i2, April): received, and Fay's later tie to Cy counts.
 * The owner's own idea to introduce Cy and Dee (i3) is not received.
 */
const snapshot = snapshotFrom({
  ties: [
    ['ana', 'ben', 3, { createdAt: at('2024-03-01'), introId: 'i1', introducedBy: 'me' }],
    ['ana', 'cy', 3, { createdAt: at('2024-05-01') }],
    ['ben', 'dee', 3, { since: at('2020-01-01'), createdAt: at('2024-06-01') }],
    ['ben', 'ana', 4, { createdAt: at('2024-07-01') }],
    ['me', 'ana', 3, { createdAt: at('2024-08-01') }],
    ['cy', 'dee', 3, { createdAt: at('2024-09-01') }],
    ['me', 'fay', 3, { createdAt: at('2024-04-01'), introId: 'i2' }],
    ['fay', 'cy', 3, { createdAt: at('2024-10-01') }],
    ['eve', 'me'],
  ],
  intros: [
    {
      id: 'i1',
      a: 'ana',
      b: 'ben',
      by: 'me',
      state: 'introduced',
      outcome: 'great',
      createdAt: at('2024-02-20'),
      tieId: 'ana-ben',
    },
    { id: 'i2', a: 'me', b: 'fay', by: 'eve', state: 'introduced', createdAt: at('2024-03-25') },
    { id: 'i3', a: 'cy', b: 'dee', by: 'me', state: 'idea', createdAt: at('2024-11-01') },
  ],
});

describe('the network feeding itself', () => {
  const result = feeding(snapshot);

  it('lists the ties introductions made, newest first', () => {
    expect(result.introducedTies).toEqual([
      { tieId: 'me-fay', a: 'me', b: 'fay', introId: 'i2', by: 'eve', at: at('2024-04-01') },
      {
        tieId: 'ana-ben',
        a: 'ana',
        b: 'ben',
        introId: 'i1',
        by: 'me',
        at: at('2024-03-01'),
        outcome: 'great',
      },
    ]);
  });

  it('lists the ties introduced people made afterwards, and only those', () => {
    expect(result.followOn).toEqual([
      {
        tieId: 'fay-cy',
        personId: 'fay',
        otherId: 'cy',
        afterTieId: 'me-fay',
        at: at('2024-10-01'),
        viaIntro: false,
      },
      {
        tieId: 'ana-cy',
        personId: 'ana',
        otherId: 'cy',
        afterTieId: 'ana-ben',
        at: at('2024-05-01'),
        viaIntro: false,
      },
    ]);
  });

  it('lists introductions the owner received from others', () => {
    expect(result.received).toEqual([
      {
        introId: 'i2',
        by: 'eve',
        personId: 'fay',
        state: 'introduced',
        createdAt: at('2024-03-25'),
      },
    ]);
  });

  it('sums it up in a sentence', () => {
    expect(result.summary).toBe(
      '2 ties came from introductions, and those people have since made 2 more; ' +
        'you were introduced to 1 person.',
    );
    const empty = feeding(snapshotFrom({ ties: [['me', 'a']] }));
    expect(empty.summary).toBe(
      'No ties came from introductions yet; no one has introduced you to anyone.',
    );
  });
});
