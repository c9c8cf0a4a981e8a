/**
 * The notebook's data shapes: what a reader gets back from the Yjs document.
 *
 * Every object here is plain and read-only; the Yjs types stay inside `src/model`.
 * Storage layout (one `Y.Map` per entity, one key per field) is described in
 * `src/model/README.md`.
 */

/** The schema version this code writes. Bump with an additive migration in `migrations.ts`. */
export const SCHEMA_VERSION = 1;

/** The four parts of a vetting record (PRODUCT.md item 1). */
export const VETTING_PARTS = ['intention', 'treatsOthers', 'workingStyle', 'character'] as const;
/** One of {@link VETTING_PARTS}. */
export type VettingPart = (typeof VETTING_PARTS)[number];

/** How the owner knows a vetting part: not at all, from someone who vouched, or first-hand. */
export const VETTING_STATUSES = ['unknown', 'heard', 'first-hand'] as const;
/** One of {@link VETTING_STATUSES}. */
export type VettingStatus = (typeof VETTING_STATUSES)[number];

/** What the owner knows of one vetting part of a person. */
export interface VettingEntry {
  readonly status: VettingStatus;
  /** The person who vouched, when `status` is `heard`. */
  readonly vouchedBy?: string;
  readonly note?: string;
}

/** A person's whole vetting record, one entry per part. */
export type Vetting = Readonly<Record<VettingPart, VettingEntry>>;

/** Suggested tie kinds; any other non-empty string is a custom kind. */
export const TIE_KINDS = [
  'colleague',
  'friend',
  'client',
  'mentor',
  'mentee',
  'family',
  'investor',
  'peer',
  'acquaintance',
] as const;

/** Touch channels (PRODUCT.md item 4). Favours are touches too. */
export const TOUCH_CHANNELS = [
  'coffee',
  'call',
  'email',
  'message',
  'meeting',
  'event',
  'intro',
  'favour-given',
  'favour-received',
  'other',
] as const;
/** One of {@link TOUCH_CHANNELS}. */
export type TouchChannel = (typeof TOUCH_CHANNELS)[number];

/** Introduction lifecycle states (PRODUCT.md item 6). */
export const INTRO_STATES = [
  'idea',
  'asked-a',
  'asked-b',
  'introduced',
  'declined',
  'cancelled',
] as const;
/** One of {@link INTRO_STATES}. */
export type IntroState = (typeof INTRO_STATES)[number];

/** How an introduction turned out, once it was made. */
export const INTRO_OUTCOMES = ['great', 'fine', 'no-response', 'flaked', 'difficult'] as const;
/** One of {@link INTRO_OUTCOMES}. */
export type IntroOutcome = (typeof INTRO_OUTCOMES)[number];

/** Who a flaked or difficult outcome is held against: one side, both, or neither. */
export const INTRO_BLAME = ['a', 'b', 'both', 'neither'] as const;
/** One of {@link INTRO_BLAME}. */
export type IntroBlame = (typeof INTRO_BLAME)[number];

/** How much rides on an introduction (high stakes ask for vetting first). */
export const STAKES = ['low', 'high'] as const;
/** One of {@link STAKES}. */
export type Stakes = (typeof STAKES)[number];

/**
 * The four records, derived from their descriptions in `records.ts` (one place lists each
 * field with its kind, default and label).
 */
export type { Person, Tie, Touch, Intro } from './records.ts';

/** Where a tie came from when not from the owner's hand. */
export type TieProvenance = 'inferred';

/** The evidence behind an inferred tie: how often and how lately the two met or wrote. */
export interface TieEvidence {
  /** Meetings (occurrences) both took part in. */
  readonly meetings: number;
  /** Conversations (LinkedIn, mail threads) both took part in. */
  readonly conversations: number;
  /** ISO date of the latest of them. */
  readonly last: string;
}

/** One step in an introduction's history: the state it reached and when. */
export interface IntroStep {
  readonly state: IntroState;
  readonly at: string;
}

/** Something a reader skipped or repaired on the way out, for a diagnostics view. */
export interface Diagnostic {
  readonly collection: 'people' | 'ties' | 'touches' | 'intros' | 'meta';
  readonly id: string;
  readonly problem: string;
}
