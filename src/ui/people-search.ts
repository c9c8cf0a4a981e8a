/**
 * Search over people by name, organisation, role, tag and notes. The lower-cased text of
 * each person is cached per `Person` object (read objects are immutable and replaced on
 * change), so typing re-scans 10,000 cached strings, not 10,000 people.
 */
import type { Person } from '../model/index.ts';

const haystacks = new WeakMap<Person, string>();
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function haystack(p: Person): string {
  let h = haystacks.get(p);
  if (h === undefined) {
    h = [p.name, p.org ?? '', p.role ?? '', p.tags.join(' '), p.location ?? '', p.notes]
      .join('\n')
      .toLocaleLowerCase();
    haystacks.set(p, h);
  }
  return h;
}

let sortedFor: readonly Person[] | undefined;
let sorted: readonly Person[] = [];

/** People sorted by name (memoised on the list's identity). */
export function sortByName(people: readonly Person[]): readonly Person[] {
  if (people !== sortedFor) {
    sorted = [...people].sort((a, b) => collator.compare(a.name, b.name));
    sortedFor = people;
  }
  return sorted;
}

/** People matching every word of `query` (in any field), in the order given. */
export function searchPeople(people: readonly Person[], query: string): readonly Person[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return people;
  return people.filter((p) => {
    const h = haystack(p);
    return words.every((w) => h.includes(w));
  });
}
