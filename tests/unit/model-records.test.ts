/**
 * One description of each record (issue 17, docs/decisions/0018): walks the descriptions in
 * src/model/records.ts, so a field that one place misses (the read spec, the stored record,
 * the JSON export, the JSON reader, the merge of duplicates) fails here.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  PERSON_FIELDS,
  RECORDS,
  fieldsOf,
  getPerson,
  mergePeople,
  rawList,
  specOf,
  type FieldDesc,
} from '../../src/model/index.ts';
import { exportJson, importJson, parseVitrineJson } from '../../src/io/json.ts';
import { testNotebook } from '../helpers/notebook.ts';

/** A value that fits a field of this description (not its default). */
function sample(key: string, d: FieldDesc): unknown {
  if (d.values) return d.values.find((v) => v !== d.default);
  switch (d.kind) {
    case 'string':
      return d.ref ? 'p2' : `a ${key}`;
    case 'strings':
      return d.ref ? ['p2'] : [`a ${key}`];
    case 'emails':
      return ['ana@example.com'];
    case 'links':
      return ['https://example.com/ana'];
    case 'number':
      return key === 'strength' ? 5 : 7;
    case 'cadence':
      return 30;
    case 'boolean':
      return true;
    case 'text':
      return 'some notes';
    case 'date':
      return '2026-03-04';
    case 'birthday':
      return '--04-02';
    case 'object':
      return { meetings: 2, conversations: 1, last: '2026-03-01' };
    case 'steps':
      return [{ state: 'idea', at: '2026-01-01' }];
    case 'vetting':
      return { intention: { status: 'first-hand' } };
  }
}

/** A record of collection `c` with every described field set. */
function fullRecord(c: keyof typeof RECORDS, id: string): Record<string, unknown> {
  const rec: Record<string, unknown> = { id };
  for (const [key, d] of fieldsOf(RECORDS[c])) rec[key] = sample(key, d);
  if (c === 'ties') Object.assign(rec, { from: 'p1', to: 'p2', provenance: 'inferred' });
  if (c === 'intros') Object.assign(rec, { a: 'p1', b: 'p2', by: 'p1', state: 'introduced' });
  if (c === 'people') delete rec.mergedInto;
  return rec;
}

describe('record descriptions', () => {
  it('every described field is in its read spec', () => {
    for (const fields of Object.values(RECORDS)) {
      const spec = specOf(fields);
      for (const [key, d] of fieldsOf(fields)) {
        if (d.kind === 'vetting')
          expect(Object.keys(spec).some((k) => k.startsWith('v:'))).toBe(true);
        else expect(spec[key]?.kind, key).toBe(d.kind);
      }
    }
  });

  it('every described field is written, exported to JSON, read back and exported the same', () => {
    const file = {
      format: 'vitrine',
      version: 1,
      people: [fullRecord('people', 'p1'), { id: 'p2', name: 'Bo' }],
      ties: [fullRecord('ties', 't1')],
      touches: [fullRecord('touches', 'x1')],
      intros: [fullRecord('intros', 'i1')],
    };
    const nb = testNotebook({ owner: false });
    const summary = importJson(nb, parseVitrineJson(JSON.stringify(file)));
    expect(summary.skipped).toEqual([]);
    for (const c of ['people', 'ties', 'touches', 'intros'] as const) {
      const read = rawList(nb, c).find((r) => r.id === file[c][0]!.id) as Record<string, unknown>;
      expect(read, c).toBeDefined();
      // Nothing described ends up among the fields the model has no place for.
      expect(read.extra, c).toBeUndefined();
      for (const [key] of fieldsOf(RECORDS[c])) {
        if ((key as string) === 'mergedInto') continue;
        expect(read[key], `${c}.${key} read back`).toBeDefined();
      }
    }
    const out = exportJson(nb);
    for (const c of ['people', 'ties', 'touches', 'intros'] as const) {
      const rec = out[c].find((r) => r.id === file[c][0]!.id)!;
      for (const [key] of fieldsOf(RECORDS[c])) {
        if ((key as string) === 'mergedInto') continue;
        expect(rec[key], `${c}.${key} exported`).toBeDefined();
      }
    }
    const again = testNotebook({ owner: false });
    importJson(again, parseVitrineJson(JSON.stringify(out)));
    expect(exportJson(again)).toEqual(out);
  });

  it('every person field has a merge rule, and a merge keeps what the rule says', () => {
    const nb = testNotebook({ owner: false });
    const file = {
      format: 'vitrine',
      version: 1,
      people: [{ id: 'keep', name: 'Ana' }, fullRecord('people', 'drop'), { id: 'p2', name: 'Bo' }],
    };
    importJson(nb, parseVitrineJson(JSON.stringify(file)));
    nb.write(() => (nb.people.get('drop') as Y.Map<unknown>).delete('deletedAt'));
    mergePeople(nb, 'keep', 'drop');
    const kept = getPerson(nb, 'keep') as unknown as Record<string, unknown>;
    const drop = fullRecord('people', 'drop');
    for (const [key, d] of fieldsOf(PERSON_FIELDS)) {
      expect(d.merge, key).toBeDefined();
      if (d.merge === 'keep') continue;
      if (d.merge === 'best') expect(kept.vetting).toMatchObject(drop.vetting as object);
      else expect(kept[key], `${key} merged`).toEqual(drop[key]);
    }
  });
});
