/**
 * CSV export, as two files: people (`--format csv`) and ties (`--format csv-ties`).
 *
 * A spreadsheet holds one table per file, and a person-per-row table cannot hold ties
 * (one person has any number), so the two are separate formats rather than one format
 * that writes a folder. The people file uses Google Contacts' column names
 * (`Name`, `Organization Name`, `E-mail 1 - Value`, `Labels`, multi-values joined by
 * ` ::: `), so Google Contacts and Vitrine itself can import it back; the ties file names
 * both ends by Vitrine id and by name. Only people not in the trash, and ties between them.
 */
import { listPeople, listTies, lastTouched, type Notebook } from '../model/index.ts';
import { writeCsv } from './csv.ts';

const JOIN = ' ::: ';

/** Column names of the people CSV. */
export const PEOPLE_COLUMNS = [
  'Vitrine ID',
  'Name',
  'Organization Name',
  'Organization Title',
  'E-mail 1 - Value',
  'Phone 1 - Value',
  'Website 1 - Value',
  'Labels',
  'Location',
  'Birthday',
  'How We Met',
  'Notes',
  'Under Glass',
  'Last Touched',
  'Created At',
] as const;

/** Column names of the ties CSV. */
export const TIE_COLUMNS = [
  'Tie ID',
  'From ID',
  'From Name',
  'To ID',
  'To Name',
  'Kind',
  'Strength',
  'Since',
  'Introduced By',
  'Note',
  'Created At',
] as const;

/** The notebook's people as CSV text (Google Contacts column names). */
export function exportPeopleCsv(nb: Notebook): string {
  const rows = listPeople(nb).map((p) => [
    p.id,
    p.name,
    p.org ?? '',
    p.role ?? '',
    p.emails.join(JOIN),
    p.phones.join(JOIN),
    p.links.join(JOIN),
    p.tags.join(JOIN),
    p.location ?? '',
    p.birthday ?? '',
    p.howWeMet ?? '',
    p.notes,
    p.underGlass ? 'yes' : '',
    lastTouched(nb, p.id) ?? '',
    p.createdAt,
  ]);
  return writeCsv(PEOPLE_COLUMNS, rows);
}

/** The notebook's ties as CSV text, both ends by id and name. */
export function exportTiesCsv(nb: Notebook): string {
  const names = new Map(listPeople(nb).map((p) => [p.id, p.name]));
  const rows = listTies(nb).map((t) => [
    t.id,
    t.from,
    names.get(t.from) ?? '',
    t.to,
    names.get(t.to) ?? '',
    t.kind,
    String(t.strength),
    t.since ?? '',
    t.introducedBy ? (names.get(t.introducedBy) ?? t.introducedBy) : '',
    t.note ?? '',
    t.createdAt,
  ]);
  return writeCsv(TIE_COLUMNS, rows);
}
