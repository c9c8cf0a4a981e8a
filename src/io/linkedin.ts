/**
 * LinkedIn `Connections.csv` (Settings → Data privacy → Get a copy of your data).
 *
 * The file starts with a few "Notes:" lines, then the header
 * `First Name,Last Name,URL,Email Address,Company,Position,Connected On` (older exports
 * have no `URL`; `Email Address` is usually empty). "Connected On" looks like
 * `07 Dec 2025`. Each row becomes a person with a tie to the owner whose `since` is the
 * connection date.
 */
import { VitrineError } from '../model/index.ts';
import { isIsoDay } from '../time/dates.ts';
import { Columns, cell, csvRows, findHeader, firstLine, type CsvRow } from './csv.ts';
import {
  blankPerson,
  pushAll,
  type ParseSteps,
  type ParsedContacts,
  type SkippedRow,
} from './incoming.ts';

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  sept: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/**
 * A LinkedIn date (`07 Dec 2025`, `7 Dec 2025`, or already ISO `2025-12-07`) as an ISO
 * date, or `undefined`. A tiny strict parser for that one shape: `Date.parse` would
 * accept it too, but in the local time zone and with engine-specific leniency; the day
 * itself is checked by the one strict clock (`src/time/dates.ts`).
 */
export function linkedInDate(text: string): string | undefined {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return validDate(t);
  const m = /^(\d{1,2})[ -]([A-Za-z]{3,4})\.?[ -](\d{4})$/.exec(t);
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (!month) return undefined;
  return validDate(`${m[3]}-${month}-${m[1]!.padStart(2, '0')}`);
}

function validDate(iso: string): string | undefined {
  return isIsoDay(iso) ? iso : undefined;
}

/** Is this set of folded header names a LinkedIn connections header? */
export function isLinkedInHeader(cols: Set<string>): boolean {
  return (
    cols.has('first name') &&
    cols.has('last name') &&
    (cols.has('connected on') || (cols.has('company') && cols.has('position')))
  );
}

/** Does this text look like a LinkedIn connections export? */
export function sniffLinkedIn(text: string): boolean {
  return findHeader(text, isLinkedInHeader) !== undefined;
}

/** Parse `Connections.csv` in batches (yields progress; returns the people). */
export function* parseLinkedIn(text: string, name: string): ParseSteps {
  const header = findHeader(text, isLinkedInHeader);
  if (!header) {
    const first = firstLine(text);
    throw new VitrineError(
      `${name} is not a LinkedIn connections export: no header with "First Name, Last Name, Company, Position, Connected On" in its first lines (line ${first.line} reads "${first.text.slice(0, 80)}"). Import the Connections.csv file from LinkedIn's data export, or pick the right format.`,
    );
  }
  const cols = new Columns(header.columns);
  const at = {
    first: cols.find('First Name'),
    last: cols.find('Last Name'),
    url: cols.find('URL', 'Profile URL'),
    email: cols.find('Email Address', 'E-mail Address', 'Email'),
    company: cols.find('Company'),
    position: cols.find('Position'),
    connected: cols.find('Connected On'),
  };
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
      const fullName = [cell(cells, at.first), cell(cells, at.last)].filter(Boolean).join(' ');
      if (!fullName) {
        out.skipped.push({
          ref,
          line,
          reason: 'it has no name (LinkedIn leaves it empty for closed accounts)',
        });
        continue;
      }
      const p = blankPerson(ref, line, fullName);
      p.org = cell(cells, at.company) || undefined;
      p.role = cell(cells, at.position) || undefined;
      pushAll(p.links, [cell(cells, at.url)]);
      pushAll(p.emails, [cell(cells, at.email)]);
      const connected = cell(cells, at.connected);
      const since = connected ? linkedInDate(connected) : undefined;
      if (connected && !since) {
        out.warnings.push({
          ref,
          line,
          reason: `"Connected On" reads "${connected}", not a date like "07 Dec 2025"; the tie has no start date`,
        });
      }
      p.ownerTie = { kind: 'acquaintance', since, note: 'LinkedIn connection' };
      out.people.push(p);
    }
  };
  yield* csvRows(text, header, name, onRows);
  return out;
}

/** A row with more cells than the header: usually an unquoted comma in a name or company. */
export function tooMany(ref: string, line: number, got: number, want: number): SkippedRow {
  return {
    ref,
    line,
    reason: `it has ${got} fields but the header has ${want} (an unquoted comma or semicolon in a value?); fix the line and import again to add it`,
  };
}
