/**
 * vCard (`.vcf`): import 3.0 and 4.0 (and the common 2.1 leftovers phones still write),
 * export 4.0. Parsing and writing use ical.js (`ICAL.parse` / `ICAL.Component`), Mozilla's
 * maintained iCalendar/vCard library: it unfolds lines, unescapes text, splits structured
 * values (N, ORG, ADR) and multi-values (CATEGORIES), and folds and escapes on output.
 *
 * Around it, this module does only what ical.js leaves to the caller:
 * - split the file into cards by their BEGIN/END lines, so one broken card is skipped
 *   (with its line) instead of failing the file;
 * - turn vCard 2.1 syntax (`TEL;CELL:`, `;QUOTED-PRINTABLE`, soft line breaks ending in
 *   `=`) into 3.0 syntax ical.js accepts, and decode quoted-printable and base64 text in
 *   the declared `CHARSET`;
 * - map properties to person fields; RELATED (4.0) and Apple's X-ABRELATEDNAMES (3.0)
 *   become ties, resolved by UID, email or a unique name.
 *
 * Vitrine-specific data rides in X- properties and parameters (X-VITRINE-HOW-WE-MET,
 * X-VITRINE-UNDER-GLASS, X-VITRINE-OWNER, RELATED;X-VITRINE-KIND/-STRENGTH/-SINCE), which
 * other apps ignore, so an export read back loses nothing a person or tie holds except
 * vetting records, touches and introductions (use Vitrine JSON for those).
 */
import ICAL from 'ical.js';
import { VitrineError, listPeople, listTies, type Notebook } from '../model/index.ts';
import {
  blankPerson,
  clean,
  pushAll,
  relationKind,
  type IncomingPerson,
  type IncomingRelation,
  type ParseSteps,
  type ParsedContacts,
} from './incoming.ts';
import { headLines } from './text.ts';

/** Does this text look like vCards? */
export function sniffVcard(text: string): boolean {
  const first = headLines(text, 20).find((l) => l.trim());
  return !!first && /^begin:vcard$/i.test(first.trim());
}

interface RawCard {
  line: number;
  lines: string[];
  complete: boolean;
}

/** Logical (unfolded) lines with the physical line each starts on. */
function unfold(text: string): { line: number; text: string }[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: { line: number; text: string }[] = [];
  let qpSoftBreak = false;
  physical.forEach((l, i) => {
    const last = out[out.length - 1];
    if (last && qpSoftBreak) {
      // vCard 2.1 quoted-printable: a line ending in "=" continues on the next line.
      last.text = last.text.slice(0, -1) + l;
    } else if (last && (l.startsWith(' ') || l.startsWith('\t'))) {
      last.text += l.slice(1);
    } else {
      out.push({ line: i + 1, text: l });
    }
    const cur = out[out.length - 1]!;
    qpSoftBreak = /quoted-printable/i.test(headOf(cur.text)) && cur.text.endsWith('=');
  });
  return out;
}

function headOf(line: string): string {
  const colon = line.indexOf(':');
  return colon < 0 ? line : line.slice(0, colon);
}

function cardsOf(text: string): RawCard[] {
  const cards: RawCard[] = [];
  let cur: RawCard | undefined;
  for (const { line, text: l } of unfold(text)) {
    const t = l.trim();
    if (/^begin:vcard$/i.test(t)) {
      if (cur) cards.push(cur);
      cur = { line, lines: ['BEGIN:VCARD'], complete: false };
    } else if (/^end:vcard$/i.test(t)) {
      if (cur) {
        cur.lines.push('END:VCARD');
        cur.complete = true;
        cards.push(cur);
        cur = undefined;
      }
    } else if (cur && t) {
      cur.lines.push(l);
    }
  }
  if (cur) cards.push(cur);
  return cards;
}

const ENCODINGS = new Set(['quoted-printable', 'base64', 'b', '8bit', '7bit']);
const DROP = new Set(['photo', 'logo', 'sound', 'key']);

/** Rewrite one logical line from 2.1 habits into 3.0 syntax; `undefined` drops it. */
function normaliseLine(line: string): string | undefined {
  const colon = line.indexOf(':');
  if (colon < 0) return line;
  const head = line.slice(0, colon);
  const parts = head.split(';');
  const prop = parts[0]!.replace(/^[^.]*\./, '').toLowerCase();
  // Photos and keys can be large base64 blocks in odd 2.1 layouts; Vitrine keeps none.
  if (DROP.has(prop)) return undefined;
  const params = parts.slice(1).map((p) => {
    if (p.includes('=')) return p;
    return ENCODINGS.has(p.toLowerCase()) ? `ENCODING=${p}` : `TYPE=${p}`;
  });
  return [parts[0], ...params].join(';') + line.slice(colon);
}

/** Decode quoted-printable (or base64) text in its declared charset. */
function decodeValue(value: string, encoding: string, charset: string | undefined): string {
  let bytes: Uint8Array;
  if (encoding === 'quoted-printable') {
    const out: number[] = [];
    const enc = new TextEncoder();
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      const hex = value.slice(i + 1, i + 3);
      if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
      } else {
        out.push(...enc.encode(c));
      }
    }
    bytes = new Uint8Array(out);
  } else if (encoding === 'base64' || encoding === 'b') {
    try {
      bytes = Uint8Array.from(atob(value.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
    } catch {
      return value;
    }
  } else {
    return value;
  }
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

type JProp = [string, Record<string, string | string[]>, string, ...unknown[]];

function param(p: JProp, name: string): string[] {
  const v = p[1][name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(','));
}

/** A property's values as strings (structured values stay arrays), decoded. */
function values(p: JProp): (string | string[])[] {
  const encoding = param(p, 'encoding')[0]?.toLowerCase() ?? '';
  const charset = param(p, 'charset')[0];
  const dec = (v: unknown) => decodeValue(String(v ?? ''), encoding, charset);
  return p.slice(3).map((v) => (Array.isArray(v) ? v.map(dec) : dec(v)));
}

function text(p: JProp | undefined): string | undefined {
  if (!p) return undefined;
  const v = values(p)[0];
  return clean(Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
}

function isoBirthday(b: string): string {
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(b);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^--(\d{2})-?(\d{2})$/.exec(b);
  if (m) return `--${m[1]}-${m[2]}`;
  return b;
}

function cardToPerson(
  props: JProp[],
  card: RawCard,
  index: number,
): IncomingPerson | { skip: string } {
  const all = (name: string) => props.filter((p) => p[0] === name);
  const one = (name: string) => props.find((p) => p[0] === name);
  const kind = text(one('kind'))?.toLowerCase();
  if (kind && kind !== 'individual') {
    return { skip: `it is a KIND:${kind} card, not a person` };
  }
  const ref = `card ${index + 1} (line ${card.line})`;
  const p = blankPerson(ref, card.line);
  for (const e of all('email')) pushAll(p.emails, [text(e)?.replace(/^mailto:/i, '')]);
  for (const t of all('tel')) pushAll(p.phones, [text(t)?.replace(/^tel:/i, '')]);
  for (const u of [...all('url'), ...all('x-socialprofile')]) pushAll(p.links, [text(u)]);
  const n = one('n');
  const nParts = n ? values(n)[0] : undefined;
  const fromN = Array.isArray(nParts)
    ? [nParts[1], nParts[2], nParts[0]].filter((x) => x && x.trim()).join(' ')
    : clean(nParts);
  const org = one('org');
  const orgParts = org ? values(org)[0] : undefined;
  const orgs = (Array.isArray(orgParts) ? orgParts : [orgParts ?? '']).map((x) => x.trim());
  p.org = orgs[0]
    ? orgs[1]
      ? `${orgs[0]} (${orgs.slice(1).filter(Boolean).join(', ')})`
      : orgs[0]
    : undefined;
  p.name = text(one('fn')) ?? clean(fromN) ?? p.org ?? p.emails[0] ?? '';
  if (!p.name) return { skip: 'it has no name (no FN or N) and no email' };
  p.role = text(one('title')) ?? text(one('role'));
  p.notes = all('note').map(text).filter(Boolean).join('\n\n') || undefined;
  for (const c of all('categories')) {
    for (const v of values(c)) {
      for (const t of Array.isArray(v) ? v : [v]) pushAll(p.tags, [t]);
    }
  }
  const bday = text(one('bday'));
  // ical.js writes and reads 4.0 dates in the basic format (19880402, --0415); the model
  // keeps the extended ISO form everywhere else, so convert.
  if (bday) p.birthday = isoBirthday(bday);
  const adr = one('adr');
  if (adr) {
    const a = values(adr)[0];
    const parts = Array.isArray(a) ? [a[3], a[4], a[6]] : [a];
    p.location =
      clean(parts.filter((x) => x && x.trim()).join(', ')) ?? clean(param(adr, 'label').join(','));
  }
  p.howWeMet = text(one('x-vitrine-how-we-met'));
  if (/^true$/i.test(text(one('x-vitrine-under-glass')) ?? '')) p.underGlass = true;
  if (/^true$/i.test(text(one('x-vitrine-owner')) ?? '')) p.isOwner = true;
  p.key = text(one('uid'));
  for (const r of all('related')) {
    const value = text(r);
    if (!value) continue;
    const rel: IncomingRelation = {
      kind: param(r, 'x-vitrine-kind')[0] ?? relationKind(param(r, 'type')[0]),
    };
    const strength = Number(param(r, 'x-vitrine-strength')[0]);
    if (strength >= 1 && strength <= 5) rel.strength = strength;
    const since = param(r, 'x-vitrine-since')[0];
    if (since) rel.since = since;
    if (/^mailto:/i.test(value)) rel.email = value.slice(7);
    else if (r[2] === 'text') rel.name = value;
    else rel.key = value;
    p.relations.push(rel);
  }
  // Apple (3.0): item1.X-ABRELATEDNAMES:Anna with item1.X-ABLabel:_$!<Spouse>!$_
  for (const r of all('x-abrelatednames')) {
    const name = text(r);
    if (!name) continue;
    const group = r[1].group;
    const label = props.find((q) => q[0] === 'x-ablabel' && q[1].group === group);
    p.relations.push({ kind: relationKind(text(label)), name });
  }
  return p;
}

/** Parse a file of vCards, card by card (yields progress; returns the people). */
export function* parseVcard(text: string, name: string): ParseSteps {
  const cards = cardsOf(text);
  if (!cards.length) {
    throw new VitrineError(
      `${name} has no vCards in it (no line reads BEGIN:VCARD). Export contacts as vCard (.vcf) and import that.`,
    );
  }
  const out: ParsedContacts = { people: [], skipped: [], warnings: [] };
  for (let i = 0; i < cards.length; i++) {
    const card = cards[i]!;
    const ref = `card ${i + 1} (line ${card.line})`;
    if (!card.complete) {
      out.skipped.push({
        ref,
        line: card.line,
        reason: 'it is cut short (no END:VCARD); export the contacts again to get it',
      });
      continue;
    }
    let parsed: unknown;
    try {
      const body = card.lines.map(normaliseLine).filter((l): l is string => l !== undefined);
      parsed = ICAL.parse(body.join('\r\n') + '\r\n');
    } catch (e) {
      out.skipped.push({
        ref,
        line: card.line,
        reason: `it cannot be read (${(e as Error).message}); fix the card in a text editor or export it again`,
      });
      continue;
    }
    const comp = (Array.isArray(parsed) && parsed[0] === 'vcard' ? parsed : undefined) as
      [string, JProp[]] | undefined;
    const person = comp ? cardToPerson(comp[1], card, i) : { skip: 'it is not a vCard' };
    if ('skip' in person) out.skipped.push({ ref, line: card.line, reason: person.skip });
    else out.people.push(person);
    if (i % 500 === 499) yield { phase: 'read', done: i + 1, total: cards.length };
  }
  // A Vitrine export says who the owner is and carries their ties explicitly; any other
  // address book is the owner's own, so everyone in it is someone the owner knows.
  if (!out.people.some((p) => p.isOwner)) {
    for (const p of out.people) p.ownerTie = { kind: 'acquaintance' };
  }
  yield { phase: 'read', done: cards.length, total: cards.length };
  return out;
}

const RELATED_TYPES: Record<string, string> = {
  colleague: 'colleague',
  friend: 'friend',
  family: 'kin',
  acquaintance: 'acquaintance',
};

function add(card: ICAL.Component, name: string, value: string | string[] | undefined): void {
  if (value === undefined || value === '' || (Array.isArray(value) && !value.length)) return;
  const prop = new ICAL.Property(name);
  prop.setValue(value);
  card.addProperty(prop);
}

/** The notebook's people (not the trash) as vCard 4.0, ties as RELATED on their `from` card. */
export function exportVcard(nb: Notebook): string {
  const tiesFrom = new Map<string, ReturnType<typeof listTies>[number][]>();
  for (const t of listTies(nb)) {
    let list = tiesFrom.get(t.from);
    if (!list) tiesFrom.set(t.from, (list = []));
    list.push(t);
  }
  const cards: string[] = [];
  for (const p of listPeople(nb)) {
    const card = new ICAL.Component('vcard');
    card.addPropertyWithValue('version', '4.0');
    card.addPropertyWithValue('uid', p.id);
    card.addPropertyWithValue('fn', p.name);
    add(card, 'org', p.org ? [p.org] : undefined);
    add(card, 'title', p.role);
    for (const e of p.emails) add(card, 'email', e);
    for (const t of p.phones) add(card, 'tel', t);
    for (const u of p.links) add(card, 'url', u);
    if (p.tags.length) {
      const cat = new ICAL.Property('categories');
      cat.setValues([...p.tags]);
      card.addProperty(cat);
    }
    if (p.birthday) {
      const bday = new ICAL.Property('bday');
      // Free-text birthdays ("early May") are legal in 4.0 as VALUE=text.
      if (/^(\d{4}|--)-?\d{2}-?\d{2}$/.test(p.birthday)) bday.setValue(p.birthday);
      else {
        bday.resetType('text');
        bday.setValue(p.birthday);
      }
      card.addProperty(bday);
    }
    add(card, 'adr', p.location ? ['', '', '', p.location, '', '', ''] : undefined);
    add(card, 'note', p.notes || undefined);
    add(card, 'x-vitrine-how-we-met', p.howWeMet);
    if (p.underGlass) add(card, 'x-vitrine-under-glass', 'TRUE');
    if (p.id === nb.ownerId) add(card, 'x-vitrine-owner', 'TRUE');
    for (const t of tiesFrom.get(p.id) ?? []) {
      const rel = new ICAL.Property('related');
      // Own keys only: a kind typed as "constructor" must not find Object's.
      rel.setParameter(
        'type',
        Object.hasOwn(RELATED_TYPES, t.kind) ? RELATED_TYPES[t.kind]! : 'contact',
      );
      rel.setParameter('x-vitrine-kind', t.kind);
      rel.setParameter('x-vitrine-strength', String(t.strength));
      if (t.since) rel.setParameter('x-vitrine-since', t.since);
      rel.setValue(t.to);
      card.addProperty(rel);
    }
    cards.push(card.toString());
  }
  return cards.length ? cards.join('\r\n') + '\r\n' : '';
}
