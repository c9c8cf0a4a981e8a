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
import {
  PERSON_FIELDS,
  RECORDS,
  VETTING_PARTS,
  VitrineError,
  emptySummary,
  fieldsOf,
  listReminders,
  putReminder,
  rawList,
  readRecords,
  restoreRecords,
  type ImportSummary,
  type Notebook,
  type Person,
  type Fields,
  type ReadRecords,
} from '../model/index.ts';

export { emptySummary, type ImportSummary };

/** The `format` field of a Vitrine JSON file. */
export const JSON_FORMAT = 'vitrine';
/** The newest Vitrine JSON `version` this code reads and writes. */
export const JSON_VERSION = 1;

/** A Vitrine JSON file: its records as the model's readers give them (see the module comment). */
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

/**
 * A Vitrine JSON file as read by {@link parseVitrineJson}: its records checked once, by
 * the model's descriptions (`readRecords`), ready for {@link importJson}. Plain data, so an
 * import plan carries it from the worker.
 */
export type ParsedVitrineJson = ReadRecords & {
  format: 'vitrine';
  version: number;
  /** Today's snoozes and dismissals, as the file has them (checked on import). */
  reminders: Record<string, unknown>[];
};

/**
 * One record as Vitrine JSON: the fields the model has no place for first (as they came),
 * then every described field in its description's order, leaving out a person's empty
 * lists, empty notes, `underGlass: false` and vetting parts still unknown.
 */
function recordJson(
  fields: Fields,
  e: { id: string; extra?: Readonly<Record<string, unknown>> },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(e.extra ?? {}), id: e.id };
  const values = e as unknown as Record<string, unknown>;
  for (const [key, d] of fieldsOf(fields)) {
    const v = key === 'vetting' ? vettingJson(values[key] as Person['vetting']) : values[key];
    const empty = v === '' || v === false || (Array.isArray(v) && !v.length);
    if (v === undefined || (empty && fields === PERSON_FIELDS && d.kind !== 'date')) continue;
    out[key] = v;
  }
  return out;
}

/** The vetting parts someone knows something about (`undefined` when none). */
function vettingJson(vetting: Person['vetting']): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const part of VETTING_PARTS) {
    if (vetting[part].status !== 'unknown' || vetting[part].note) out[part] = vetting[part];
  }
  return Object.keys(out).length ? out : undefined;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The whole notebook as Vitrine JSON (every record, sorted by id for stable output). */
export function exportJson(nb: Notebook): VitrineJson {
  const out = {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    ...(nb.ownerId ? { owner: nb.ownerId } : {}),
  } as VitrineJson;
  for (const c of ['people', 'ties', 'touches', 'intros'] as const) {
    out[c] = [...rawList(nb, c)].sort(byId).map((e) => recordJson(RECORDS[c], e));
  }
  const reminders = listReminders(nb);
  if (reminders.length) out.reminders = reminders;
  return out;
}

/** Parse Vitrine JSON text, or say what is wrong with it. */
export function parseVitrineJson(text: string, name = 'The file'): ParsedVitrineJson {
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
  if (d.reminders !== undefined && !Array.isArray(d.reminders)) {
    throw new VitrineError(`${name}: "reminders" must be a list.`);
  }
  const reminders = (json.reminders ?? []) as Record<string, unknown>[];
  return {
    format: JSON_FORMAT,
    version: d.version as number,
    ...readRecords(json, name),
    reminders,
  };
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

/**
 * Import Vitrine JSON into a notebook as one undoable step (the model's `restoreRecords`):
 * records with the same id as one already in the notebook update it (so importing the same
 * file twice changes nothing); a bad record is skipped with its reason; the file's owner
 * maps to this notebook's owner.
 */
export function importJson(nb: Notebook, data: ParsedVitrineJson): ImportSummary {
  let summary = undefined as unknown as ImportSummary;
  nb.write(() => {
    summary = restoreRecords(nb, data);
    (data.reminders ?? []).forEach((rec, i) => {
      const problem = rec && typeof rec === 'object' ? putReminder(nb, rec) : 'not a record';
      const ref = `snooze or dismissal #${i + 1}`;
      if (problem) summary.skipped.push({ ref, reason: problem });
    });
  });
  return summary;
}
