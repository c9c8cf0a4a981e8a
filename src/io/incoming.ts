/**
 * The plain records every contacts parser (LinkedIn, Google, vCard) produces, before they
 * are matched against the notebook. Pure data (structured-cloneable), so parsing and
 * planning can run in a Web Worker.
 */
import type { PersonFields } from '../model/index.ts';

/**
 * The person fields an import can carry: the contact fields of the model's person
 * description (`CONTACT_FIELDS` in `src/model/records.ts`), derived from it.
 */
export type { PersonFields };

/** A tie a file names between one of its people and someone else. */
export interface IncomingRelation {
  /** Tie kind (`family`, `colleague`, … or a custom word). */
  kind: string;
  strength?: number;
  since?: string;
  note?: string;
  /** The other person, by the file's own id (vCard UID), … */
  key?: string;
  /** … or by email, … */
  email?: string;
  /** … or by name (resolved only when exactly one person has it). */
  name?: string;
}

/** One person read from a file. */
export interface IncomingPerson extends PersonFields {
  /** Where it came from, for messages ("line 12", "card 3 (line 40)"). */
  ref: string;
  /** 1-based line in the file where the record starts. */
  line: number;
  /** The file's own id for this person (vCard UID), used to resolve relations. */
  key?: string;
  /** The file says this is the notebook's owner (a Vitrine vCard export). */
  isOwner?: boolean;
  /** A tie to the notebook's owner that the file implies (a LinkedIn connection). */
  ownerTie?: { kind: string; strength?: number; since?: string; note?: string };
  relations: IncomingRelation[];
}

/** A row or card that was not imported, and why. */
export interface SkippedRow {
  ref: string;
  line?: number;
  reason: string;
}

/** What a contacts parser returns. */
export interface ParsedContacts {
  people: IncomingPerson[];
  skipped: SkippedRow[];
  /** Things read with a caveat (a date that could not be read, a relation not made). */
  warnings: SkippedRow[];
}

/** Progress of a long import step: `done` of `total` units (characters, then rows). */
export interface ImportProgress {
  phase: 'read' | 'match';
  done: number;
  total: number;
}

/** A parser that can be driven in chunks: it yields progress, then returns its result. */
export type ParseSteps = Generator<ImportProgress, ParsedContacts, void>;

/** An empty person record with the list fields set. */
export function blankPerson(ref: string, line: number, name = ''): IncomingPerson {
  return { ref, line, name, emails: [], phones: [], links: [], tags: [], relations: [] };
}

/** Trimmed text or `undefined`. */
export function clean(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  return v ? v : undefined;
}

/** Add trimmed, non-empty values to a list, keeping it free of exact duplicates. */
export function pushAll(list: string[], values: Iterable<string | undefined>): void {
  for (const raw of values) {
    const v = clean(raw);
    if (v && !list.includes(v)) list.push(v);
  }
}

/**
 * The tie kind for a relation label from a contacts app ("Spouse", "_$!<Manager>!$_",
 * "co-worker"). Family words fold to `family`, work words to `colleague`; anything else
 * is kept as a custom kind in lower case.
 */
export function relationKind(label: string | undefined): string {
  const l = (label ?? '')
    .replace(/^_\$!<(.*)>!\$_$/, '$1')
    .trim()
    .toLowerCase();
  if (!l) return 'acquaintance';
  const family = [
    'spouse',
    'partner',
    'domestic partner',
    'husband',
    'wife',
    'child',
    'son',
    'daughter',
    'parent',
    'mother',
    'father',
    'brother',
    'sister',
    'sibling',
    'relative',
    'kin',
    'grandparent',
    'grandchild',
    'in-law',
  ];
  if (family.includes(l)) return 'family';
  if (['manager', 'assistant', 'co-worker', 'coworker', 'colleague', 'boss'].includes(l)) {
    return 'colleague';
  }
  if (['friend', 'sweetheart', 'crush', 'date'].includes(l)) return 'friend';
  if (['contact', 'met', 'acquaintance', 'referred by', 'neighbor', 'co-resident'].includes(l)) {
    return 'acquaintance';
  }
  return l;
}
