/**
 * Vitrine JSON, the interchange format (PRODUCT.md "Binding interfaces"):
 *
 *   {"format": "vitrine", "version": 1, "owner": personId,
 *    "people": [...], "ties": [...], "touches": [...], "intros": [...]}
 *
 * A person has at least `id` and `name`; a tie `id`, `from`, `to`; a touch `id`,
 * `personIds`, `at`; an intro `id`, `a`, `b`, `state`. Fields the model has no place for are
 * kept (in `extra`) and written back out at the top level of their record, so
 * export → import → export gives the same data. People in the trash are exported too.
 */
import * as Y from 'yjs';
import {
  INTRO_OUTCOMES,
  INTRO_STATES,
  STAKES,
  TOUCH_CHANNELS,
  VETTING_PARTS,
  VitrineError,
  checkExtra,
  isIsoDate,
  listReminders,
  putReminder,
  rawList,
  type Intro,
  type Notebook,
  type Person,
  type Tie,
  type Touch,
} from '../model/index.ts';
import {
  applyPerson,
  checkPerson,
  type PersonInput,
  type PersonPatch,
} from '../model/commands/people.ts';
import { checkTie } from '../model/commands/ties.ts';
import { dropBadContacts } from '../model/contact.ts';
import { cadenceProblem, dateProblem } from '../time/dates.ts';
import { setField } from '../model/commands/write.ts';
import type { EntityMap } from '../model/notebook.ts';

/** The `format` field of a Vitrine JSON file. */
export const JSON_FORMAT = 'vitrine';
/** The newest Vitrine JSON `version` this code reads and writes. */
export const JSON_VERSION = 1;

/** A parsed Vitrine JSON file (records as they came; see the module comment). */
export interface VitrineJson {
  format: 'vitrine';
  version: number;
  owner?: string;
  people: Record<string, unknown>[];
  ties: Record<string, unknown>[];
  touches: Record<string, unknown>[];
  intros: Record<string, unknown>[];
  /** Today's snoozes and dismissals (`key`, `snoozedUntil` or `dismissedAt`); optional. */
  reminders?: Record<string, unknown>[];
}

/** What an import did, for the CLI summary and the app's preview. */
export interface ImportSummary {
  added: number;
  merged: number;
  unchanged: number;
  skipped: { ref: string; reason: string }[];
  ties: number;
  touches: number;
  intros: number;
  /** Rows read with a caveat (a date not understood, a relation not made). Contacts formats only. */
  warnings?: { ref: string; reason: string }[];
}

/** A summary of an import that did nothing yet. */
export function emptySummary(): ImportSummary {
  return { added: 0, merged: 0, unchanged: 0, skipped: [], ties: 0, touches: 0, intros: 0 };
}

function withExtra<T extends { extra?: Readonly<Record<string, unknown>> }>(
  e: T,
): Record<string, unknown> {
  const { extra, ...known } = e;
  return { ...(extra ?? {}), ...known };
}

function personJson(p: Person): Record<string, unknown> {
  const vetting: Record<string, unknown> = {};
  for (const part of VETTING_PARTS) {
    if (p.vetting[part].status !== 'unknown' || p.vetting[part].note)
      vetting[part] = p.vetting[part];
  }
  const out = withExtra(p);
  for (const key of ['emails', 'phones', 'links', 'tags'] as const) {
    if (!p[key].length) delete out[key];
  }
  if (!p.notes) delete out.notes;
  if (!p.underGlass) delete out.underGlass;
  delete out.vetting;
  if (Object.keys(vetting).length) out.vetting = vetting;
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The whole notebook as Vitrine JSON (every record, sorted by id for stable output). */
export function exportJson(nb: Notebook): VitrineJson {
  const reminders = listReminders(nb);
  return {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    ...(nb.ownerId ? { owner: nb.ownerId } : {}),
    people: [...rawList(nb, 'people')].sort(byId).map(personJson),
    ties: [...rawList(nb, 'ties')].sort(byId).map((t: Tie) => withExtra(t)),
    touches: [...rawList(nb, 'touches')].sort(byId).map((t: Touch) => withExtra(t)),
    intros: [...rawList(nb, 'intros')].sort(byId).map((i: Intro) => withExtra(i)),
    ...(reminders.length ? { reminders } : {}),
  };
}

/** Parse Vitrine JSON text, or say what is wrong with it. */
export function parseVitrineJson(text: string, name = 'The file'): VitrineJson {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new VitrineError(
      `${name} is not valid JSON (${(e as Error).message}). Check that it is a Vitrine JSON export.`,
    );
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new VitrineError(
      `${name} is JSON but not a Vitrine notebook (expected an object with "format": "vitrine").`,
    );
  }
  const d = data as Record<string, unknown>;
  if (d.format !== JSON_FORMAT) {
    throw new VitrineError(
      `${name} is JSON but not a Vitrine notebook (its "format" is not "vitrine").`,
    );
  }
  checkVersion(d.version, name);
  for (const key of ['people', 'ties', 'touches', 'intros'] as const) {
    if (d[key] === undefined) d[key] = [];
    if (!Array.isArray(d[key])) throw new VitrineError(`${name}: "${key}" must be a list.`);
  }
  if (d.owner !== undefined && typeof d.owner !== 'string') {
    throw new VitrineError(`${name}: "owner" must be a person id.`);
  }
  const json = d as unknown as VitrineJson;
  checkUnknownFields(json, name);
  return json;
}

/** Refuse a `version` that is not a whole number from 1 to {@link JSON_VERSION}, saying why. */
function checkVersion(version: unknown, name: string): void {
  if (typeof version === 'number' && Number.isInteger(version) && version >= 1) {
    if (version <= JSON_VERSION) return;
    throw new VitrineError(
      `${name} is Vitrine JSON version ${version}, newer than this Vitrine reads (${JSON_VERSION}). Update Vitrine.`,
    );
  }
  const wanted = `Vitrine JSON files have "version": ${JSON_VERSION} (a number)`;
  if (version === undefined) {
    throw new VitrineError(
      `${name} has no "version"; ${wanted}. Add "version": ${JSON_VERSION} if the file follows this format, and import again.`,
    );
  }
  if (typeof version === 'string') {
    const n = /^\s*\d+\s*$/.test(version) ? Number(version) : undefined;
    const shown = version.length > 40 ? `${version.slice(0, 40)}…` : version;
    throw new VitrineError(
      n !== undefined && n >= 1
        ? `${name} says "version": "${shown}" (text); Vitrine JSON files have "version": ${n} (a number). Remove the quotes around ${n} and import again.`
        : `${name} says "version": "${shown}" (text); ${wanted}. Check that it is a Vitrine JSON export.`,
    );
  }
  if (typeof version === 'number') {
    throw new VitrineError(
      `${name} says "version": ${version}, which no Vitrine ever wrote (versions are whole numbers from 1). Check that it is a Vitrine JSON export.`,
    );
  }
  const shown =
    version === null
      ? 'null'
      : Array.isArray(version)
        ? 'a list'
        : typeof version === 'object'
          ? 'an object'
          : String(version);
  throw new VitrineError(
    `${name} has ${shown} as its "version"; ${wanted}. Check that it is a Vitrine JSON export.`,
  );
}

const RECORD_KINDS = [
  ['people', 'person'],
  ['ties', 'tie'],
  ['touches', 'touch'],
  ['intros', 'introduction'],
] as const;

/**
 * Refuse the whole file when a field the model has no place for is not plain JSON within
 * `EXTRA_LIMITS` (a field nested 5,000 deep once imported "fine" and left a notebook no
 * command could open): the sentence names the record and the field. Runs before anything
 * is written.
 */
function checkUnknownFields(data: VitrineJson, name: string): void {
  for (const [key, kind] of RECORD_KINDS) {
    const known = KNOWN_KEYS[key];
    data[key].forEach((rec, i) => {
      if (rec && typeof rec === 'object' && !Array.isArray(rec)) {
        extraFields(rec, known, `${name}: ${label(kind, rec, i)}`);
      }
    });
  }
}

const PERSON_KEYS = new Set([
  'id',
  'name',
  'org',
  'role',
  'emails',
  'phones',
  'links',
  'tags',
  'location',
  'birthday',
  'howWeMet',
  'notes',
  'vetting',
  'underGlass',
  'cadenceDays',
  'createdAt',
  'deletedAt',
  'mergedInto',
]);
const TIE_KEYS = new Set([
  'id',
  'from',
  'to',
  'kind',
  'strength',
  'since',
  'introId',
  'introducedBy',
  'note',
  'cadenceDays',
  'createdAt',
]);
const TOUCH_KEYS = new Set(['id', 'personIds', 'at', 'channel', 'note', 'createdAt']);
const INTRO_KEYS = new Set([
  'id',
  'a',
  'b',
  'by',
  'state',
  'purpose',
  'stakes',
  'expectations',
  'outcome',
  'outcomeNote',
  'followUpAt',
  'overrideReason',
  'declinedBy',
  'tieId',
  'history',
  'createdAt',
]);

const KNOWN_KEYS = { people: PERSON_KEYS, ties: TIE_KEYS, touches: TOUCH_KEYS, intros: INTRO_KEYS };

/** A record's fields the model has no place for, checked (see `checkExtra`). */
function extraFields(
  rec: Record<string, unknown>,
  known: Set<string>,
  what = 'A record',
): Record<string, unknown> | undefined {
  // Prototype-free: a field named "__proto__" must be refused by name, not become a prototype.
  const extra = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec)) if (!known.has(k) && v !== undefined) extra[k] = v;
  return checkExtra(extra, what);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

function date(v: unknown): string | undefined {
  return isIsoDate(v) ? v : undefined;
}

function label(kind: string, rec: Record<string, unknown>, index: number): string {
  return `${kind} ${typeof rec.id === 'string' ? `"${rec.id}"` : `#${index + 1}`}`;
}

/**
 * Import Vitrine JSON into a notebook as one undoable step. Records with the same id as
 * one already in the notebook update it (so importing the same file twice changes
 * nothing); a bad record is skipped with its reason; the file's owner maps to this
 * notebook's owner.
 */
export function importJson(nb: Notebook, data: VitrineJson): ImportSummary {
  const summary = emptySummary();
  const skip = (ref: string, reason: string): void => {
    summary.skipped.push({ ref, reason });
  };
  // Checked before the transaction: a throw inside one would leave half an import behind.
  checkUnknownFields(data, 'The file');
  const warn = (ref: string, reason: string): void => {
    (summary.warnings ??= []).push({ ref, reason });
  };
  // An impossible date or cadence costs only that field, with a sentence.
  const checkedDate = (v: unknown, ref: string, what: string): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    const problem = dateProblem(v, what);
    if (problem) warn(ref, `${problem} It was left out.`);
    return problem ? undefined : (v as string);
  };
  const checkedCadence = (v: unknown, ref: string): number | undefined => {
    if (v === undefined || v === null) return undefined;
    const problem = cadenceProblem(v);
    if (problem) warn(ref, `${problem} It was left out.`);
    return problem ? undefined : (v as number);
  };
  const fileOwner = data.owner;
  const mapId = (id: string) => (fileOwner && id === fileOwner && nb.ownerId ? nb.ownerId : id);
  nb.migrate();
  nb.write(() => {
    const known = new Set<string>(nb.people.keys());
    const needOwner = !nb.ownerId;
    data.people.forEach((rec, i) => {
      if (!rec || typeof rec !== 'object') return skip(`person #${i + 1}`, 'not a record');
      const id = str(rec.id);
      const name = str(rec.name);
      if (!id || !name) {
        return skip(label('person', rec, i), !id ? 'it has no id' : 'it has no name');
      }
      const target = mapId(id);
      if (target !== id) return; // the file's owner is this notebook's owner
      let patch: PersonPatch;
      try {
        const input = personInput(rec);
        input.cadenceDays = checkedCadence(rec.cadenceDays, label('person', rec, i)) ?? null;
        const checked = dropBadContacts(input);
        for (const reason of checked.problems) warn(label('person', rec, i), reason);
        patch = checkPerson(checked.fields);
      } catch (e) {
        return skip(label('person', rec, i), (e as Error).message);
      }
      let map = nb.people.get(target);
      const exists = map instanceof Y.Map;
      if (!exists) {
        map = new Y.Map<unknown>();
        nb.people.set(target, map);
        map.set('createdAt', date(rec.createdAt) ?? nb.stamp());
        map.set('notes', new Y.Text());
      }
      const before = exists ? fingerprint(map!) : '';
      applyPerson(map!, patch);
      setField(
        map!,
        'deletedAt',
        checkedDate(rec.deletedAt, label('person', rec, i), 'The date it went to the trash'),
      );
      setField(map!, 'mergedInto', str(rec.mergedInto));
      known.add(target);
      if (!exists) summary.added++;
      else {
        const after = fingerprint(map!);
        if (after === undefined || after !== before) summary.merged++;
        else summary.unchanged++;
      }
    });
    if (needOwner && fileOwner && known.has(fileOwner)) nb.meta.set('owner', fileOwner);
    const person = (v: unknown) => {
      const id = str(v);
      if (!id) return undefined;
      const m = mapId(id);
      return known.has(m) ? m : undefined;
    };
    data.ties.forEach((rec, i) => {
      const ref = label('tie', rec ?? {}, i);
      const id = str(rec?.id);
      const from = person(rec?.from);
      const to = person(rec?.to);
      if (!id) return skip(ref, 'it has no id');
      if (!from || !to) return skip(ref, 'one of its people is not in the file or the notebook');
      if (from === to) return skip(ref, 'it ties a person to themselves');
      let fields: Map<string, unknown>;
      try {
        fields = checkTie({
          kind: str(rec.kind) ?? 'acquaintance',
          strength:
            typeof rec.strength === 'number' && rec.strength >= 1 && rec.strength <= 5
              ? rec.strength
              : 3,
          since: checkedDate(rec.since, ref, 'The date a tie started'),
          note: str(rec.note),
          cadenceDays: checkedCadence(rec.cadenceDays, ref),
          introId: str(rec.introId),
          introducedBy: str(rec.introducedBy) && person(rec.introducedBy),
          extra: extraFields(rec, TIE_KEYS),
        });
      } catch (e) {
        return skip(ref, (e as Error).message);
      }
      const map = entityFor(nb.ties, id, rec.createdAt, nb);
      setField(map, 'from', from);
      setField(map, 'to', to);
      for (const [key, value] of fields) setField(map, key, value);
      summary.ties++;
    });
    data.touches.forEach((rec, i) => {
      const ref = label('touch', rec ?? {}, i);
      const id = str(rec?.id);
      if (!id) return skip(ref, 'it has no id');
      const ids = Array.isArray(rec.personIds) ? rec.personIds.map(person) : [];
      if (!ids.length || ids.some((x) => x === undefined)) {
        return skip(ref, 'its people are missing or not in the file');
      }
      const at = date(rec.at);
      if (!at) {
        return skip(
          ref,
          `its date "${String(rec.at)}" is not an ISO 8601 date that exists (write it like 2025-12-07, or a date-time with a time zone)`,
        );
      }
      const map = entityFor(nb.touches, id, rec.createdAt, nb);
      setField(map, 'personIds', [...new Set(ids as string[])]);
      setField(map, 'at', at);
      setField(
        map,
        'channel',
        (TOUCH_CHANNELS as readonly unknown[]).includes(rec.channel) ? rec.channel : 'other',
      );
      setField(map, 'note', str(rec.note));
      setField(map, 'extra', extraFields(rec, TOUCH_KEYS));
      summary.touches++;
    });
    data.intros.forEach((rec, i) => {
      const ref = label('introduction', rec ?? {}, i);
      const id = str(rec?.id);
      if (!id) return skip(ref, 'it has no id');
      const a = person(rec.a);
      const b = person(rec.b);
      const by = person(rec.by) ?? nb.ownerId;
      if (!a || !b || !by) return skip(ref, 'one of its people is not in the file or the notebook');
      if (!(INTRO_STATES as readonly unknown[]).includes(rec.state)) {
        return skip(
          ref,
          `its state "${String(rec.state)}" is not one of ${INTRO_STATES.join(', ')}`,
        );
      }
      const map = entityFor(nb.intros, id, rec.createdAt, nb);
      setField(map, 'a', a);
      setField(map, 'b', b);
      setField(map, 'by', by);
      setField(map, 'state', rec.state);
      setField(
        map,
        'stakes',
        (STAKES as readonly unknown[]).includes(rec.stakes) ? rec.stakes : 'low',
      );
      for (const key of [
        'purpose',
        'expectations',
        'outcomeNote',
        'overrideReason',
        'tieId',
      ] as const) {
        setField(map, key, str(rec[key]));
      }
      setField(map, 'declinedBy', person(rec.declinedBy));
      setField(
        map,
        'outcome',
        (INTRO_OUTCOMES as readonly unknown[]).includes(rec.outcome) ? rec.outcome : undefined,
      );
      setField(map, 'followUpAt', checkedDate(rec.followUpAt, ref, 'The follow-up date'));
      setField(map, 'extra', extraFields(rec, INTRO_KEYS));
      const steps = Array.isArray(rec.history)
        ? rec.history.filter(
            (s: unknown): s is { state: string; at: string } =>
              !!s &&
              typeof s === 'object' &&
              (INTRO_STATES as readonly unknown[]).includes((s as { state?: unknown }).state) &&
              isIsoDate((s as { at?: unknown }).at),
          )
        : [];
      let history = map.get('history');
      if (!(history instanceof Y.Array)) {
        history = new Y.Array<unknown>();
        map.set('history', history);
      }
      const h = history as Y.Array<unknown>;
      const have = new Set(h.toArray().map((s) => JSON.stringify(s)));
      const add = steps
        .map((s) => ({ state: s.state, at: s.at }))
        .filter((s) => !have.has(JSON.stringify(s)));
      if (add.length) h.push(add);
      summary.intros++;
    });
    (Array.isArray(data.reminders) ? data.reminders : []).forEach((rec, i) => {
      const problem = rec && typeof rec === 'object' ? putReminder(nb, rec) : 'not a record';
      if (problem) skip(label('snooze or dismissal', rec ?? {}, i), problem);
    });
  });
  return summary;
}

/**
 * The stored state of an entity as text, for "did the import change it"; `undefined` when
 * a peer stored a value JSON cannot hold (a BigInt), which counts as changed. Never throws.
 */
function fingerprint(map: EntityMap): string | undefined {
  try {
    return JSON.stringify(map.toJSON());
  } catch {
    return undefined;
  }
}

function entityFor(
  collection: Y.Map<EntityMap>,
  id: string,
  createdAt: unknown,
  nb: Notebook,
): EntityMap {
  const existing = collection.get(id);
  if (existing instanceof Y.Map) return existing;
  const map = new Y.Map<unknown>();
  collection.set(id, map);
  map.set('createdAt', date(createdAt) ?? nb.stamp());
  return map;
}

function personInput(rec: Record<string, unknown>): PersonInput {
  const list = (v: unknown) =>
    Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string')
      : typeof v === 'string'
        ? [v]
        : [];
  const input: PersonInput = {
    name: rec.name as string,
    org: str(rec.org),
    role: str(rec.role),
    emails: list(rec.emails),
    phones: list(rec.phones),
    links: list(rec.links),
    tags: list(rec.tags),
    location: str(rec.location),
    birthday: str(rec.birthday),
    howWeMet: str(rec.howWeMet),
    notes: typeof rec.notes === 'string' ? rec.notes : '',
    underGlass: rec.underGlass === true,
    cadenceDays:
      typeof rec.cadenceDays === 'number' && rec.cadenceDays > 0 ? rec.cadenceDays : null,
    extra: extraFields(rec, PERSON_KEYS),
  };
  if (rec.vetting && typeof rec.vetting === 'object') {
    const v = rec.vetting as Record<string, unknown>;
    input.vetting = {};
    for (const part of VETTING_PARTS) {
      const e = v[part] as Record<string, unknown> | undefined;
      if (e && typeof e === 'object' && typeof e.status === 'string') {
        input.vetting[part] = {
          status: e.status as never,
          vouchedBy: str(e.vouchedBy),
          note: str(e.note),
        };
      }
    }
  }
  return input;
}
