/**
 * Google Contacts CSV (contacts.google.com → Export → Google CSV), both layouts:
 *
 * - current: `First Name, Middle Name, Last Name, …, Labels, E-mail 1 - Label,
 *   E-mail 1 - Value, Phone 1 - Value, Organization Name, Organization Title,
 *   Relation 1 - Label, Relation 1 - Value, Website 1 - Value, Notes, Birthday, …`
 * - legacy: `Name, Given Name, Additional Name, Family Name, …, Group Membership,
 *   E-mail 1 - Value, Organization 1 - Name, Organization 1 - Title, Relation 1 - Type, …`
 *
 * Columns are matched by name, never by position. A cell may hold several values joined
 * by ` ::: `. Labels become tags (Google's system groups like `* myContacts` are dropped;
 * `* starred` becomes `starred`). Relation columns become ties when the other person is in
 * the notebook or the same file. Outlook's CSV column names are read too, and so is
 * Vitrine's own people CSV export (which uses these column names).
 */
import { VitrineError } from '../model/index.ts';
import { Columns, cell, csvRows, findHeader, firstLine, type CsvRow } from './csv.ts';
import { tooMany } from './linkedin.ts';
import {
  blankPerson,
  clean,
  pushAll,
  relationKind,
  type ParseSteps,
  type ParsedContacts,
} from './incoming.ts';

const MULTI = ' ::: ';

const NAME_COLUMNS = ['name', 'first name', 'given name', 'last name', 'family name'];
const CONTACT_COLUMNS = [
  'e-mail 1 - value',
  'phone 1 - value',
  'labels',
  'group membership',
  'organization name',
  'organization 1 - name',
  'e-mail address',
  'vitrine id',
];

/** Is this set of folded header names a Google (or Outlook) contacts header? */
export function isGoogleHeader(cols: Set<string>): boolean {
  return NAME_COLUMNS.some((c) => cols.has(c)) && CONTACT_COLUMNS.some((c) => cols.has(c));
}

/** Does this text look like a Google Contacts CSV? */
export function sniffGoogle(text: string): boolean {
  return findHeader(text, isGoogleHeader, 5) !== undefined;
}

function split(value: string): string[] {
  return value
    .split(MULTI)
    .map((v) => v.trim())
    .filter(Boolean);
}

function tagOf(label: string): string | undefined {
  const l = label.trim();
  if (l === '* starred' || l === '* Starred') return 'starred';
  // "* myContacts", "* friends", "* coworkers", "* family" are Google's system groups;
  // the last three are the legacy equivalents of labels, so keep those without the star.
  if (l.startsWith('* ')) {
    const sys = l.slice(2).toLowerCase();
    return ['friends', 'family', 'coworkers'].includes(sys) ? sys : undefined;
  }
  return clean(l);
}

/** Parse a Google Contacts CSV in batches (yields progress; returns the people). */
export function* parseGoogle(text: string, name: string): ParseSteps {
  const header = findHeader(text, isGoogleHeader, 5);
  if (!header) {
    const first = firstLine(text);
    throw new VitrineError(
      `${name} has none of the columns Vitrine reads for contacts (line ${first.line} reads "${first.text.slice(0, 80)}"). Export "Google CSV" from Google Contacts or Connections.csv from LinkedIn, or rename the columns to Name, E-mail 1 - Value, Organization Name, … and import again.`,
    );
  }
  const cols = new Columns(header.columns);
  const at = {
    name: cols.find('Name', 'Display Name', 'Full Name'),
    first: cols.find('First Name', 'Given Name'),
    middle: cols.find('Middle Name', 'Additional Name'),
    last: cols.find('Last Name', 'Family Name'),
    nick: cols.find('Nickname'),
    fileAs: cols.find('File As'),
    org: cols.find('Organization Name', 'Organization 1 - Name', 'Company'),
    title: cols.find('Organization Title', 'Organization 1 - Title', 'Job Title'),
    labels: cols.find('Labels', 'Group Membership', 'Categories'),
    notes: cols.find('Notes'),
    birthday: cols.find('Birthday'),
    location: cols.find('Location'),
    howWeMet: cols.find('How We Met'),
    underGlass: cols.find('Under Glass'),
    city: cols.find('Address 1 - City', 'Home City', 'Business City'),
    region: cols.find('Address 1 - Region', 'Home State', 'Business State'),
    country: cols.find('Address 1 - Country', 'Home Country/Region', 'Business Country/Region'),
  };
  const emails = cols.matching(/^(e-mail \d+ - value|e-mail( \d+)? address|email|email address)$/);
  const phones = cols.matching(/^(phone \d+ - value|(mobile|business|home|other) phone)$/);
  const sites = cols.matching(/^(website \d+ - value|web page)$/);
  const relations = cols.matching(/^relation \d+ - value$/).map((v) => {
    const n = /(\d+)/.exec(cols.names[v]!)![1];
    return { value: v, label: cols.find(`Relation ${n} - Label`, `Relation ${n} - Type`) };
  });
  const out: ParsedContacts = { people: [], skipped: [], warnings: [] };
  const onRows = (rows: CsvRow[]) => {
    for (const { line, cells } of rows) {
      const ref = `line ${line}`;
      if (
        cells.length > header.columns.length &&
        cells.slice(header.columns.length).some(Boolean)
      ) {
        out.skipped.push(tooMany(ref, line, cells.length, header.columns.length));
        continue;
      }
      const p = blankPerson(ref, line);
      for (const i of emails) pushAll(p.emails, split(cell(cells, i)));
      for (const i of phones) pushAll(p.phones, split(cell(cells, i)));
      for (const i of sites) pushAll(p.links, split(cell(cells, i)));
      const parts = [at.first, at.middle, at.last].map((i) => cell(cells, i)).filter(Boolean);
      p.name =
        cell(cells, at.name) ||
        parts.join(' ') ||
        cell(cells, at.nick) ||
        cell(cells, at.fileAs) ||
        p.emails[0] ||
        '';
      if (!p.name) {
        out.skipped.push({
          ref,
          line,
          reason: cell(cells, at.org)
            ? `it has no name, only an organisation ("${cell(cells, at.org)}")`
            : 'it has no name and no email',
        });
        continue;
      }
      p.org = split(cell(cells, at.org))[0];
      p.role = split(cell(cells, at.title))[0];
      for (const l of split(cell(cells, at.labels))) {
        const t = tagOf(l);
        if (t && !p.tags.includes(t)) p.tags.push(t);
      }
      p.notes = clean(cell(cells, at.notes));
      p.birthday = clean(cell(cells, at.birthday));
      p.howWeMet = clean(cell(cells, at.howWeMet));
      p.underGlass = /^(yes|true|1)$/i.test(cell(cells, at.underGlass)) || undefined;
      p.location =
        clean(cell(cells, at.location)) ||
        clean(
          [at.city, at.region, at.country]
            .map((i) => split(cell(cells, i))[0])
            .filter(Boolean)
            .join(', '),
        );
      for (const r of relations) {
        const kind = relationKind(split(cell(cells, r.label))[0]);
        for (const other of split(cell(cells, r.value))) {
          p.relations.push(other.includes('@') ? { kind, email: other } : { kind, name: other });
        }
      }
      p.ownerTie = { kind: 'acquaintance' };
      out.people.push(p);
    }
  };
  yield* csvRows(text, header, name, onRows);
  return out;
}
