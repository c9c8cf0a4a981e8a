/**
 * The parts of "People you could introduce" that the Introductions view and the graph's
 * analysis bar both show: the suggested pairs still in the notebook, "Introduce…" on each,
 * and what makes a pair show up.
 */
import { html } from 'lit';
import { getPerson, type IntroSuggestion, type Notebook, type Person } from '../../model/index.ts';

/** A suggested introduction with both people read from the notebook. */
export interface SuggestedPair {
  readonly s: IntroSuggestion;
  readonly a: Person;
  readonly b: Person;
}

/** The suggestions whose two people are both still in the notebook, in their order. */
export function suggestedPairs(
  nb: Notebook,
  suggestions: readonly IntroSuggestion[],
): SuggestedPair[] {
  const pairs: SuggestedPair[] = [];
  for (const s of suggestions) {
    const a = getPerson(nb, s.a);
    const b = getPerson(nb, s.b);
    if (a && b) pairs.push({ s, a, b });
  }
  return pairs;
}

/** What makes a pair show up, to end the sentence shown while there is none. */
export const WHO_SHOWS_UP =
  'vetted people who share a tag and do not know each other show up here.';

/** "Introduce…" on a suggested pair, named after both; `start` opens the form with them. */
export function introduceButton(a: Person, b: Person, start: () => void) {
  return html`<button aria-label=${`Introduce ${a.name} and ${b.name}`} @click=${start}>
    Introduce…
  </button>`;
}
