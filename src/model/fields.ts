/**
 * Field specs shared by readers and writers: which keys an entity map holds and what type
 * each must have. Readers use them to skip or repair what a peer or a file sent; writers
 * use them to refuse bad input before it reaches the document.
 */
import * as Y from 'yjs';

export type FieldKind =
  'string' | 'strings' | 'number' | 'boolean' | 'text' | 'date' | 'object' | 'steps';

export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: boolean;
}

export type Spec = Readonly<Record<string, FieldSpec>>;

/** Loose ISO 8601 date or date-time check (what `Date.parse` accepts in that shape). */
export function isIsoDate(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

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
      problems.push(`field "${key}" has the wrong type`);
      if (field.required) fatal = true;
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

/** Drop `undefined`/empty-string values so plain objects stay small and comparable. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === '') continue;
    out[k] = v;
  }
  return out as T;
}
