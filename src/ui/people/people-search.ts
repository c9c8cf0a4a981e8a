/**
 * Search over people by name, organisation, role, tag and notes. The lower-cased text of
 * each person is cached per `Person` object (read objects are immutable and replaced on
 * change), so typing re-scans 10,000 cached strings, not 10,000 people.
 */
import type { Person } from '../../model/index.ts';

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

/** By name, then by id: a total order, so patching and sorting afresh agree exactly. */
const byName = (a: Person, b: Person) =>
  collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * People sorted by name (memoised on the list's identity). When the list changed by a few
 * people — someone added or edited — the previous order is patched: the unchanged people
 * keep their places and the changed ones are inserted by binary search, instead of sorting
 * 10,000 names with the collator again.
 */
export function sortByName(people: readonly Person[]): readonly Person[] {
  if (people === sortedFor) return sorted;
  const previous = sortedFor;
  sortedFor = people;
  if (previous && people.length > 64) {
    const now = new Set(people);
    const before = new Set(previous);
    const fresh = people.filter((p) => !before.has(p));
    if (fresh.length <= 32) {
      const next = sorted.filter((p) => now.has(p));
      for (const p of fresh) {
        let lo = 0;
        let hi = next.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (byName(next[mid]!, p) <= 0) lo = mid + 1;
          else hi = mid;
        }
        next.splice(lo, 0, p);
      }
      sorted = next;
      return sorted;
    }
  }
  sorted = [...people].sort(byName);
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
