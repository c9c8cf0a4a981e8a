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
export type VettingPart = (typeof VETTING_PARTS)[number];

/** How the owner knows a vetting part: not at all, from someone who vouched, or first-hand. */
export const VETTING_STATUSES = ['unknown', 'heard', 'first-hand'] as const;
export type VettingStatus = (typeof VETTING_STATUSES)[number];

export interface VettingEntry {
  readonly status: VettingStatus;
  /** The person who vouched, when `status` is `heard`. */
  readonly vouchedBy?: string;
  readonly note?: string;
}

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
export type IntroState = (typeof INTRO_STATES)[number];

export const INTRO_OUTCOMES = ['great', 'fine', 'no-response', 'flaked', 'difficult'] as const;
export type IntroOutcome = (typeof INTRO_OUTCOMES)[number];

/** Who a flaked or difficult outcome is held against: one side, both, or neither. */
export const INTRO_BLAME = ['a', 'b', 'both', 'neither'] as const;
export type IntroBlame = (typeof INTRO_BLAME)[number];

export const STAKES = ['low', 'high'] as const;
export type Stakes = (typeof STAKES)[number];

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly org?: string;
  readonly role?: string;
  /** E-mail addresses (checked addr-specs; see `contact.ts`). */
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  /** Web links, `http:` or `https:` only (safe to render as `<a href>`). */
  readonly links: readonly string[];
  readonly tags: readonly string[];
  readonly location?: string;
  /** A real day `YYYY-MM-DD`, or `--MM-DD` without the year. */
  readonly birthday?: string;
  readonly howWeMet?: string;
  /** Free notes (a `Y.Text` in storage, so two devices can edit at once). */
  readonly notes: string;
  readonly vetting: Vetting;
  /** Under glass: introducing an unvetted person to them needs a recorded override. */
  readonly underGlass: boolean;
  /** Keep-in-touch cadence in days (1 to 3650), set on the person. */
  readonly cadenceDays?: number;
  /**
   * The start (ISO date or date-time) of the next meeting with this person found in an
   * imported calendar, as of that import. A date in the past means none is known any more.
   */
  readonly nextMeeting?: string;
  readonly createdAt: string;
  readonly deletedAt?: string;
  /** Set when this person was merged into another as a duplicate. */
  readonly mergedInto?: string;
  /** Fields from a file or a newer peer that this version has no place for; kept as they came. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface Tie {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  /** 1 (faint) to 5 (very strong). */
  readonly strength: number;
  readonly since?: string;
  /** The introduction that made this tie, when it came from one. */
  readonly introId?: string;
  /** Who introduced the two, when known (a person id). */
  readonly introducedBy?: string;
  readonly note?: string;
  readonly cadenceDays?: number;
  /**
   * `inferred`: made by an import because the two appear together in meetings or
   * conversations (see {@link TieEvidence}), not set by the owner. Absent for the owner's
   * own ties (and for an inferred tie the owner confirmed).
   */
  readonly provenance?: TieProvenance;
  /** Why an inferred tie was inferred. */
  readonly evidence?: TieEvidence;
  /**
   * When the owner dismissed this inferred tie. A dismissed tie is never listed, and the
   * pair is never inferred again (raw reads only).
   */
  readonly dismissedAt?: string;
  readonly createdAt: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

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

export interface Touch {
  readonly id: string;
  readonly personIds: readonly string[];
  /** A real day (`YYYY-MM-DD`) or a date-time with a zone (`src/time/dates.ts`). */
  readonly at: string;
  readonly channel: TouchChannel;
  readonly note?: string;
  /**
   * The import source key of a touch that came from a file (`ics:<uid>/<occurrence>`,
   * `li-msg:<conversation>/<day>`, …). At most one touch per key is listed; re-importing
   * never adds a second one.
   */
  readonly source?: string;
  /** How many people took part (matched or not, owner excluded) in an imported meeting or conversation. */
  readonly attendees?: number;
  /**
   * When the owner removed this imported touch (raw reads only): it stays as a tombstone so
   * a re-import does not bring it back.
   */
  readonly removedAt?: string;
  readonly createdAt: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface IntroStep {
  readonly state: IntroState;
  readonly at: string;
}

export interface Intro {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  /** Who made the introduction: the owner for outbound ones, someone else for inbound. */
  readonly by: string;
  readonly state: IntroState;
  readonly purpose?: string;
  readonly stakes: Stakes;
  readonly expectations?: string;
  readonly outcome?: IntroOutcome;
  readonly outcomeNote?: string;
  /**
   * Who a flaked or difficult outcome is held against. Absent on outcomes recorded before
   * it existed: those are read as before (held against both sides and the introducer).
   */
  readonly blame?: IntroBlame;
  readonly followUpAt?: string;
  /** Why the under-glass rule was overridden, when it was. */
  readonly overrideReason?: string;
  /** Which side declined, when `state` is `declined`. */
  readonly declinedBy?: string;
  /** The tie this introduction created. */
  readonly tieId?: string;
  readonly history: readonly IntroStep[];
  readonly createdAt: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Something a reader skipped or repaired on the way out, for a diagnostics view. */
export interface Diagnostic {
  readonly collection: 'people' | 'ties' | 'touches' | 'intros' | 'meta';
  readonly id: string;
  readonly problem: string;
}
