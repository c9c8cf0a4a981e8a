/**
 * Two-phase import: {@link planImport} reads a file and says what importing it would do
 * (new people, merged people with their field changes, skipped rows with reasons) without
 * writing anything; {@link applyImport} then applies that plan as ONE local transaction
 * (one undo step). The app shows the plan as a preview between the two.
 *
 * Planning is pure data in, pure data out: it reads the notebook through a plain
 * {@link ExistingPeople} snapshot and returns a structured-cloneable {@link ImportPlan}, so
 * it can run in a Web Worker. It is written as a generator that yields progress between
 * batches; {@link planImport} runs it straight through (in a worker, or the CLI), and
 * {@link planImportAsync} gives the event loop a turn between batches (on the main thread).
 */
import {
  CONTACT_FIELDS,
  PERSON_FIELDS,
  VitrineError,
  applyImportBatch,
  checkPerson,
  checkTie,
  getPerson,
  isListField,
  listPeople,
  listTies,
  type BatchRef,
  type ImportBatch,
  type Notebook,
  type Person,
  type PersonInput,
  type PersonPatch,
} from '../model/index.ts';
import { dropBadContacts } from '../model/contact.ts';
import {
  PeopleIndex,
  keysOf,
  mergeFields,
  mergedRecord,
  type FieldChange,
  type MatchRule,
} from './dedupe.ts';
import type {
  ImportProgress,
  IncomingPerson,
  ParseSteps,
  PersonFields,
  SkippedRow,
} from './incoming.ts';
import { emptySummary, importJson, type ImportSummary, type ParsedVitrineJson } from './json.ts';

/** A person already in the notebook, as planning sees them. */
export interface ExistingPerson extends PersonFields {
  id: string;
}

/** A tie already in the notebook, as planning sees it. */
export interface ExistingTie {
  id: string;
  from: string;
  to: string;
  since?: string;
}

/** The plain snapshot of a notebook that planning needs (post it to a worker as is). */
export interface ExistingPeople {
  ownerId?: string;
  people: ExistingPerson[];
  ties: ExistingTie[];
}

/** Who a planned tie joins: someone already there, someone the plan adds, or the owner. */
export type PersonRef = { existing: string } | { added: number } | { owner: true };

/** A person the import adds. `also` lists further rows of the file folded into this one. */
export interface PlannedNew {
  ref: string;
  line: number;
  person: PersonFields;
  also: string[];
  /** The file marks this person as its owner and the notebook has none yet. */
  becomesOwner?: boolean;
}

/** A person already in the notebook that the import adds to. */
export interface PlannedMerge {
  ref: string;
  line: number;
  id: string;
  name: string;
  rule: MatchRule;
  /** What the file says about them (all matching rows folded together). */
  incoming: PersonFields;
  /** What merging changes, field by field, as of planning. */
  changes: FieldChange[];
  also: string[];
}

/** A person already in the notebook whom the file adds nothing to. */
export interface PlannedUnchanged {
  ref: string;
  line: number;
  id: string;
  name: string;
  rule: MatchRule;
}

/** A tie the import makes (or, with `existingId`, an existing tie that gets its start date). */
export interface PlannedTie {
  ref: string;
  a: PersonRef;
  b: PersonRef;
  kind: string;
  strength?: number;
  since?: string;
  note?: string;
  existingId?: string;
}

/**
 * A row of the file taken for the same person as an earlier row of the same file (shown in
 * the preview, so that no merge inside a file happens unseen).
 */
export interface PlannedInFileMerge {
  /** The person both rows become (or are merged into). */
  name: string;
  /** The row folded in. */
  ref: string;
  line: number;
  /** The earlier row it was folded into. */
  intoRef: string;
  intoLine: number;
  rule: MatchRule;
}

/** What importing a file would do. Plain data: safe to post from a worker, or to show. */
export interface ImportPlan {
  format: string;
  label: string;
  file: string;
  added: PlannedNew[];
  merged: PlannedMerge[];
  unchanged: PlannedUnchanged[];
  skipped: SkippedRow[];
  warnings: SkippedRow[];
  ties: PlannedTie[];
  /** Rows of the file folded into an earlier row of the same file, with their lines. */
  inFile: PlannedInFileMerge[];
  /** Vitrine JSON is applied by id (see `importJson`), not matched. */
  json?: ParsedVitrineJson;
}

/** Options for planning. */
export interface PlanOptions {
  /** Called between batches with how far reading and matching have got. */
  onProgress?: (p: ImportProgress) => void;
}

/** The plain snapshot planning reads: live people and the ties between them. */
export function existingPeople(nb: Notebook): ExistingPeople {
  return {
    ownerId: nb.ownerId,
    people: listPeople(nb).map(personFields),
    ties: listTies(nb).map((t) => ({ id: t.id, from: t.from, to: t.to, since: t.since })),
  };
}

/**
 * The contact fields of a record (`CONTACT_FIELDS`, derived from the person description):
 * lists always (copied), the rest only when set, so plain objects stay small and comparable.
 */
function contactFields(p: Readonly<Record<string, unknown>>, copy: boolean): PersonFields {
  const out: Record<string, unknown> = {};
  for (const key of CONTACT_FIELDS) {
    const v = p[key];
    if (isListField(PERSON_FIELDS[key])) out[key] = copy ? [...((v as string[]) ?? [])] : (v ?? []);
    else if (v !== undefined && v !== '' && v !== false) out[key] = v;
  }
  return out as unknown as PersonFields;
}

function personFields(p: Person): ExistingPerson {
  return { id: p.id, ...contactFields(p, true) };
}

/** Strip the parser's bookkeeping, keeping only person fields. */
function fieldsOf(p: IncomingPerson): PersonFields {
  // The parser made these lists for this row alone, so they are shared, not copied.
  return contactFields(p as unknown as Record<string, unknown>, false);
}

type Handle = string; // `e:<id>` for an existing person, `n:<index>` for a planned new one

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Match parsed people against the notebook and build the plan. A generator: yields
 * progress every batch of rows, returns the plan.
 */
export function* planContacts(
  existing: ExistingPeople,
  parse: ParseSteps,
  meta: { format: string; label: string; file: string },
): Generator<ImportProgress, ImportPlan, void> {
  const parsed = yield* parse;
  const plan: ImportPlan = {
    ...meta,
    added: [],
    merged: [],
    unchanged: [],
    skipped: parsed.skipped,
    warnings: parsed.warnings,
    ties: [],
    inFile: [],
  };
  const index = new PeopleIndex<Handle>();
  const byId = new Map<string, ExistingPerson>();
  for (const p of existing.people) {
    byId.set(p.id, p);
    index.add(`e:${p.id}`, keysOf(p));
  }
  // Existing people the file names: one slot each, however many rows match them.
  const slots = new Map<
    string,
    { first: IncomingPerson; rule: MatchRule; acc: PersonFields; also: string[] }
  >();
  const handleOfRow: Handle[] = [];
  const ownerId = existing.ownerId;
  const total = parsed.people.length;
  for (let i = 0; i < total; i++) {
    const row = parsed.people[i]!;
    // A javascript: link or a 30 February birthday is left out with a warning; the
    // person still comes in.
    const { fields, problems } = dropBadContacts(fieldsOf(row));
    for (const reason of problems) plan.warnings.push({ ref: row.ref, line: row.line, reason });
    const keys = keysOf(fields);
    if (row.isOwner && ownerId) {
      // As in Vitrine JSON: the file's owner stands for this notebook's owner. Their ties
      // come along; their fields do not (a colleague's export must not rename "me").
      handleOfRow.push(`e:${ownerId}`);
      const me = byId.get(ownerId);
      if (me)
        plan.unchanged.push({
          ref: row.ref,
          line: row.line,
          id: ownerId,
          name: me.name,
          rule: 'owner',
        });
      continue;
    }
    const hit = index.match(keys);
    if (!hit) {
      const handle = `n:${plan.added.length}`;
      plan.added.push({
        ref: row.ref,
        line: row.line,
        person: fields,
        also: [],
        ...(row.isOwner ? { becomesOwner: true } : {}),
      });
      index.add(handle, keys);
      handleOfRow.push(handle);
    } else if (hit.handle.startsWith('n:')) {
      const added = plan.added[Number(hit.handle.slice(2))]!;
      plan.inFile.push({
        name: added.person.name,
        ref: row.ref,
        line: row.line,
        intoRef: added.ref,
        intoLine: added.line,
        rule: hit.rule,
      });
      added.person = mergedRecord(added.person, fields, meta.file);
      added.also.push(row.ref);
      if (row.isOwner) added.becomesOwner = true;
      index.add(hit.handle, keys);
      handleOfRow.push(hit.handle);
    } else {
      const slot = slots.get(hit.handle);
      if (!slot) slots.set(hit.handle, { first: row, rule: hit.rule, acc: fields, also: [] });
      else {
        plan.inFile.push({
          name: byId.get(hit.handle.slice(2))!.name,
          ref: row.ref,
          line: row.line,
          intoRef: slot.first.ref,
          intoLine: slot.first.line,
          rule: hit.rule,
        });
        slot.acc = mergedRecord(slot.acc, fields, meta.file);
        slot.also.push(row.ref);
      }
      index.add(hit.handle, keys);
      handleOfRow.push(hit.handle);
    }
    if (i % 2000 === 1999) yield { phase: 'match', done: i + 1, total };
  }
  for (const [handle, slot] of slots) {
    const id = handle.slice(2);
    const before = byId.get(id)!;
    const { changes } = mergeFields(before, slot.acc, meta.file);
    const base = {
      ref: slot.first.ref,
      line: slot.first.line,
      id,
      name: before.name,
      rule: slot.rule,
    };
    if (changes.length) plan.merged.push({ ...base, incoming: slot.acc, changes, also: slot.also });
    else plan.unchanged.push(base);
  }
  // Ties: to the owner when the file implies it, and between people the file relates.
  const existingPairs = new Map<string, ExistingTie>();
  for (const t of existing.ties) existingPairs.set(pairKey(t.from, t.to), t);
  const planned = new Set<string>();
  const refOf = (h: Handle): PersonRef =>
    h.startsWith('e:') ? { existing: h.slice(2) } : { added: Number(h.slice(2)) };
  const ownerHandle = ownerId
    ? `e:${ownerId}`
    : (() => {
        const i = plan.added.findIndex((a) => a.becomesOwner);
        return i >= 0 ? `n:${i}` : 'owner';
      })();
  const byKey = new Map<string, Handle>();
  parsed.people.forEach((row, i) => {
    if (row.key && !byKey.has(row.key)) byKey.set(row.key, handleOfRow[i]!);
  });
  const addTie = (
    ref: string,
    a: Handle,
    b: Handle,
    t: { kind: string; strength?: number; since?: string; note?: string },
  ) => {
    if (a === b) return;
    const key = pairKey(a, b);
    if (planned.has(key)) return;
    planned.add(key);
    if (a.startsWith('e:') && b.startsWith('e:')) {
      const have = existingPairs.get(pairKey(a.slice(2), b.slice(2)));
      if (have) {
        // The tie is already there; the file can only tell us when it started.
        if (!have.since && t.since) {
          plan.ties.push({
            ref,
            a: refOf(a),
            b: refOf(b),
            kind: t.kind,
            since: t.since,
            existingId: have.id,
          });
        }
        return;
      }
    }
    const end = (h: Handle): PersonRef => (h === 'owner' ? { owner: true } : refOf(h));
    const tie: PlannedTie = { ref, a: end(a), b: end(b), kind: t.kind };
    if (t.strength !== undefined) tie.strength = t.strength;
    if (t.since) tie.since = t.since;
    if (t.note) tie.note = t.note;
    plan.ties.push(tie);
  };
  parsed.people.forEach((row, i) => {
    const me = handleOfRow[i]!;
    if (row.ownerTie) addTie(row.ref, ownerHandle, me, row.ownerTie);
    for (const rel of row.relations) {
      const other =
        (rel.key !== undefined ? byKey.get(rel.key) : undefined) ??
        (rel.email ? index.byEmailAddress(rel.email) : undefined) ??
        (rel.name ? index.byUniqueName(rel.name) : undefined);
      if (other === undefined) {
        plan.warnings.push({
          ref: row.ref,
          line: row.line,
          reason: `no tie made to "${rel.name ?? rel.email ?? rel.key}": nobody (or more than one person) by that ${rel.name ? 'name' : rel.email ? 'email' : 'id'} in the file or the notebook`,
        });
        continue;
      }
      addTie(row.ref, me, other, rel);
    }
  });
  yield { phase: 'match', done: total, total };
  return plan;
}

/**
 * Preview of a Vitrine JSON import: people by id (JSON is applied by id, not matched),
 * from the records as the model read them (`readRecords`, once, when the file was parsed).
 */
export function planJson(
  existing: ExistingPeople,
  data: ParsedVitrineJson,
  file: string,
): ImportPlan {
  const plan: ImportPlan = {
    format: 'json',
    label: 'Vitrine JSON',
    file,
    added: [],
    merged: [],
    unchanged: [],
    skipped: [],
    warnings: [],
    ties: [],
    inFile: [],
    json: data,
  };
  const byId = new Map(existing.people.map((p) => [p.id, p]));
  const owner = data.owner;
  for (const r of data.people) {
    if (!r.id || r.skip) {
      plan.skipped.push({ ref: r.ref, reason: r.skip ?? 'it has no id' });
      continue;
    }
    if (owner && r.id === owner && existing.ownerId) continue;
    for (const reason of r.warnings) plan.warnings.push({ ref: r.ref, reason });
    const incoming = contactFields(r.fields, false);
    incoming.name = incoming.name.trim();
    const before = byId.get(r.id);
    if (!before) {
      plan.added.push({ ref: r.ref, line: 0, person: incoming, also: [] });
      continue;
    }
    // JSON import sets fields to the file's values, so the preview shows replacements.
    const changes: FieldChange[] = [];
    const shown = (v: unknown) =>
      Array.isArray(v)
        ? v.join(', ')
        : typeof v === 'boolean'
          ? v
            ? 'yes'
            : 'no'
          : String(v ?? '');
    for (const f of CONTACT_FIELDS) {
      const a = shown(before[f] ?? (PERSON_FIELDS[f].kind === 'boolean' ? false : ''));
      const b = shown(incoming[f] ?? (PERSON_FIELDS[f].kind === 'boolean' ? false : ''));
      if (a !== b) changes.push({ field: f, before: a, after: b });
    }
    const base = { ref: r.ref, line: 0, id: r.id, name: before.name, rule: 'id' as MatchRule };
    if (changes.length) plan.merged.push({ ...base, incoming, changes, also: [] });
    else plan.unchanged.push(base);
  }
  return plan;
}

/**
 * Apply a plan to the notebook as one local transaction (one undo step). Merges are
 * recomputed against the notebook as it is now, so an edit made while the preview was
 * open is kept. When the plan changes nothing, nothing is written at all.
 */
export function applyImport(nb: Notebook, plan: ImportPlan): ImportSummary {
  if (plan.json) return importJson(nb, plan.json);
  nb.migrate();
  if (nb.readOnlyReason) throw new VitrineError(nb.readOnlyReason);
  const summary = emptySummary();
  summary.skipped = plan.skipped.map(({ ref, reason }) => ({ ref, reason }));
  summary.unchanged = plan.unchanged.length;
  const warnings = plan.warnings.map(({ ref, reason }) => ({ ref, reason }));
  // Everything is checked and worked out before the transaction: a throw inside one would
  // leave half an import behind, and reads inside one would see stale caches.
  const adds: { ref: string; patch: PersonPatch; becomesOwner?: boolean }[] = [];
  const addedIndex: (number | undefined)[] = [];
  const readded = new Map<string, number>();
  const add = (a: PlannedNew): number | undefined => {
    try {
      adds.push({
        ref: a.ref,
        patch: checkPerson(toInput(a.person)),
        becomesOwner: a.becomesOwner,
      });
      return adds.length - 1;
    } catch (e) {
      summary.skipped.push({ ref: a.ref, reason: (e as Error).message });
      return undefined;
    }
  };
  for (const a of plan.added) addedIndex.push(add(a));
  const merges: { id: string; patch: PersonPatch }[] = [];
  for (const m of plan.merged) {
    const now = getPerson(nb, m.id);
    if (!now) {
      // Deleted (or purged) since the preview: bring them in as new rather than drop them.
      const at = add({ ref: m.ref, line: m.line, person: m.incoming, also: m.also });
      if (at !== undefined) readded.set(m.id, at);
      continue;
    }
    const { patch } = mergeFields(personFields(now), m.incoming, plan.file);
    if (!Object.keys(patch).length) {
      summary.unchanged++;
      continue;
    }
    try {
      merges.push({ id: now.id, patch: checkPerson(patch) });
    } catch (e) {
      summary.skipped.push({ ref: m.ref, reason: (e as Error).message });
    }
  }
  const ties: { tie: PlannedTie; fields: Map<string, unknown> }[] = [];
  for (const t of plan.ties) {
    const input = t.existingId
      ? { since: t.since }
      : { kind: t.kind, strength: t.strength ?? 3, since: t.since, note: t.note };
    try {
      ties.push({ tie: t, fields: checkTie(input) });
    } catch (e) {
      // A start date the model refuses (a vCard's X-VITRINE-SINCE, say) should not cost the tie.
      if (t.existingId || !t.since) {
        warnings.push({ ref: t.ref, reason: `no tie made: ${(e as Error).message}` });
        continue;
      }
      warnings.push({
        ref: t.ref,
        reason: `tie made without its start date: ${(e as Error).message}`,
      });
      ties.push({ tie: t, fields: checkTie({ ...input, since: undefined }) });
    }
  }
  if (warnings.length) summary.warnings = warnings;
  // Who each planned tie joins, as the batch names them: a person re-added because they
  // were deleted since the preview is one of the batch's new people.
  const ref = (r: PersonRef): BatchRef | undefined => {
    if ('existing' in r) {
      const again = readded.get(r.existing);
      return again !== undefined ? { added: again } : { id: r.existing };
    }
    if ('added' in r) {
      const at = addedIndex[r.added];
      return at === undefined ? undefined : { added: at };
    }
    return { owner: true };
  };
  const batch: ImportBatch = {
    people: adds,
    merges,
    ties: ties.map(({ tie: t, fields }) => ({
      a: ref(t.a),
      b: ref(t.b),
      fields,
      ...(t.existingId ? { existingId: t.existingId } : {}),
    })),
  };
  const done = applyImportBatch(nb, batch);
  summary.added = done.added;
  summary.merged = done.merged;
  summary.ties = done.ties;
  return summary;
}

function toInput(p: PersonFields): PersonInput {
  const input: Record<string, unknown> = {};
  for (const key of CONTACT_FIELDS) {
    const v = p[key];
    if (isListField(PERSON_FIELDS[key]) || (v !== undefined && v !== '' && v !== false))
      input[key] = v;
  }
  return input as PersonInput;
}

/** Run a step generator to the end, reporting progress. */
export function runSteps<T>(
  steps: Generator<ImportProgress, T, void>,
  onProgress?: (p: ImportProgress) => void,
): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onProgress?.(r.value);
  }
}

/** Run a step generator, giving the event loop a turn between batches. */
export async function runStepsAsync<T>(
  steps: Generator<ImportProgress, T, void>,
  onProgress?: (p: ImportProgress) => void,
): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onProgress?.(r.value);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}
