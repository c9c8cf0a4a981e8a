/**
 * Field specs shared by readers and writers: which keys an entity map holds and what type
 * each must have. Readers use them to skip or repair what a peer or a file sent; writers
 * use them to refuse bad input before it reaches the document.
 */
import * as Y from 'yjs';
import { MAX_CADENCE_DAYS, isBirthday, isCadence, isIsoDate, isIsoDay } from '../time/dates.ts';
import { CONTACT_CHECKS } from './contact.ts';

export { isIsoDate };

export type FieldKind =
  | 'string'
  | 'strings'
  | 'number'
  | 'boolean'
  | 'text'
  | 'date'
  | 'birthday'
  | 'cadence'
  | 'links'
  | 'emails'
  | 'object'
  | 'steps';

export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: boolean;
}

export type Spec = Readonly<Record<string, FieldSpec>>;

/** Does `value` fit a field of `kind`? */
export function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'text':
      return value instanceof Y.Text || typeof value === 'string';
    case 'date':
      return isIsoDate(value);
    case 'birthday':
      return isBirthday(value);
    case 'cadence':
      return isCadence(value);
    case 'links':
    case 'emails':
      return fits('strings', value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'steps':
      return value instanceof Y.Array;
  }
}

export interface ParsedFields {
  /** Known fields that fit, as plain values (`Y.Text` as its string). */
  readonly fields: Record<string, unknown>;
  /** Keys the spec does not know, kept as they came. */
  readonly unknown: Record<string, unknown>;
  /** Problems found, in words; a problem with a required field means "skip this entity". */
  readonly problems: string[];
  readonly fatal: boolean;
}

/** Read an entity map against its spec, never throwing. */
export function readFields(map: Y.Map<unknown>, spec: Spec): ParsedFields {
  const fields: Record<string, unknown> = {};
  const unknown: Record<string, unknown> = {};
  const problems: string[] = [];
  let fatal = false;
  for (const [key, value] of map.entries()) {
    const field = spec[key];
    if (!field) {
      if (key === 'extra' && fits('object', value)) Object.assign(unknown, value);
      else if (!(value instanceof Y.AbstractType)) unknown[key] = value;
      continue;
    }
    if (!fits(field.kind, value)) {
      const day = field.kind === 'date' ? zonelessDay(value) : undefined;
      if (day !== undefined) {
        // Older versions accepted a date-time without a zone, which engines read as local
        // time or UTC as they please; its day is the part every engine agrees on.
        problems.push(`field "${key}" has a time but no time zone; read as ${day}`);
        fields[key] = day;
        continue;
      }
      problems.push(`field "${key}" ${wrongValue(field.kind, value)}`);
      if (field.required) fatal = true;
      continue;
    }
    if (field.kind === 'links' || field.kind === 'emails') {
      // What older versions stored (a bare `example.com`, a `mailto:` prefix) is read in
      // today's form; what no check would let through (`javascript:`) is dropped.
      const check = CONTACT_CHECKS[field.kind];
      const good: string[] = [];
      const bad: string[] = [];
      for (const v of value as string[]) {
        const ok = check.normalise(v);
        if (ok === undefined) bad.push(JSON.stringify(v.slice(0, 40)));
        else if (!good.includes(ok)) good.push(ok);
      }
      if (bad.length) {
        const what = field.kind === 'links' ? 'not a web link' : 'not an e-mail address';
        problems.push(`field "${key}": ignored ${bad.join(', ')} (${what})`);
      }
      fields[key] = good;
      continue;
    }
    fields[key] = value instanceof Y.Text ? value.toString() : value;
  }
  for (const [key, field] of Object.entries(spec)) {
    if (field.required && !(key in fields) && !problems.some((p) => p.includes(`"${key}"`))) {
      problems.push(`field "${key}" is missing`);
      fatal = true;
    }
  }
  return { fields, unknown, problems, fatal };
}

/** The day of a zoneless date-time an older version wrote (`2025-12-07T09:30`), if real. */
function zonelessDay(value: unknown): string | undefined {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
  ) {
    return undefined;
  }
  const day = value.slice(0, 10);
  return isIsoDay(day) ? day : undefined;
}

function wrongValue(kind: FieldKind, value: unknown): string {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  switch (kind) {
    case 'date':
    case 'birthday':
      return `is not a real date (${shown})`;
    case 'cadence':
      return `is not a cadence of 1 to ${MAX_CADENCE_DAYS} days (${shown}); ignored`;
    default:
      return 'has the wrong type';
  }
}

/** Drop `undefined`/empty-string values so plain objects stay small and comparable. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === '') continue;
    out[k] = v;
  }
  return out as T;
}
