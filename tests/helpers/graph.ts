/** Plain model objects for graph tests (the graph view takes selector output, not a notebook). */
import type { Person, Tie } from '../../src/model/index.ts';

const UNKNOWN = { status: 'unknown' } as const;

/** A person as `listPeople` would return them, with nothing known but the name. */
export function person(id: string, name = id, extra: Partial<Person> = {}): Person {
  return {
    id,
    name,
    emails: [],
    phones: [],
    links: [],
    tags: [],
    notes: '',
    vetting: {
      intention: UNKNOWN,
      treatsOthers: UNKNOWN,
      workingStyle: UNKNOWN,
      character: UNKNOWN,
    },
    underGlass: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

/** A tie as `listTies` would return it. */
export function tie(id: string, from: string, to: string, extra: Partial<Tie> = {}): Tie {
  return { id, from, to, kind: 'colleague', strength: 3, createdAt: '2025-01-01', ...extra };
}
