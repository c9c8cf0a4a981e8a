/**
 * Introduction commands and their lifecycle (PRODUCT.md item 6):
 *
 *   idea → asked-a → asked-b → introduced → (outcome, follow-up)
 *             ↘ declined  ↘ declined
 *   idea, asked-a, asked-b → cancelled
 *
 * Moving to `introduced` creates the tie the introduction made, with provenance, unless
 * the two were already tied. An inbound introduction (someone introduced the owner) is
 * created directly in `introduced`.
 */
import * as Y from 'yjs';
import { formatDay } from '../../time/dates.ts';
import { UnderGlassError, VitrineError } from '../errors.ts';
import type { EntityMap, Notebook } from '../notebook.ts';
import { getIntro, getPerson, tieBetween } from '../read.ts';
import {
  INTRO_BLAME,
  INTRO_OUTCOMES,
  STAKES,
  VETTING_PARTS,
  type IntroBlame,
  type IntroOutcome,
  type IntroState,
  type Stakes,
} from '../schema.ts';
import { linkPeople } from './ties.ts';
import { INTRO_FIELDS } from '../records.ts';
import { checkFields, optDate, optString, requirePerson, setField } from './write.ts';

/** Allowed next states from each state. */
export const INTRO_TRANSITIONS: Readonly<Record<IntroState, readonly IntroState[]>> = {
  idea: ['asked-a', 'cancelled'],
  'asked-a': ['asked-b', 'declined', 'cancelled'],
  'asked-b': ['introduced', 'declined', 'cancelled'],
  introduced: [],
  declined: [],
  cancelled: [],
};

/** Each vetting part in words, for messages and drafts. */
export const VETTING_PART_NAMES: Readonly<Record<(typeof VETTING_PARTS)[number], string>> = {
  intention: 'intention',
  treatsOthers: 'how they treat others',
  workingStyle: 'working style',
  character: 'character',
};

/**
 * What stands between two people and an introduction under the under-glass rule: for each
 * protected side, every part of the other side not vetted first-hand. Empty when fine.
 */
export function underGlassGaps(nb: Notebook, a: string, b: string): string[] {
  const pa = getPerson(nb, a);
  const pb = getPerson(nb, b);
  if (!pa || !pb) return [];
  const gaps: string[] = [];
  for (const [protectedOne, other] of [
    [pa, pb],
    [pb, pa],
  ] as const) {
    if (!protectedOne.underGlass) continue;
    for (const part of VETTING_PARTS) {
      if (other.vetting[part].status !== 'first-hand') {
        gaps.push(
          `${other.name}: ${VETTING_PART_NAMES[part]} not vetted first-hand (${protectedOne.name} is under glass)`,
        );
      }
    }
  }
  return gaps;
}

/** What a new introduction needs: the two people, who introduces them, why and what rides on it. */
export interface IntroInput {
  a: string;
  b: string;
  /** Who makes the introduction; defaults to the owner. Someone else means inbound. */
  by?: string;
  purpose?: string;
  stakes?: Stakes;
  expectations?: string;
  followUpAt?: string;
  /** Required when {@link underGlassGaps} is not empty; recorded on the introduction. */
  overrideReason?: string;
  /** `idea` (default) or `introduced` for an inbound introduction already made. */
  state?: 'idea' | 'introduced';
}

function checkStakes(value: unknown): Stakes {
  if (!(STAKES as readonly unknown[]).includes(value)) {
    throw new VitrineError('Stakes must be "low" or "high".');
  }
  return value as Stakes;
}

function pushStep(nb: Notebook, map: EntityMap, state: IntroState): void {
  let history = map.get('history');
  if (!(history instanceof Y.Array)) {
    history = new Y.Array<unknown>();
    map.set('history', history);
  }
  (history as Y.Array<unknown>).push([{ state, at: nb.stamp() }]);
}

function makeTie(nb: Notebook, introId: string, map: EntityMap): void {
  const a = map.get('a') as string;
  const b = map.get('b') as string;
  if (tieBetween(nb, a, b)) return;
  const tieId = linkPeople(nb, a, b, {
    kind: 'acquaintance',
    strength: 2,
    since: formatDay(nb.now()),
    introId,
    introducedBy: map.get('by') as string,
  });
  map.set('tieId', tieId);
}

/** Record a new introduction (an idea, or an inbound one already made). */
export function createIntro(nb: Notebook, input: IntroInput): string {
  const a = requirePerson(nb, input.a, 'The first person');
  const b = requirePerson(nb, input.b, 'The second person');
  if (a === b) throw new VitrineError('An introduction needs two different people.');
  const by = input.by !== undefined ? requirePerson(nb, input.by, 'The introducer') : nb.ownerId;
  if (!by)
    throw new VitrineError('Set who you are in this notebook before recording introductions.');
  const state = input.state ?? 'idea';
  if (state !== 'idea' && state !== 'introduced') {
    throw new VitrineError('A new introduction starts as an idea, or as already introduced.');
  }
  const overrideReason = optString(input.overrideReason, 'The override reason');
  const gaps = by === nb.ownerId ? underGlassGaps(nb, a, b) : [];
  if (gaps.length && !overrideReason) {
    throw new UnderGlassError(
      `This introduction involves someone under glass and needs an override with a reason: ${gaps.join('; ')}.`,
      gaps,
    );
  }
  const stakes = checkStakes(input.stakes ?? 'low');
  const purpose = optString(input.purpose, 'The purpose');
  const expectations = optString(input.expectations, 'The expectations');
  const followUpAt = optDate(input.followUpAt, 'The follow-up date', 'followUpAt');
  return nb.write(() => {
    const id = nb.newId();
    const map = new Y.Map<unknown>();
    nb.intros.set(id, map);
    map.set('a', a);
    map.set('b', b);
    map.set('by', by);
    map.set('state', state);
    map.set('stakes', stakes);
    map.set('createdAt', nb.stamp());
    setField(map, 'purpose', purpose);
    setField(map, 'expectations', expectations);
    setField(map, 'followUpAt', followUpAt);
    if (gaps.length) setField(map, 'overrideReason', overrideReason);
    pushStep(nb, map, state);
    if (state === 'introduced') makeTie(nb, id, map);
    return id;
  });
}

/** Edit an introduction's purpose, stakes, expectations or follow-up date. */
export function updateIntro(
  nb: Notebook,
  id: string,
  patch: Pick<IntroInput, 'purpose' | 'stakes' | 'expectations' | 'followUpAt'>,
): void {
  if (!getIntro(nb, id)) throw new VitrineError(`No introduction with id "${id}".`);
  const fields = checkFields(INTRO_FIELDS, patch, 'introduction');
  nb.write(() => {
    const map = nb.entity('intros', id);
    for (const [key, value] of fields) setField(map, key, value);
  });
}

/**
 * Move an introduction along its lifecycle. Refuses a transition the lifecycle does not
 * allow, with the allowed ones in the message. `declinedBy` says which side declined.
 */
export function advanceIntro(
  nb: Notebook,
  id: string,
  to: IntroState,
  options: { declinedBy?: string } = {},
): void {
  const intro = getIntro(nb, id);
  if (!intro) throw new VitrineError(`No introduction with id "${id}".`);
  const allowed = INTRO_TRANSITIONS[intro.state];
  if (!allowed.includes(to)) {
    throw new VitrineError(
      allowed.length
        ? `An introduction in state "${intro.state}" can move to ${allowed.join(' or ')}, not "${to}".`
        : `This introduction is already ${intro.state}; it cannot move to "${to}".`,
    );
  }
  if (to === 'declined') {
    const who = options.declinedBy;
    if (who !== intro.a && who !== intro.b) {
      throw new VitrineError('Say which of the two declined.');
    }
  }
  nb.write(() => {
    const map = nb.entity('intros', id);
    map.set('state', to);
    if (to === 'declined') map.set('declinedBy', options.declinedBy);
    pushStep(nb, map, to);
    if (to === 'introduced') makeTie(nb, id, map);
  });
}

/**
 * Record how an introduction turned out, with an optional note and follow-up date. For a
 * flaked or difficult outcome, `blame` says who it is held against (`a`, `b`, `both` or
 * `neither`); only they get "think twice" in their referee record. Without it the outcome
 * is read as older ones are: held against both (see src/model/README.md). A good outcome
 * clears any blame recorded before.
 */
export function recordIntroOutcome(
  nb: Notebook,
  id: string,
  outcome: IntroOutcome,
  options: { note?: string; followUpAt?: string; blame?: IntroBlame } = {},
): void {
  const intro = getIntro(nb, id);
  if (!intro) throw new VitrineError(`No introduction with id "${id}".`);
  if (intro.state !== 'introduced') {
    throw new VitrineError(
      `Record an outcome once the two are introduced (this one is "${intro.state}").`,
    );
  }
  if (!(INTRO_OUTCOMES as readonly unknown[]).includes(outcome)) {
    throw new VitrineError(`An outcome is one of ${INTRO_OUTCOMES.join(', ')}.`);
  }
  const bad = outcome === 'flaked' || outcome === 'difficult';
  if (options.blame !== undefined) {
    if (!(INTRO_BLAME as readonly unknown[]).includes(options.blame)) {
      throw new VitrineError(`Who it is held against is one of ${INTRO_BLAME.join(', ')}.`);
    }
    if (!bad) {
      throw new VitrineError('Only a flaked or difficult outcome is held against someone.');
    }
  }
  const note = optString(options.note, 'The outcome note');
  const followUpAt = optDate(options.followUpAt, 'The follow-up date', 'followUpAt');
  nb.write(() => {
    const map = nb.entity('intros', id);
    map.set('outcome', outcome);
    setField(map, 'blame', bad ? options.blame : undefined);
    setField(map, 'outcomeNote', note);
    if ('followUpAt' in options) setField(map, 'followUpAt', followUpAt);
  });
}

/** Remove an introduction record (the tie it made stays). */
export function removeIntro(nb: Notebook, id: string): void {
  nb.entity('intros', id);
  nb.write(() => nb.intros.delete(id));
}
