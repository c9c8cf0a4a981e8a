/**
 * De-duplication for imports: is this incoming person someone we already have, and what
 * does merging them change?
 *
 * Matching rules, strongest first (the first that hits wins):
 * 1. `email`   — any email equal, ignoring case (and a `mailto:` prefix);
 * 2. `link`    — any profile URL equal after normalising (scheme, `www.`, trailing slash,
 *                query; `xx.linkedin.com/in/Slug/` → `linkedin.com/in/slug`);
 * 3. `phone`   — the last 9 digits equal (so `+49 170 1234567` = `0170 1234567`); numbers
 *                with fewer than 9 digits are too short to tell people apart and are ignored.
 *                A household shares a landline, so a phone match also needs the names to
 *                agree on the given name (or its initial) — "Lena Fischer" is not "Jürgen
 *                Fischer" however many numbers they share;
 * 4. `name+org`— normalised name (case, accents, punctuation, spaces) and organisation equal;
 * 5. `name`    — normalised name equal, exactly one such person, and their organisations do
 *                not disagree (one side has none). Two "Ana Lima"s are never guessed at.
 * (`owner` is a file's own card of its owner, a Vitrine vCard export; `id` is Vitrine JSON.)
 *
 * Unique identifiers veto the weaker rules (phone, name+org, name): when both sides have
 * emails and share none, or both have a profile URL on the same site (two different
 * `linkedin.com/in/…` pages) and share none there, they are different people, however
 * alike their names and employers. And when a weak key names several people (two "Ana
 * Lima, Acme" with their own profiles), an incoming row without identifiers is not
 * guessed into one of them.
 *
 * Merging never loses either side: lists are united, empty fields filled, and when both
 * sides hold different values (a new employer, another spelling of the name) the
 * incoming value is written into the notes as one dated-by-source line, once.
 */
import {
  CONTACT_FIELDS,
  PERSON_FIELDS,
  PERSON_LABELS,
  isListField,
  type ContactKey,
  type ContactListKey,
} from '../model/index.ts';
import type { PersonFields } from './incoming.ts';

/** Which rule matched an incoming person to an existing one. */
export type MatchRule = 'email' | 'link' | 'phone' | 'name+org' | 'name' | 'owner' | 'id';

/** Email as a matching key. */
export function emailKey(email: string): string | undefined {
  const e = email
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
  return e.includes('@') ? e : undefined;
}

/** A profile URL as a matching key: host without `www.`, path without trailing slash. */
export function urlKey(url: string): string | undefined {
  const raw = url.trim();
  if (!raw) return undefined;
  // Fast path for the common case (every row of a LinkedIn export); same result as below.
  const li = LINKEDIN.exec(raw);
  if (li && !li[1]!.includes('%')) return `linkedin.com/in/${li[1]!.toLowerCase()}`;
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return raw.toLowerCase();
  }
  let host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  let path = parsed.pathname.replace(/\/+$/, '');
  // LinkedIn serves the same profile under country hosts (de.linkedin.com) and the slug
  // is case-insensitive; anything after the slug (/overlay/…, /details/…) is a sub-page.
  if (host === 'linkedin.com' || host.endsWith('.linkedin.com')) {
    host = 'linkedin.com';
    const m = /^\/(in|pub)\/([^/]+)/i.exec(path);
    if (m) path = `/in/${safeDecode(m[2]!).toLowerCase()}`;
  }
  return `${host}${path}`;
}

const LINKEDIN =
  /^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/(?:in|pub)\/([^/?#\s]+)\/?(?:[?#].*)?$/i;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A phone number as a matching key: its last 9 digits, or `undefined` if shorter. */
export function phoneKey(phone: string): string | undefined {
  const digits = phone.replace(/\D+/g, '');
  return digits.length >= 9 ? digits.slice(-9) : undefined;
}

/** A name folded for comparison: accents, case, punctuation and spacing removed. */
export function nameKey(name: string): string {
  // Most names in a big export are plain ASCII: a cheaper path with the same result.
  if (ASCII.test(name)) {
    return name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const ASCII = /^[\x20-\x7e]*$/;

const ORG_SUFFIXES = new Set([
  'inc',
  'ltd',
  'llc',
  'gmbh',
  'ag',
  'sa',
  'sarl',
  'plc',
  'corp',
  'co',
  'bv',
  'nv',
  'srl',
]);

/** An organisation folded for comparison ("ACME, Inc." = "Acme"). */
export function orgKey(org: string): string {
  let key = nameKey(org);
  for (;;) {
    const space = key.lastIndexOf(' ');
    if (space < 0 || !ORG_SUFFIXES.has(key.slice(space + 1))) return key;
    key = key.slice(0, space);
  }
}

/** A person's matching keys, computed once (see {@link keysOf}). */
export interface PersonKeys {
  emails: string[];
  links: string[];
  phones: string[];
  name: string;
  org?: string;
  /** `name` and `org` together (computed once: a Map hashes each new string it is given). */
  nameOrg?: string;
}

/** The matching keys of a person (normalised emails, links, phones, name, organisation). */
export function keysOf(p: PersonFields): PersonKeys {
  const name = nameKey(p.name);
  const k: PersonKeys = {
    emails: mapDefined(p.emails, emailKey),
    links: mapDefined(p.links, urlKey),
    phones: mapDefined(p.phones, phoneKey),
    name,
  };
  if (p.org) {
    const org = orgKey(p.org);
    if (org) {
      k.org = org;
      k.nameOrg = `${name}\u0000${org}`;
    }
  }
  return k;
}

// A loop rather than map + filter: this runs for every row of a 10,000-row import.
function mapDefined(xs: readonly string[], f: (x: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const x of xs) {
    const v = f(x);
    if (v) out.push(v);
  }
  return out;
}

/**
 * An index of people for matching. `H` is whatever the caller uses to name a person
 * (an existing id, a slot in the plan).
 */
export class PeopleIndex<H> {
  private readonly byEmail = new Map<string, H>();
  private readonly byLink = new Map<string, H>();
  private readonly byPhone = new Map<string, H>();
  private readonly byNameOrg = new Map<string, H[]>();
  private readonly byName = new Map<string, { handles: H[]; orgs: (string | undefined)[] }>();
  private readonly nameOf = new Map<H, string>();
  /** Each person's emails and profile URLs (all rows folded into them), for the veto. */
  private readonly idsOf = new Map<H, { emails: Set<string>; links: Set<string> }>();

  /** Add (or extend) a person's keys. Earlier entries win a contested key. */
  add(handle: H, k: PersonKeys): void {
    for (const e of k.emails) setOnce(this.byEmail, e, handle);
    for (const l of k.links) setOnce(this.byLink, l, handle);
    for (const t of k.phones) setOnce(this.byPhone, t, handle);
    if (k.emails.length || k.links.length) {
      let ids = this.idsOf.get(handle);
      if (!ids) this.idsOf.set(handle, (ids = { emails: new Set(), links: new Set() }));
      for (const e of k.emails) ids.emails.add(e);
      for (const l of k.links) ids.links.add(l);
    }
    if (!k.name) return;
    if (!this.nameOf.has(handle)) this.nameOf.set(handle, k.name);
    if (k.nameOrg) {
      const list = this.byNameOrg.get(k.nameOrg);
      if (!list) this.byNameOrg.set(k.nameOrg, [handle]);
      else if (!list.includes(handle)) list.push(handle);
    }
    const entry = this.byName.get(k.name);
    if (!entry) {
      this.byName.set(k.name, { handles: [handle], orgs: [k.org] });
      return;
    }
    const at = entry.handles.indexOf(handle);
    if (at < 0) {
      entry.handles.push(handle);
      entry.orgs.push(k.org);
    } else if (!entry.orgs[at]) {
      entry.orgs[at] = k.org;
    }
  }

  /** The person with these keys, by the strongest rule that matches, if any. */
  match(k: PersonKeys): { handle: H; rule: MatchRule } | undefined {
    for (const e of k.emails) {
      const h = this.byEmail.get(e);
      if (h !== undefined) return { handle: h, rule: 'email' };
    }
    for (const l of k.links) {
      const h = this.byLink.get(l);
      if (h !== undefined) return { handle: h, rule: 'link' };
    }
    for (const t of k.phones) {
      const h = this.byPhone.get(t);
      if (h !== undefined && sameGivenName(k.name, this.nameOf.get(h)) && !this.conflicts(k, h)) {
        return { handle: h, rule: 'phone' };
      }
    }
    if (!k.name) return undefined;
    if (k.nameOrg) {
      const hs = this.byNameOrg.get(k.nameOrg);
      if (hs) {
        // Several people already share this name and organisation: never guess.
        return hs.length === 1 && !this.conflicts(k, hs[0]!)
          ? { handle: hs[0]!, rule: 'name+org' }
          : undefined;
      }
    }
    const entry = this.byName.get(k.name);
    if (entry && entry.handles.length === 1 && !this.conflicts(k, entry.handles[0]!)) {
      if (!k.org || !entry.orgs[0]) return { handle: entry.handles[0]!, rule: 'name' };
    }
    return undefined;
  }

  /** Do these keys and this person disagree on an email or a profile URL? */
  private conflicts(k: PersonKeys, h: H): boolean {
    const ids = this.idsOf.get(h);
    if (!ids) return false;
    return (
      (k.emails.length > 0 && ids.emails.size > 0 && !k.emails.some((e) => ids.emails.has(e))) ||
      linksConflict(k.links, ids.links)
    );
  }

  /** The only person with this name, if exactly one (for resolving relations by name). */
  byUniqueName(name: string): H | undefined {
    const entry = this.byName.get(nameKey(name));
    return entry && entry.handles.length === 1 ? entry.handles[0] : undefined;
  }

  /** The person with this email, if any. */
  byEmailAddress(email: string): H | undefined {
    const k = emailKey(email);
    return k === undefined ? undefined : this.byEmail.get(k);
  }
}

/** The site of a URL key (`linkedin.com/in/ana` → `linkedin.com`). */
const siteOf = (key: string) => {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
};

/**
 * Two sets of profile URLs disagree when they both have a page on one site and share no
 * page there (a personal homepage and a LinkedIn profile do not disagree).
 */
function linksConflict(mine: readonly string[], theirs: ReadonlySet<string>): boolean {
  if (!mine.length || !theirs.size) return false;
  const theirSites = new Set<string>();
  for (const t of theirs) theirSites.add(siteOf(t));
  const agreed = new Set<string>();
  const disputed = new Set<string>();
  for (const l of mine) {
    const site = siteOf(l);
    if (!theirSites.has(site)) continue;
    if (theirs.has(l)) agreed.add(site);
    else disputed.add(site);
  }
  for (const site of disputed) if (!agreed.has(site)) return true;
  return false;
}

/** Do two folded names agree on the given name ("ana lima" ~ "a lima" ~ "ana")? */
function sameGivenName(a: string, b: string | undefined): boolean {
  if (!a || !b) return true;
  const x = a.split(' ')[0]!;
  const y = b.split(' ')[0]!;
  return x === y || (x.length === 1 && y.startsWith(x)) || (y.length === 1 && x.startsWith(y));
}

function setOnce<H>(map: Map<string, H>, key: string, handle: H): void {
  if (!map.has(key)) map.set(key, handle);
}

/** A field change shown in the import preview. */
export interface FieldChange {
  field: keyof PersonFields;
  before: string;
  after: string;
}

/** The result of merging incoming fields into existing ones. */
export interface MergeResult {
  /** Only the fields that change (empty when nothing does). */
  patch: Partial<PersonFields>;
  changes: FieldChange[];
}

/** The contact fields an import fills when empty (merge rule `fill`, from `records.ts`). */
const SCALARS = CONTACT_FIELDS.filter((k) => PERSON_FIELDS[k].merge === 'fill') as Exclude<
  ContactKey,
  ContactListKey | 'name' | 'notes' | 'underGlass'
>[];

/** How a differing value is named in the line written into the notes. */
const LABELS: Readonly<Record<string, string>> = { ...PERSON_LABELS, name: 'also known as' };

function addNew(
  before: readonly string[],
  incoming: readonly string[],
  key: (v: string) => string | undefined,
): string[] {
  const seen = new Set(before.map((v) => key(v) ?? v));
  const out = [...before];
  for (const v of incoming) {
    const t = v.trim();
    if (!t) continue;
    const k = key(t) ?? t;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}

const fold = (v: string) => v.trim().toLowerCase();

/** Each contact list's matching key on a merge: a value already there under it is not added. */
const LIST_KEYS: Readonly<Record<ContactListKey, (v: string) => string | undefined>> = {
  emails: (v) => emailKey(v) ?? fold(v),
  phones: (v) => phoneDigits(v),
  links: (v) => urlKey(v),
  tags: fold,
};
const lf = (v: string) => v.replace(/\r\n?/g, '\n');
const phoneDigits = (v: string) => phoneKey(v) ?? v.replace(/\D+/g, '');

/**
 * Merge `incoming` into `existing` without losing either side. `source` names the file
 * for the line written into the notes when both sides disagree ("Connections.csv").
 */
export function mergeFields(
  existing: PersonFields,
  incoming: PersonFields,
  source: string,
): MergeResult {
  const patch: Partial<PersonFields> = {};
  const changes: FieldChange[] = [];
  const lists = CONTACT_FIELDS.filter((k) => isListField(PERSON_FIELDS[k])).map(
    (k) => [k as ContactListKey, LIST_KEYS[k as ContactListKey]] as const,
  );
  for (const [field, key] of lists) {
    const next = addNew(existing[field], incoming[field], key);
    if (next.length !== existing[field].length) {
      patch[field] = next;
      changes.push({
        field,
        before: existing[field].join(', '),
        after: next.join(', '),
      });
    }
  }
  const differing: string[] = [];
  if (incoming.name && nameKey(incoming.name) !== nameKey(existing.name)) {
    differing.push(`${LABELS.name} "${incoming.name.trim()}"`);
  }
  for (const field of SCALARS) {
    const mine = existing[field]?.trim();
    const theirs = incoming[field]?.trim();
    if (!theirs) continue;
    if (!mine) {
      patch[field] = theirs;
      changes.push({ field, before: '', after: theirs });
    } else if (
      (field === 'org' ? orgKey(mine) !== orgKey(theirs) : fold(mine) !== fold(theirs)) &&
      // Only a genuinely different value is worth a line: "Acme" vs "Acme Inc." is not.
      nameKey(mine) !== nameKey(theirs)
    ) {
      differing.push(`${LABELS[field]} "${theirs}"`);
    }
  }
  if (incoming.underGlass && !existing.underGlass) {
    patch.underGlass = true;
    changes.push({ field: 'underGlass', before: 'no', after: 'yes' });
  }
  let notes = existing.notes ?? '';
  const add = (text: string) => {
    // A vCard carries every line break as LF: the same note read back must not look new.
    if (!text || lf(notes).includes(lf(text))) return;
    notes = notes ? `${notes.replace(/\s+$/, '')}\n\n${text}` : text;
  };
  const theirNotes = incoming.notes?.trim();
  if (theirNotes) add(theirNotes);
  if (differing.length) add(`From ${source}: ${differing.join('; ')}.`);
  if (notes !== (existing.notes ?? '')) {
    patch.notes = notes;
    changes.push({ field: 'notes', before: existing.notes ?? '', after: notes });
  }
  return { patch, changes };
}

/** `mergeFields` applied: the merged record. */
export function mergedRecord<T extends PersonFields>(
  existing: T,
  incoming: PersonFields,
  source: string,
): T {
  return { ...existing, ...mergeFields(existing, incoming, source).patch };
}
