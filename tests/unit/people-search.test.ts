import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/model/index.ts';
import { searchPeople, sortByName } from '../../src/ui/people/people-search.ts';
import { rng } from '../helpers/notebook.ts';

const NAMES = [
  'Ana',
  'ana',
  'Bo',
  'Zoë',
  'Émile',
  'emile',
  'Chen',
  'Ola',
  'Priya',
  'Åsa',
  'Ben 2',
  'Ben 10',
];

function person(id: string, name: string, extra: Partial<Person> = {}): Person {
  return { id, name, tags: [], notes: '', ...extra } as unknown as Person;
}

function fullSort(people: readonly Person[]): string[] {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return [...people]
    .sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => p.id);
}

describe('sortByName', () => {
  it('patched after small changes, it is exactly the order a fresh sort gives', () => {
    const random = rng(5);
    const pick = () => NAMES[Math.floor(random() * NAMES.length)]! + (random() < 0.5 ? '' : ' X');
    let people = Array.from({ length: 300 }, (_, i) => person(`p${i}`, pick()));
    let next = 300;
    for (let round = 0; round < 60; round++) {
      const copy = [...people];
      const kind = round % 3;
      if (kind === 0) copy.push(person(`p${next++}`, pick()));
      if (kind === 1) copy.splice(Math.floor(random() * copy.length), 1);
      if (kind === 2) {
        const i = Math.floor(random() * copy.length);
        copy[i] = person(copy[i]!.id, pick());
      }
      people = copy;
      expect(
        sortByName(people).map((p) => p.id),
        `round ${round}`,
      ).toEqual(fullSort(people));
    }
    // A big change sorts afresh, with the same result.
    people = people.map((p) => person(p.id, pick()));
    expect(sortByName(people).map((p) => p.id)).toEqual(fullSort(people));
  });

  it('finds people by any word in any field', () => {
    const people = [
      person('a', 'Ana Lima', { org: 'Acme' }),
      person('b', 'Bo', { tags: ['investor'] }),
    ];
    expect(searchPeople(people, 'acme ana').map((p) => p.id)).toEqual(['a']);
    expect(searchPeople(people, 'INVEST').map((p) => p.id)).toEqual(['b']);
    expect(searchPeople(people, '  ')).toBe(people);
  });
});
