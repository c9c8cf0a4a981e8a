/**
 * The sample network offered on first run: a connector's notebook of about a hundred people
 * in six clusters (a former employer, climate founders, a design community, investors,
 * university friends, family and neighbours), with ties inside and across clusters, touches
 * over the last 18 months, cadences, vetting, a few people under glass and introductions in
 * every state. All names are invented.
 *
 * Built with the model's own commands in a scratch notebook, then applied to the real one
 * as a single update with {@link SAMPLE_ORIGIN}: one IndexedDB write, one broadcast, and
 * nothing for Ctrl+Z to take apart command by command. Deterministic for a given seed and
 * date.
 */
import { DAY_MS, formatDay } from '../time/dates.ts';
import * as Y from 'yjs';
import {
  Notebook,
  INTRO_OUTCOMES,
  VETTING_PARTS,
  addPerson,
  advanceIntro,
  createIntro,
  initNotebook,
  linkPeople,
  logTouch,
  recordIntroOutcome,
  setTagCadence,
  underGlassGaps,
  type PersonInput,
  type TouchChannel,
  type VettingEntry,
} from '../model/index.ts';
import { mulberry32 as rng } from '../analysis/util.ts';

/** Origin of the sample network's single update (not undoable: it is not LOCAL_ORIGIN). */
export const SAMPLE_ORIGIN = Symbol.for('vitrine.sample');

export interface SampleOptions {
  /** Seed of every random choice (default 7). */
  readonly seed?: number;
  /** "Today" for the sample (default: now). Touches fall in the 18 months before it. */
  readonly now?: Date;
  /** The owner's name (default "Me"). */
  readonly ownerName?: string;
}

const DAY = DAY_MS;

const FIRST = [
  'Amara',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Lars',
  'Maya',
  'Nikhil',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Aiko',
  'Bruno',
  'Carmen',
  'Devi',
  'Emil',
  'Fatima',
  'Gustav',
  'Hana',
  'Ivan',
  'Julia',
  'Kofi',
  'Lena',
  'Mateo',
  'Noor',
  'Oscar',
  'Priya',
  'Rafael',
  'Sofia',
  'Theo',
  'Uma',
  'Viktor',
  'Wanjiru',
  'Yara',
  'Zain',
];
const LAST = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Petrov',
  'Yilmaz',
  'Haddad',
  'Nakamura',
  'Costa',
  'Becker',
  'Adeyemi',
  'Larsen',
  'Patel',
  'Ivanova',
  'García',
  'Murphy',
  'Santos',
  'Kowalski',
  'Chen',
  'Novak',
  'Rahman',
  'Silva',
  'Dubois',
  'Tanaka',
  'Mensah',
  'Fischer',
  'Rossi',
  'Andersen',
  'Kaya',
  'Mwangi',
  'Schmidt',
  'Nguyen',
  'Oliveira',
  'Hassan',
  'Jensen',
  'Kim',
  'Ortiz',
  'Popescu',
  'Reyes',
  'Sato',
  'Weber',
];

interface ClusterSpec {
  readonly key: string;
  readonly size: number;
  readonly orgs: readonly string[];
  readonly roles: readonly string[];
  readonly tags: readonly string[];
  readonly location: string;
  readonly howWeMet: string;
  readonly kind: string;
  /** Chance that two members are tied. */
  readonly density: number;
  /** Share of members tied to the owner. */
  readonly ownerShare: number;
}

const CLUSTERS: readonly ClusterSpec[] = [
  {
    key: 'northwind',
    size: 22,
    orgs: ['Northwind Labs'],
    roles: [
      'Staff engineer',
      'Product manager',
      'Engineering manager',
      'Data scientist',
      'Designer',
      'CTO',
    ],
    tags: ['northwind', 'engineering'],
    location: 'Berlin',
    howWeMet: 'Worked together at Northwind Labs',
    kind: 'colleague',
    density: 0.22,
    ownerShare: 0.7,
  },
  {
    key: 'climate',
    size: 20,
    orgs: ['Carbonfield', 'Tidewater Energy', 'Loam Analytics', 'Heatloop', 'Grid Commons'],
    roles: ['Founder', 'Co-founder & CEO', 'Head of Growth', 'COO', 'Founder'],
    tags: ['founders', 'climate'],
    location: 'Amsterdam',
    howWeMet: 'Climate founders dinner',
    kind: 'peer',
    density: 0.2,
    ownerShare: 0.6,
  },
  {
    key: 'design',
    size: 16,
    orgs: ['Studio Kiln', 'Freelance', 'Parallel Type', 'Open Design Guild'],
    roles: ['Type designer', 'Design lead', 'Illustrator', 'UX researcher'],
    tags: ['design'],
    location: 'Lisbon',
    howWeMet: 'Design meetup in Lisbon',
    kind: 'friend',
    density: 0.25,
    ownerShare: 0.5,
  },
  {
    key: 'investors',
    size: 12,
    orgs: ['Fjord Ventures', 'Saltmarsh Capital', 'Angel investor', 'Meridian Partners'],
    roles: ['Partner', 'Principal', 'Angel', 'Venture partner'],
    tags: ['investors'],
    location: 'London',
    howWeMet: 'Introduced while fundraising for a client',
    kind: 'investor',
    density: 0.3,
    ownerShare: 0.75,
  },
  {
    key: 'university',
    size: 14,
    orgs: ['Teaching hospital', 'City council', 'Freelance', 'Public school'],
    roles: ['Doctor', 'Policy advisor', 'Translator', 'Teacher'],
    tags: ['friends', 'alumni'],
    location: 'Copenhagen',
    howWeMet: 'University, same year',
    kind: 'friend',
    density: 0.35,
    ownerShare: 0.8,
  },
  {
    key: 'family',
    size: 10,
    orgs: [],
    roles: [],
    tags: ['family'],
    location: 'Hamburg',
    howWeMet: 'Family and neighbours',
    kind: 'family',
    density: 0.5,
    ownerShare: 0.9,
  },
];

const NOTES = [
  'Thoughtful and quick to help; prefers a short written brief before a call.',
  'Knows everyone in the local scene. Over-commits, so follow up in writing.',
  'Generous with time for early founders. Ask about the sailing trip.',
  'Very direct, very fair. Does not like surprises in meetings.',
  'Looking for a new role next year; interested in climate and public sector work.',
  'Great listener. Has two kids; mornings are best.',
  'Careful with referrals: only introduces people she has worked with.',
  'Met again at the spring conference; wants to mentor someone junior.',
];

const CHANNEL_WEIGHTS: readonly [TouchChannel, number][] = [
  ['message', 5],
  ['email', 4],
  ['call', 3],
  ['coffee', 3],
  ['meeting', 2],
  ['event', 1],
  ['favour-given', 1],
  ['favour-received', 1],
];

/**
 * Build the sample network in a fresh notebook and return it (used by tests, screenshots
 * and {@link loadSampleNetwork}).
 */
export function buildSampleNetwork(options: SampleOptions = {}): Notebook {
  const random = rng(options.seed ?? 7);
  const today = options.now ?? new Date();
  // A movable clock: commands stamp createdAt and intro history with it, so history
  // spreads over the 18 months instead of all being "now".
  let clock = today.getTime() - 540 * DAY;
  let seq = 0;
  const nb = new Notebook(new Y.Doc(), {
    now: () => new Date(clock),
    newId: () => `s${(options.seed ?? 7).toString(36)}${(seq++).toString(36).padStart(4, '0')}`,
  });
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const daysAgo = (d: number) => formatDay(today.getTime() - d * DAY);

  const owner = initNotebook(nb, options.ownerName ?? 'Me');
  setTagCadence(nb, 'investors', 60);
  setTagCadence(nb, 'founders', 45);
  setTagCadence(nb, 'family', 30);

  const used = new Set<string>();
  const nameFor = (): string => {
    for (;;) {
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };

  const members: string[][] = [];
  const all: string[] = [];
  const ownerTied: string[] = [];
  for (const spec of CLUSTERS) {
    const ids: string[] = [];
    for (let i = 0; i < spec.size; i++) {
      const name = nameFor();
      const slug = name
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z ]/g, '')
        .replace(' ', '.');
      const org = spec.orgs.length ? pick(spec.orgs) : undefined;
      const vetting: Partial<Record<(typeof VETTING_PARTS)[number], VettingEntry>> = {};
      if (chance(0.45)) {
        for (const part of VETTING_PARTS) {
          const r = random();
          if (r < 0.45)
            vetting[part] = {
              status: 'first-hand',
              note: r < 0.1 ? 'Seen it on a project' : undefined,
            };
          else if (r < 0.75) vetting[part] = { status: 'heard' };
        }
      }
      const input: PersonInput & { name: string } = {
        name,
        org,
        role: spec.roles.length ? pick(spec.roles) : undefined,
        emails:
          spec.key === 'family'
            ? []
            : [`${slug}@${(org ?? 'mail').toLowerCase().replace(/[^a-z]/g, '')}.example`],
        phones: chance(0.4) ? [`+49 30 ${1000000 + Math.floor(random() * 8999999)}`] : [],
        links:
          chance(0.5) && spec.key !== 'family'
            ? [`https://www.linkedin.com/in/${slug.replace('.', '-')}`]
            : [],
        tags: chance(0.2) ? [...spec.tags, 'mentor'] : [...spec.tags],
        location: chance(0.8) ? spec.location : pick(['Paris', 'Stockholm', 'Remote', 'New York']),
        howWeMet: spec.howWeMet,
        notes: chance(0.5) ? pick(NOTES) : '',
        vetting,
        underGlass:
          (spec.key === 'investors' && chance(0.35)) || (spec.key === 'climate' && chance(0.1)),
        cadenceDays: chance(0.12) ? pick([14, 30, 90]) : undefined,
      };
      clock += DAY / 2;
      const id = addPerson(nb, input);
      ids.push(id);
      all.push(id);
    }
    members.push(ids);
    // Ties inside the cluster, so it can hold together without the owner.
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        if (chance(spec.density)) {
          linkPeople(nb, ids[i]!, ids[j]!, {
            kind: spec.kind,
            strength: 1 + Math.floor(random() * 5),
            since: daysAgo(400 + Math.floor(random() * 2000)),
          });
        }
      }
    }
    for (const id of ids) {
      if (!chance(spec.ownerShare)) continue;
      ownerTied.push(id);
      linkPeople(nb, owner, id, {
        kind: spec.kind,
        strength: 2 + Math.floor(random() * 4),
        since: daysAgo(300 + Math.floor(random() * 3000)),
      });
    }
  }
  // A few bridges between clusters: the people who hold the network together.
  for (let k = 0; k < 14; k++) {
    const a = pick(members[k % members.length]!);
    const b = pick(members[(k * 3 + 1) % members.length]!);
    if (a !== b)
      linkPeople(nb, a, b, {
        kind: pick(['friend', 'peer', 'client', 'mentor']),
        strength: 2 + Math.floor(random() * 3),
      });
  }

  // Touches over the last 18 months, denser recently, some people gone quiet.
  const totalWeight = CHANNEL_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const channel = (): TouchChannel => {
    let r = random() * totalWeight;
    for (const [c, w] of CHANNEL_WEIGHTS) if ((r -= w) < 0) return c;
    return 'other';
  };
  const touchNotes = [
    'Caught up on the new role',
    'Talked about hiring',
    'Quick check-in',
    'Shared the report',
    'Birthday wishes',
    '',
  ];
  for (const id of ownerTied) {
    const quiet = chance(0.25);
    const count = 1 + Math.floor(random() * (quiet ? 3 : 9));
    for (let i = 0; i < count; i++) {
      const ago = quiet
        ? 150 + Math.floor(random() * 390)
        : Math.floor(Math.pow(random(), 1.6) * 540);
      logTouch(nb, {
        personIds: [id],
        at: daysAgo(ago),
        channel: channel(),
        note: pick(touchNotes) || undefined,
      });
    }
  }
  // Group touches: a meetup with several people of one cluster.
  for (let k = 0; k < 6; k++) {
    const group = members[k]!.slice(0, 3 + Math.floor(random() * 4));
    logTouch(nb, {
      personIds: group,
      at: daysAgo(Math.floor(random() * 500)),
      channel: 'event',
      note: 'Meetup',
    });
  }

  // Introductions in every state of the lifecycle.
  const intro = (a: string, b: string, purpose: string, stakes: 'low' | 'high' = 'low') => {
    const gaps = underGlassGaps(nb, a, b);
    return createIntro(nb, {
      a,
      b,
      purpose,
      stakes,
      expectations: 'A 30-minute call; no obligation on either side.',
      overrideReason: gaps.length ? 'Known them for years through a close friend' : undefined,
    });
  };
  const pairs: [string, string][] = [];
  for (let k = 0; k < 12; k++) {
    const a = pick(members[(k + 1) % members.length]!);
    const b = pick(members[(k + 3) % members.length]!);
    if (a !== b) pairs.push([a, b]);
  }
  const purposes = [
    'Hiring a founding engineer',
    'Advice on a seed round',
    'Brand refresh for a climate startup',
    'Mentoring on a first management role',
    'Pilot customer for grid analytics',
    'Co-authoring a policy brief',
  ];
  INTRO_OUTCOMES.forEach((outcome, i) => {
    const [a, b] = pairs[i]!;
    clock = today.getTime() - (300 - i * 40) * DAY;
    const id = intro(a, b, purposes[i % purposes.length]!, i % 2 ? 'high' : 'low');
    clock += 2 * DAY;
    advanceIntro(nb, id, 'asked-a');
    clock += 3 * DAY;
    advanceIntro(nb, id, 'asked-b');
    clock += 4 * DAY;
    advanceIntro(nb, id, 'introduced');
    clock += 20 * DAY;
    recordIntroOutcome(nb, id, outcome, {
      note: outcome === 'flaked' ? 'Did not show up to the call.' : undefined,
      // One follow-up already due, so the Introductions view shows one at once.
      followUpAt: outcome === 'great' ? daysAgo(3) : undefined,
    });
  });
  clock = today.getTime() - 20 * DAY;
  const [ia, ib] = pairs[5]!;
  intro(ia, ib, 'Talk about community building');
  const [aa, ab] = pairs[6]!;
  advanceIntro(nb, intro(aa, ab, 'Speaking slot at the summit'), 'asked-a');
  const [ba, bb] = pairs[7]!;
  const askedB = intro(ba, bb, 'Could help with the data room', 'high');
  advanceIntro(nb, askedB, 'asked-a');
  advanceIntro(nb, askedB, 'asked-b');
  const [da, db] = pairs[8]!;
  const declined = intro(da, db, 'Joining an advisory board');
  advanceIntro(nb, declined, 'asked-a');
  advanceIntro(nb, declined, 'declined', { declinedBy: da });
  const [ca, cb] = pairs[9]!;
  const cancelled = intro(ca, cb, 'Office space share');
  advanceIntro(nb, cancelled, 'cancelled');
  // An inbound introduction: someone introduced the owner.
  createIntro(nb, {
    a: owner,
    b: pick(members[3]!),
    by: pick(members[0]!),
    state: 'introduced',
    purpose: 'Angel round for the new studio',
  });
  return nb;
}

/**
 * Put the sample network into `nb` (normally a fresh, empty notebook) as one update with
 * {@link SAMPLE_ORIGIN}. Returns how many people it holds.
 */
export function loadSampleNetwork(nb: Notebook, options: SampleOptions = {}): number {
  const sample = buildSampleNetwork(options);
  const people = sample.people.size;
  Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(sample.doc), SAMPLE_ORIGIN);
  sample.destroy();
  sample.doc.destroy();
  return people;
}

/**
 * Ids the sample network gives its entities: `s` + the seed in base 36 + a 4-character
 * counter. The app's own ids are 16 random characters, so the two never meet.
 */
export function isSampleId(id: string, seed = 7): boolean {
  const prefix = `s${seed.toString(36)}`;
  return (
    id.length === prefix.length + 4 && id.startsWith(prefix) && /^[0-9a-z]{4}$/.test(id.slice(-4))
  );
}

/** How many entities {@link removeSampleNetwork} removed, per collection. */
export interface SampleRemoval {
  readonly people: number;
  readonly ties: number;
  readonly touches: number;
  readonly intros: number;
}

/**
 * Remove what the sample network created — its people, ties, touches and introductions,
 * recognised by their ids ({@link isSampleId}) — and keep the owner and everything the
 * owner added (a tie the owner drew to a sample person is hidden with that person, not
 * rewritten). One local transaction: Undo brings the sample back.
 */
export function removeSampleNetwork(nb: Notebook): SampleRemoval {
  const owner = nb.ownerId;
  const counts = { people: 0, ties: 0, touches: 0, intros: 0 };
  nb.write(() => {
    for (const key of ['touches', 'intros', 'ties', 'people'] as const) {
      const map = nb[key];
      for (const id of [...map.keys()]) {
        if (id === owner || !isSampleId(id)) continue;
        map.delete(id);
        counts[key]++;
      }
    }
  });
  return counts;
}

/** Does this notebook still hold any of the sample network (besides the owner)? */
export function hasSampleNetwork(nb: Notebook): boolean {
  const owner = nb.ownerId;
  for (const id of nb.people.keys()) if (id !== owner && isSampleId(id)) return true;
  return false;
}
