/**
 * A seeded generator of realistic notebooks for benchmarks: people in organisations of
 * 5–120, about five ties per person mostly inside their organisation (some across), the
 * owner tied to about 30%, about ten touches per person over two years, tags, cadences,
 * notes and a few introductions. Deterministic for a given (people, seed).
 *
 * It writes through the model's own field writers in one transaction (the per-command
 * path checks every reference against the read caches, which is the thing measured
 * separately as "time per command").
 */
import * as Y from 'yjs';
import { Notebook, initNotebook } from '../../src/model/index.ts';
import { applyPerson, checkPerson } from '../../src/model/commands/people.ts';
import { checkTie } from '../../src/model/commands/ties.ts';
import { writeLogRows, type LogRow } from '../../src/model/touch-log.ts';
import { rng } from '../helpers/notebook.ts';

const FIRST = [
  'Ana',
  'Bo',
  'Chen',
  'Dara',
  'Eli',
  'Femi',
  'Gita',
  'Hugo',
  'Iris',
  'Jon',
  'Kai',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tomás',
  'Uma',
  'Vik',
  'Wen',
  'Yara',
  'Zoë',
];
const LAST = [
  'Silva',
  'Okafor',
  'Nakamura',
  'Müller',
  'Haddad',
  'Kowalski',
  'Ndiaye',
  'Larsen',
  'García',
  'Novak',
  'Ibrahim',
  'Chen',
  'Rossi',
  'Dubois',
  'Singh',
  'Ó Briain',
];
const ROLES = [
  'Engineer',
  'Designer',
  'Founder',
  'CTO',
  'Recruiter',
  'Investor',
  'PM',
  'Lawyer',
  'Analyst',
  'Consultant',
];
const TAGS = [
  'client',
  'friend',
  'investor',
  'alumni',
  'board',
  'press',
  'speaker',
  'hiring',
  'climate',
  'fintech',
];
const CHANNELS = [
  'coffee',
  'call',
  'email',
  'message',
  'meeting',
  'event',
  'favour-given',
  'favour-received',
] as const;
const KINDS = ['colleague', 'friend', 'client', 'mentor', 'peer', 'acquaintance'] as const;

export interface GeneratedNotebook {
  nb: Notebook;
  ids: string[];
}

/** How many touches, and how the imported ones are stored. */
export interface TouchOptions {
  /** Touches per person (default 10). */
  perPerson?: number;
  /**
   * Of those, how many per person came from imports (mail, calendars; default none):
   * written to the light touch log (`log`), or one lean map each as versions before
   * decision 0012 wrote them (`maps`).
   */
  importedPerPerson?: number;
  layout?: 'log' | 'maps';
}

/** Build a notebook with `people` people (plus the owner), ~5 ties and ~10 touches each. */
export function generateNotebook(
  people: number,
  seed = 1,
  touchOptions: TouchOptions = {},
): GeneratedNotebook {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let n = 0;
  const doc = new Y.Doc();
  doc.clientID = seed;
  const nb = new Notebook(doc, {
    newId: () => `g${(++n).toString(36).padStart(5, '0')}`,
    now: () => new Date(Date.UTC(2026, 5, 1)),
  });
  const owner = initNotebook(nb, 'Owner');
  const ids: string[] = [];
  const orgOf: number[] = [];
  const orgs: { name: string; members: number[] }[] = [];
  while (orgs.reduce((s, o) => s + o.members.length, 0) < people) {
    const size = 5 + Math.floor(r() ** 2 * 115);
    orgs.push({
      name: `${pick(LAST)} ${pick(['Labs', 'Partners', 'Group', 'Studio', 'Capital', 'Health'])} ${orgs.length}`,
      members: Array(size).fill(0),
    });
  }
  const day = (d: number) =>
    new Date(Date.UTC(2026, 5, 1) - d * 86_400_000).toISOString().slice(0, 10);
  nb.write(() => {
    let i = 0;
    for (let o = 0; o < orgs.length && i < people; o++) {
      const org = orgs[o]!;
      for (let k = 0; k < org.members.length && i < people; k++, i++) {
        const id = nb.newId();
        const map = new Y.Map<unknown>();
        nb.people.set(id, map);
        map.set('createdAt', `${day(700 + Math.floor(r() * 300))}T09:00:00.000Z`);
        map.set('notes', new Y.Text());
        const first = pick(FIRST);
        const last = pick(LAST);
        applyPerson(
          map,
          checkPerson({
            name: `${first} ${last}`,
            org: org.name,
            role: pick(ROLES),
            emails: [`${first}.${last}.${i}@example.org`.toLowerCase().replace(/[^a-z0-9.@]/g, '')],
            tags: r() < 0.6 ? [pick(TAGS), ...(r() < 0.3 ? [pick(TAGS)] : [])] : [],
            notes:
              r() < 0.3
                ? `Met at ${pick(['a conference', 'a dinner', 'work', 'school'])}. ${pick(['Sharp and kind.', 'Knows everyone in ' + org.name + '.', 'Prefers email.'])}`
                : '',
            cadenceDays: r() < 0.2 ? pick([14, 30, 60, 90]) : undefined,
            vetting:
              r() < 0.2
                ? { intention: { status: 'first-hand' }, character: { status: 'heard' } }
                : undefined,
          }),
        );
        ids.push(id);
        orgOf.push(o);
        org.members[k] = ids.length - 1;
      }
    }
    const tie = (a: string, b: string, kind: string, strength: number) => {
      const map = new Y.Map<unknown>();
      nb.ties.set(nb.newId(), map);
      map.set('from', a);
      map.set('to', b);
      map.set('createdAt', `${day(Math.floor(r() * 600))}T10:00:00.000Z`);
      for (const [key, value] of checkTie({
        kind,
        strength,
        since: day(400 + Math.floor(r() * 3000)),
      })) {
        if (value !== undefined) map.set(key, value);
      }
    };
    const tiesWanted = people * 5;
    let made = 0;
    for (let p = 0; p < people && made < tiesWanted; p++) {
      if (r() < 0.3) {
        tie(owner, ids[p]!, pick(KINDS), 1 + Math.floor(r() * 5));
        made++;
      }
    }
    while (made < tiesWanted) {
      const a = Math.floor(r() * people);
      const org = orgs[orgOf[a]!]!;
      const b =
        r() < 0.85 ? org.members[Math.floor(r() * org.members.length)]! : Math.floor(r() * people);
      if (a === b) continue;
      tie(ids[a]!, ids[b]!, pick(KINDS), 1 + Math.floor(r() * 5));
      made++;
    }
    const perPerson = touchOptions.perPerson ?? 10;
    const hand = people * (perPerson - (touchOptions.importedPerPerson ?? 0));
    const imported: LogRow[] = [];
    for (let t = 0; t < people * perPerson; t++) {
      const a = ids[Math.floor(r() ** 1.5 * people)]!;
      const personIds = r() < 0.1 ? [a, ids[Math.floor(r() * people)]!] : [a];
      if (t >= hand) {
        // An imported message or meeting: a source key, no createdAt (as applyActivity).
        const mail = r() < 0.7;
        const row: LogRow = {
          personIds: [...new Set(personIds)],
          at: mail
            ? `${day(Math.floor(r() * 730))}T${String(8 + (t % 10)).padStart(2, '0')}:00:00Z`
            : day(Math.floor(r() * 730)),
          channel: mail ? 'email' : 'meeting',
          source: mail
            ? `mail:<${t}.${seed}@mail.example.org>`
            : `ics:event-${t}@calendar.example.org`,
          attendees: r() < 0.2 ? 3 + Math.floor(r() * 5) : undefined,
        };
        if (touchOptions.layout !== 'maps') imported.push(row);
        else {
          const map = new Y.Map<unknown>();
          nb.touches.set(nb.newId(), map);
          map.set('personIds', row.personIds);
          map.set('at', row.at);
          map.set('channel', row.channel);
          map.set('source', row.source);
          if (row.attendees !== undefined) map.set('attendees', row.attendees);
        }
        continue;
      }
      const map = new Y.Map<unknown>();
      nb.touches.set(nb.newId(), map);
      map.set('personIds', personIds);
      map.set('at', day(Math.floor(r() * 730)));
      map.set('channel', pick(CHANNELS));
      if (r() < 0.2)
        map.set(
          'note',
          pick([
            'Caught up on the new role.',
            'Asked about hiring.',
            'Sent the deck.',
            'Lunch near the office.',
          ]),
        );
      map.set('createdAt', `${day(Math.floor(r() * 730))}T12:00:00.000Z`);
    }
    writeLogRows(nb, imported);
    for (let k = 0; k < Math.max(5, people / 50); k++) {
      const map = new Y.Map<unknown>();
      nb.intros.set(nb.newId(), map);
      map.set('a', pick(ids));
      map.set('b', pick(ids));
      map.set('by', owner);
      map.set('state', pick(['idea', 'asked-a', 'asked-b', 'introduced', 'declined']));
      map.set('stakes', pick(['low', 'high']));
      map.set('purpose', 'They should talk about hiring.');
      map.set('createdAt', `${day(Math.floor(r() * 300))}T08:00:00.000Z`);
      const history = new Y.Array<unknown>();
      map.set('history', history);
      history.push([{ state: 'idea', at: `${day(300)}T08:00:00.000Z` }]);
    }
  });
  return { nb, ids };
}
