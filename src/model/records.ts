/**
 * One description of each record (issue 17, docs/decisions/0018): for a person, a tie, a
 * touch and an introduction, the fields it holds, in order, each with its kind (what the
 * value must be), whether a record needs it, its default, its allowed values, its label in
 * words, and how it takes part in commands, imports and merges.
 *
 * Everything else is derived from these four tables: the `Person`, `Tie`, `Touch` and
 * `Intro` types ({@link RecordOf}), the read specs (`PERSON_SPEC`, …) and readers in
 * `read.ts`, the write checks of the commands (`checkFields`), the merge of duplicates, the
 * fields a contacts import carries and de-duplication merges (`PersonFields`,
 * `CONTACT_FIELDS`), the Vitrine JSON reader and writer (`commands/restore.ts`) and the
 * import preview's labels ({@link PERSON_LABELS}). Adding a field is one entry here plus its
 * UI; `tests/unit/model-records.test.ts` walks the tables and fails for a field that one
 * of those places misses.
 *
 * In the spirit of tldraw's typed records (`createRecordType` with a validator per record):
 * the description is the source, the TypeScript type is inferred from it.
 */
import type * as Y from 'yjs';
import { isCadence, isIsoDate } from '../time/dates.ts';
import { VitrineError } from './errors.ts';
import { compact, type FieldKind, type Spec } from './fields.ts';
import {
  INTRO_BLAME,
  INTRO_OUTCOMES,
  INTRO_STATES,
  STAKES,
  TOUCH_CHANNELS,
  VETTING_PARTS,
  VETTING_STATUSES,
  type IntroState,
  type IntroStep,
  type Stakes,
  type TieEvidence,
  type TouchChannel,
  type Vetting,
  type VettingEntry,
} from './schema.ts';

/**
 * How a person field takes part when two records of the same person are merged (a
 * duplicate merged by hand, or an import matched to someone): lists are united (`union`),
 * an empty field is filled from the other side (`fill`), a flag set on either side stays
 * set (`either`), notes are appended (`append`), the better-known vetting wins (`best`);
 * `keep` keeps the surviving record's value (its name, and what the model keeps itself).
 */
export type MergeRule = 'union' | 'fill' | 'either' | 'append' | 'best' | 'keep';

/** One field of a record (see the module comment). */
export interface FieldDesc {
  /** What the stored value must be (`fields.ts`); `vetting` is stored as `v:<part>` keys. */
  readonly kind: FieldKind | 'vetting';
  /** The field in words, for the import preview and messages ("how we met"). */
  readonly label: string;
  /** A record without it (or with a value that does not fit) is skipped. */
  readonly required?: boolean;
  /** Read when the field is absent, empty or not one of {@link values}. */
  readonly default?: unknown;
  /** An empty text (`''`, the default or stored) is read as such, not left out. */
  readonly keepEmpty?: boolean;
  /** The only values allowed (a text field with a fixed vocabulary). */
  readonly values?: readonly unknown[];
  /**
   * Set by the model itself (or restored from a whole-record file), never by a command's
   * input: creation and trash dates, imported-touch bookkeeping, an introduction's state.
   */
  readonly system?: boolean;
  /** A person field that contacts files carry, matched and merged by de-duplication. */
  readonly contact?: boolean;
  /** How a person field is merged (see {@link MergeRule}); person fields only. */
  readonly merge?: MergeRule;
  /** Names people by id (one id, or for `strings` a list of them). */
  readonly ref?: 'person';
  /** The subject of a sentence about a bad value ("The follow-up date must be …"). */
  readonly what?: string;
  /**
   * The value as read from the fields that fit the spec (or from a plain record of a
   * file), when it needs more than the kind check (trimming, clamping, a nested shape);
   * `undefined` leaves the field out, and for a required field skips the record (the
   * reason pushed to `problems`). Its return type is the field's type.
   */
  readonly read?: (fields: Readonly<Record<string, unknown>>, problems: string[]) => unknown;
  /**
   * A command's check of an input value (throws a sentence), when the kind's own check is
   * not enough: the tie strength's range, a channel from its list.
   */
  readonly check?: (value: unknown) => unknown;
}

/** A record's fields by name. */
export type Fields = Readonly<Record<string, FieldDesc>>;

/** The type each kind of field reads as, unless `values` or `read` say more. */
interface KindTypes {
  string: string;
  strings: readonly string[];
  emails: readonly string[];
  links: readonly string[];
  number: number;
  cadence: number;
  boolean: boolean;
  text: string;
  date: string;
  birthday: string;
  object: Readonly<Record<string, unknown>>;
  steps: readonly unknown[];
  vetting: Vetting;
}

/** The value type of a field: one of its `values`, what its `read` returns, or its kind's. */
export type ValueOf<F> = F extends { readonly values: readonly (infer V)[] }
  ? V
  : F extends { readonly read: (...args: never[]) => infer R }
    ? Exclude<R, undefined>
    : F extends { readonly kind: infer K extends keyof KindTypes }
      ? KindTypes[K]
      : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The names of the fields of `D` that a read record always has (required or defaulted). */
export type PresentKeys<D extends Fields> = {
  [K in keyof D]: D[K] extends { readonly required: true }
    ? K
    : 'default' extends keyof D[K]
      ? K
      : never;
}[keyof D];

/**
 * The plain, read-only record a description reads as: its `id`, every field (optional
 * unless required or defaulted), and the fields the model has no place for in `extra`.
 */
export type RecordOf<D extends Fields> = Simplify<
  { readonly id: string } & { readonly [K in PresentKeys<D>]: ValueOf<D[K]> } & {
    readonly [K in Exclude<keyof D, PresentKeys<D>>]?: ValueOf<D[K]>;
  } & {
    /** Fields from a file or a newer peer that this version has no place for; kept as they came. */
    readonly extra?: Readonly<Record<string, unknown>>;
  }
>;

/** The names of the fields a command's input may set (not `system`, not vetting). */
export type InputKey<D extends Fields> = {
  [K in keyof D]: D[K] extends { readonly system: true } | { readonly kind: 'vetting' } ? never : K;
}[keyof D];

/**
 * What a command's input may hold for a description: each settable field, optional; for a
 * field a record may lack, `null` (like `undefined` and `''`) clears it.
 */
export type InputOf<D extends Fields> = {
  -readonly [K in InputKey<D>]?: ValueOf<D[K]> | (K extends PresentKeys<D> ? never : null);
};

/** Describe a field (the literal is kept, so its type can be derived from it). */
function field<const D extends FieldDesc>(d: D): D {
  return d;
}

/** A value in `values`, or `undefined`. */
function oneOf<T>(values: readonly T[], v: unknown): T | undefined {
  return (values as readonly unknown[]).includes(v) ? (v as T) : undefined;
}

/**
 * A property of a stored plain object, own keys only. lib0 decodes a `"__proto__"` key as
 * the object's prototype, and a device passing the object on re-encodes it without one: an
 * inherited value would read differently on different devices.
 */
function own(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

function ownString(obj: object, key: string): string | undefined {
  const v = own(obj, key);
  return typeof v === 'string' ? v : undefined;
}

const UNKNOWN_VETTING: VettingEntry = { status: 'unknown' };

/** Every vetting part unknown: a new person's vetting. */
export const NO_VETTING: Vetting = Object.freeze(
  Object.fromEntries(VETTING_PARTS.map((p) => [p, UNKNOWN_VETTING])) as Record<
    (typeof VETTING_PARTS)[number],
    VettingEntry
  >,
);

function readVetting(fields: Readonly<Record<string, unknown>>, problems: string[]): Vetting {
  const out = {} as Record<(typeof VETTING_PARTS)[number], VettingEntry>;
  for (const part of VETTING_PARTS) {
    const raw = fields[`v:${part}`] as Record<string, unknown> | undefined;
    if (!raw) {
      out[part] = UNKNOWN_VETTING;
      continue;
    }
    const status = own(raw, 'status');
    if (!(VETTING_STATUSES as readonly unknown[]).includes(status)) {
      problems.push(`vetting "${part}" has an unknown status`);
      out[part] = UNKNOWN_VETTING;
      continue;
    }
    out[part] = compact({
      status: status as VettingEntry['status'],
      vouchedBy: ownString(raw, 'vouchedBy'),
      note: ownString(raw, 'note'),
    });
  }
  return out;
}

function readEvidence(fields: Readonly<Record<string, unknown>>): TieEvidence | undefined {
  const e = fields.evidence as Partial<TieEvidence> | undefined;
  if (fields.provenance !== 'inferred' || !e || !isIsoDate(e.last)) return undefined;
  const count = (v: unknown) => (typeof v === 'number' && v > 0 ? Math.round(v) : 0);
  return { meetings: count(e.meetings), conversations: count(e.conversations), last: e.last };
}

function readHistory(fields: Readonly<Record<string, unknown>>): readonly IntroStep[] {
  const history: IntroStep[] = [];
  const steps = fields.history as Y.Array<unknown> | readonly unknown[] | undefined;
  const list = Array.isArray(steps) ? steps : ((steps as Y.Array<unknown>)?.toArray() ?? []);
  for (const step of list) {
    if (typeof step !== 'object' || step === null) continue;
    const state = own(step, 'state');
    const at = own(step, 'at');
    if ((INTRO_STATES as readonly unknown[]).includes(state) && isIsoDate(at)) {
      history.push({ state: state as IntroState, at });
    }
  }
  return history.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

function checkStrength(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 5) {
    throw new VitrineError('Tie strength must be a number from 1 (faint) to 5 (very strong).');
  }
  return Math.round(value);
}

function checkChannel(value: unknown): TouchChannel {
  const v = oneOf(TOUCH_CHANNELS, value);
  if (v === undefined) {
    throw new VitrineError(`A touch channel must be one of ${TOUCH_CHANNELS.join(', ')}.`);
  }
  return v;
}

function checkStakes(value: unknown): Stakes {
  const v = oneOf(STAKES, value);
  if (v === undefined) throw new VitrineError('Stakes must be "low" or "high".');
  return v;
}

/**
 * When the record was made. Typed as always there, but a tie, touch or intro stored
 * without one reads without one (as it always did: an imported touch has none).
 */
const createdAt = field({ kind: 'date', label: 'added', system: true, default: '' });

/** A person (PRODUCT.md item 1). */
export const PERSON_FIELDS = {
  name: field({
    kind: 'string',
    label: 'name',
    required: true,
    contact: true,
    merge: 'keep',
    what: 'Name',
    read: (f, problems) => {
      const name = (f.name as string).trim();
      if (!name) problems.push('name is empty');
      return name || undefined;
    },
  }),
  org: field({ kind: 'string', label: 'organisation', contact: true, merge: 'fill' }),
  role: field({ kind: 'string', label: 'role', contact: true, merge: 'fill' }),
  /** E-mail addresses (checked addr-specs; see `contact.ts`). */
  emails: field({
    kind: 'emails',
    label: 'emails',
    contact: true,
    merge: 'union',
    default: Object.freeze([]),
  }),
  phones: field({
    kind: 'strings',
    label: 'phones',
    contact: true,
    merge: 'union',
    default: Object.freeze([]),
  }),
  /** Web links, `http:` or `https:` only (safe to render as `<a href>`). */
  links: field({
    kind: 'links',
    label: 'links',
    contact: true,
    merge: 'union',
    default: Object.freeze([]),
  }),
  tags: field({
    kind: 'strings',
    label: 'tags',
    contact: true,
    merge: 'union',
    default: Object.freeze([]),
  }),
  location: field({ kind: 'string', label: 'location', contact: true, merge: 'fill' }),
  /** A real day `YYYY-MM-DD`, or `--MM-DD` without the year. */
  birthday: field({ kind: 'birthday', label: 'birthday', contact: true, merge: 'fill' }),
  howWeMet: field({ kind: 'string', label: 'how we met', contact: true, merge: 'fill' }),
  /** Free notes (a `Y.Text` in storage, so two devices can edit at once). */
  notes: field({
    kind: 'text',
    label: 'notes',
    contact: true,
    merge: 'append',
    default: '',
    keepEmpty: true,
    what: 'Notes',
  }),
  /** The four parts of the vetting record, each stored as `v:<part>`. */
  vetting: field({
    kind: 'vetting',
    label: 'vetting',
    merge: 'best',
    default: NO_VETTING,
    read: readVetting,
  }),
  /** Under glass: introducing an unvetted person to them needs a recorded override. */
  underGlass: field({
    kind: 'boolean',
    label: 'under glass',
    contact: true,
    merge: 'either',
    default: false,
  }),
  /** Keep-in-touch cadence in days (1 to 3650), set on the person. */
  cadenceDays: field({
    kind: 'cadence',
    label: 'cadence',
    merge: 'fill',
    what: 'Cadence',
  }),
  /**
   * The start (ISO date or date-time) of the next meeting with this person found in an
   * imported calendar, as of that import. A date in the past means none is known any more.
   * Kept by a merge as the survivor's: the next calendar import sets it again.
   */
  nextMeeting: field({
    kind: 'date',
    label: 'next meeting',
    system: true,
    merge: 'keep',
    what: 'The next meeting',
  }),
  /** When the person was added (`''` when no device recorded it). */
  createdAt: { ...createdAt, keepEmpty: true, merge: 'keep' as const },
  deletedAt: field({
    kind: 'date',
    label: 'in the trash since',
    system: true,
    merge: 'keep',
    what: 'The date it went to the trash',
  }),
  /** Set when this person was merged into another as a duplicate. */
  mergedInto: field({ kind: 'string', label: 'merged into', system: true, merge: 'keep' }),
} as const satisfies Fields;

/** A tie between two people (PRODUCT.md item 2). */
export const TIE_FIELDS = {
  from: field({ kind: 'string', label: 'from', required: true, system: true, ref: 'person' }),
  to: field({ kind: 'string', label: 'to', required: true, system: true, ref: 'person' }),
  /** A suggested kind (`TIE_KINDS`) or any custom word, in lower case. */
  kind: field({
    kind: 'string',
    label: 'kind',
    default: 'acquaintance',
    what: 'Tie kind',
    read: (f) => (typeof f.kind === 'string' ? f.kind.trim() : undefined) || undefined,
    check: (v) => {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string') throw new VitrineError('Tie kind must be text.');
      return v.trim().toLowerCase() || undefined;
    },
  }),
  /** 1 (faint) to 5 (very strong). */
  strength: field({
    kind: 'number',
    label: 'strength',
    default: 3,
    read: (f) =>
      typeof f.strength === 'number' ? Math.min(5, Math.max(1, Math.round(f.strength))) : 3,
    check: checkStrength,
  }),
  since: field({ kind: 'date', label: 'since', what: 'The date a tie started' }),
  /** The introduction that made this tie, when it came from one. */
  introId: field({ kind: 'string', label: 'introduction', what: 'Introduction id' }),
  /** Who introduced the two, when known (a person id). */
  introducedBy: field({
    kind: 'string',
    label: 'introduced by',
    ref: 'person',
    what: 'Introduced by',
  }),
  note: field({ kind: 'string', label: 'note', what: 'Tie note' }),
  cadenceDays: field({ kind: 'cadence', label: 'cadence', what: 'Cadence' }),
  /**
   * `inferred`: made by an import because the two appear together in meetings or
   * conversations (see `evidence`), not set by the owner. Absent for the owner's own ties
   * (and for an inferred tie the owner confirmed).
   */
  provenance: field({
    kind: 'string',
    label: 'provenance',
    system: true,
    values: ['inferred'],
  }),
  /** Why an inferred tie was inferred. */
  evidence: field({
    kind: 'object',
    label: 'evidence',
    system: true,
    read: readEvidence,
  }),
  /**
   * When the owner dismissed this inferred tie. A dismissed tie is never listed, and the
   * pair is never inferred again (raw reads only).
   */
  dismissedAt: field({
    kind: 'date',
    label: 'dismissed',
    system: true,
    what: 'The date it was dismissed',
  }),
  createdAt,
} as const satisfies Fields;

/** A touch: a coffee, a call, a favour (PRODUCT.md item 4). */
export const TOUCH_FIELDS = {
  personIds: field({
    kind: 'strings',
    label: 'people',
    required: true,
    ref: 'person',
  }),
  /** A real day (`YYYY-MM-DD`) or a date-time with a zone (`src/time/dates.ts`). */
  at: field({ kind: 'date', label: 'date', required: true, what: 'The date of a touch' }),
  channel: field({
    kind: 'string',
    label: 'channel',
    values: TOUCH_CHANNELS,
    default: 'other',
    check: checkChannel,
  }),
  note: field({ kind: 'string', label: 'note', what: 'A touch note' }),
  /**
   * The import source key of a touch that came from a file (`ics:<uid>/<occurrence>`,
   * `li-msg:<conversation>/<day>`, …). At most one touch per key is listed; re-importing
   * never adds a second one.
   */
  source: field({ kind: 'string', label: 'source', system: true }),
  /** How many people took part (matched or not, owner excluded) in an imported meeting or conversation. */
  attendees: field({
    kind: 'number',
    label: 'attendees',
    system: true,
    read: (f) => (isCadence(f.attendees) ? f.attendees : undefined),
  }),
  /**
   * When the owner removed this imported touch (raw reads only): it stays as a tombstone so
   * a re-import does not bring it back.
   */
  removedAt: field({
    kind: 'date',
    label: 'removed',
    system: true,
    what: 'The date it was removed',
  }),
  createdAt,
} as const satisfies Fields;

/** An introduction and its lifecycle (PRODUCT.md item 6). */
export const INTRO_FIELDS = {
  a: field({ kind: 'string', label: 'first person', required: true, system: true, ref: 'person' }),
  b: field({ kind: 'string', label: 'second person', required: true, system: true, ref: 'person' }),
  /** Who made the introduction: the owner for outbound ones, someone else for inbound. */
  by: field({ kind: 'string', label: 'introducer', required: true, system: true, ref: 'person' }),
  state: field({
    kind: 'string',
    label: 'state',
    required: true,
    system: true,
    values: INTRO_STATES,
  }),
  purpose: field({ kind: 'string', label: 'purpose', what: 'The purpose' }),
  stakes: field({
    kind: 'string',
    label: 'stakes',
    values: STAKES,
    default: 'low',
    check: checkStakes,
  }),
  expectations: field({ kind: 'string', label: 'expectations', what: 'The expectations' }),
  outcome: field({
    kind: 'string',
    label: 'outcome',
    system: true,
    values: INTRO_OUTCOMES,
  }),
  outcomeNote: field({
    kind: 'string',
    label: 'outcome note',
    system: true,
    what: 'The outcome note',
  }),
  /**
   * Who a flaked or difficult outcome is held against. Absent on outcomes recorded before
   * it existed: those are read as before (held against both sides and the introducer).
   */
  blame: field({ kind: 'string', label: 'held against', system: true, values: INTRO_BLAME }),
  followUpAt: field({ kind: 'date', label: 'follow up', what: 'The follow-up date' }),
  /** Why the under-glass rule was overridden, when it was. */
  overrideReason: field({
    kind: 'string',
    label: 'override reason',
    system: true,
    what: 'The override reason',
  }),
  /** Which side declined, when `state` is `declined`. */
  declinedBy: field({ kind: 'string', label: 'declined by', system: true, ref: 'person' }),
  /** The tie this introduction created. */
  tieId: field({ kind: 'string', label: 'tie', system: true }),
  history: field({
    kind: 'steps',
    label: 'history',
    system: true,
    default: Object.freeze([]),
    read: readHistory,
  }),
  createdAt,
} as const satisfies Fields;

/** A person as the notebook reads them. */
export type Person = RecordOf<typeof PERSON_FIELDS>;
/** A tie as the notebook reads it. */
export type Tie = RecordOf<typeof TIE_FIELDS>;
/** A touch as the notebook reads it. */
export type Touch = RecordOf<typeof TOUCH_FIELDS>;
/** An introduction as the notebook reads it. */
export type Intro = RecordOf<typeof INTRO_FIELDS>;

/** The four descriptions by collection name. */
export const RECORDS = {
  people: PERSON_FIELDS,
  ties: TIE_FIELDS,
  touches: TOUCH_FIELDS,
  intros: INTRO_FIELDS,
} as const;

/** The read spec of a description: which stored keys hold what (`vetting` as `v:<part>`). */
export function specOf(fields: Fields): Spec {
  const out: Record<string, { kind: FieldKind; required?: boolean }> = {};
  for (const [key, d] of Object.entries(fields)) {
    if (d.kind === 'vetting') {
      for (const p of VETTING_PARTS) out[`v:${p}`] = { kind: 'object' };
    } else out[key] = d.required ? { kind: d.kind, required: true } : { kind: d.kind };
  }
  return out;
}

/** A description's fields with their names, as a list (the description's order). */
export function fieldsOf<D extends Fields>(d: D): [keyof D & string, FieldDesc][] {
  return Object.entries(d) as [keyof D & string, FieldDesc][];
}

/** The names of a description's fields that hold a list of text. */
const LIST_KINDS: ReadonlySet<FieldDesc['kind']> = new Set(['strings', 'emails', 'links']);

/** Does a field hold a list of text (`strings`, `emails`, `links`)? */
export function isListField(d: FieldDesc): boolean {
  return LIST_KINDS.has(d.kind);
}

/** The person fields contacts files carry (see {@link FieldDesc.contact}). */
export type ContactKey = {
  [K in keyof typeof PERSON_FIELDS]: (typeof PERSON_FIELDS)[K] extends { contact: true }
    ? K
    : never;
}[keyof typeof PERSON_FIELDS];

/** The contact fields that are lists (united on a merge). */
export type ContactListKey = {
  [K in ContactKey]: ValueOf<(typeof PERSON_FIELDS)[K]> extends readonly string[] ? K : never;
}[ContactKey];

/** The contact fields, in order. */
export const CONTACT_FIELDS: readonly ContactKey[] = fieldsOf(PERSON_FIELDS)
  .filter(([, d]) => d.contact)
  .map(([k]) => k as ContactKey);

/**
 * The person fields an import carries, as plain data (structured-cloneable): `name` and the
 * lists always, the rest when known.
 */
export type PersonFields = Simplify<
  { name: string } & { [K in ContactListKey]: string[] } & {
    [K in Exclude<ContactKey, ContactListKey | 'name'>]?: ValueOf<(typeof PERSON_FIELDS)[K]>;
  }
>;

/** Each person field in words, for the import preview ("how we met"). */
export const PERSON_LABELS: Readonly<Record<keyof typeof PERSON_FIELDS, string>> =
  Object.fromEntries(fieldsOf(PERSON_FIELDS).map(([k, d]) => [k, d.label])) as Record<
    keyof typeof PERSON_FIELDS,
    string
  >;
