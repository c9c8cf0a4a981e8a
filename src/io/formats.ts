/**
 * Every import and export format in one table, shared by the app and the CLI.
 * Detection looks at the content first (magic bytes, JSON shape, `BEGIN:VCARD`, CSV header
 * columns), then the file name's extension.
 *
 * Importing is two-phase (see `plan.ts`): {@link planImport} → preview → `applyImport`.
 * {@link importBytes} does both at once (the CLI).
 */
import { VitrineError, type Notebook } from '../model/index.ts';
import { exportJson, parseVitrineJson, type ImportSummary } from './json.ts';
import { isVitrineFile } from './vitrine-file.ts';
import { readText } from './text.ts';
import { parseLinkedIn, sniffLinkedIn } from './linkedin.ts';
import { parseGoogle, sniffGoogle } from './google.ts';
import { exportVcard, parseVcard, sniffVcard } from './vcard.ts';
import { exportPeopleCsv, exportTiesCsv } from './export-csv.ts';
import { exportGraphml } from './graphml.ts';
import { exportIcs } from './ics-export.ts';
import {
  applyImport,
  existingPeople,
  planContacts,
  planJson,
  runSteps,
  runStepsAsync,
  type ExistingPeople,
  type ImportPlan,
  type PlanOptions,
} from './plan.ts';
import type { ImportProgress, ParseSteps } from './incoming.ts';

export { decodeText } from './text.ts';

/** Import formats, in detection order (the `--format` names of `vitrine import`). */
export const IMPORT_FORMATS = ['linkedin', 'google', 'vcard', 'json'] as const;
/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Export formats (the `--format` names of `vitrine export`). */
export const EXPORT_FORMATS = ['json', 'csv', 'csv-ties', 'vcard', 'graphml', 'ics'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One import format. */
export interface Importer {
  /** Human name for messages ("Vitrine JSON"). */
  readonly label: string;
  /** File name extensions (lower case, no dot) that suggest this format. */
  readonly extensions: readonly string[];
  /** Does this content look like this format? (Content only; the name is for JSON's sake.) */
  sniff(text: string, name: string): boolean;
  /** Parse and apply as one undoable step; throws a VitrineError naming what to do. */
  apply(nb: Notebook, text: string, name: string): ImportSummary;
}

interface ContactsFormat {
  label: string;
  extensions: string[];
  sniff: (text: string) => boolean;
  parse: (text: string, name: string) => ParseSteps;
}

const CONTACTS: Record<Exclude<ImportFormat, 'json'>, ContactsFormat> = {
  linkedin: {
    label: 'LinkedIn connections (Connections.csv)',
    extensions: [],
    sniff: sniffLinkedIn,
    parse: parseLinkedIn,
  },
  google: {
    label: 'Google Contacts CSV',
    extensions: ['csv', 'tsv', 'txt'],
    sniff: sniffGoogle,
    parse: parseGoogle,
  },
  vcard: {
    label: 'vCard (.vcf)',
    extensions: ['vcf', 'vcard'],
    sniff: sniffVcard,
    parse: parseVcard,
  },
};

const looksJson = (text: string) => /^\s*\{/.test(text);

function planSteps(
  existing: ExistingPeople,
  text: string,
  name: string,
  format: ImportFormat,
): Generator<ImportProgress, ImportPlan, void> {
  if (format === 'json') {
    return (function* () {
      const data = parseVitrineJson(text, name);
      yield { phase: 'read' as const, done: text.length, total: text.length };
      return planJson(existing, data, name);
    })();
  }
  const f = CONTACTS[format];
  return planContacts(existing, f.parse(text, name), { format, label: f.label, file: name });
}

function contactsImporter(format: Exclude<ImportFormat, 'json'>): Importer {
  const f = CONTACTS[format];
  return {
    label: f.label,
    extensions: f.extensions,
    sniff: (text) => f.sniff(text),
    apply: (nb, text, name) =>
      applyImport(nb, runSteps(planSteps(existingPeople(nb), text, name, format))),
  };
}

/** Every importer, by format. */
export const IMPORTERS: Record<ImportFormat, Importer> = {
  linkedin: contactsImporter('linkedin'),
  google: contactsImporter('google'),
  vcard: contactsImporter('vcard'),
  json: {
    label: 'Vitrine JSON',
    extensions: ['json'],
    sniff: (text) => looksJson(text),
    apply: (nb, text, name) =>
      applyImport(nb, planJson(existingPeople(nb), parseVitrineJson(text, name), name)),
  },
};

/** What an exporter returns: the file's content and how to name and serve it. */
export interface Exported {
  readonly data: string | Uint8Array;
  readonly extension: string;
  readonly mime: string;
}

/** Every exporter, by format. */
export const EXPORTERS: Record<ExportFormat, (nb: Notebook) => Exported> = {
  json: (nb) => ({
    data: JSON.stringify(exportJson(nb), null, 2) + '\n',
    extension: 'json',
    mime: 'application/json',
  }),
  csv: (nb) => ({ data: exportPeopleCsv(nb), extension: 'csv', mime: 'text/csv' }),
  'csv-ties': (nb) => ({ data: exportTiesCsv(nb), extension: 'ties.csv', mime: 'text/csv' }),
  vcard: (nb) => ({ data: exportVcard(nb), extension: 'vcf', mime: 'text/vcard' }),
  graphml: (nb) => ({
    data: exportGraphml(nb),
    extension: 'graphml',
    mime: 'application/graphml+xml',
  }),
  ics: (nb) => ({ data: exportIcs(nb), extension: 'ics', mime: 'text/calendar' }),
};

function extensionOf(name: string): string {
  const m = /\.([^./\\]+)$/.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/** Which format a text is in (content first, then extension), or a sentence saying none. */
function detectText(text: string, name: string): ImportFormat {
  if (looksJson(text)) return 'json';
  for (const format of ['vcard', 'linkedin', 'google'] as const) {
    if (CONTACTS[format].sniff(text)) return format;
  }
  const ext = extensionOf(name);
  for (const format of IMPORT_FORMATS)
    if (IMPORTERS[format].extensions.includes(ext)) return format;
  throw new VitrineError(
    `${name} is not in a format Vitrine can import. Supported: ${IMPORT_FORMATS.map((f) => IMPORTERS[f].label).join(', ')}. Export your contacts in one of those and import that file.`,
  );
}

function checkNotNotebook(bytes: Uint8Array, name: string): void {
  if (isVitrineFile(bytes)) {
    throw new VitrineError(
      `${name} is a Vitrine notebook file; use "vitrine merge" (or Open in the app) to combine notebooks.`,
    );
  }
}

/** Which format a file is in, or a sentence saying it is none we read. */
export function detectFormat(bytes: Uint8Array, name: string): ImportFormat {
  checkNotNotebook(bytes, name);
  return detectText(readText(bytes, name), name);
}

/**
 * Read a file and plan its import without writing anything. `source` is the notebook or a
 * plain {@link ExistingPeople} snapshot of it (in a Web Worker). Throws a
 * {@link VitrineError} naming the file, the line and what to do when the file is refused.
 */
export function planImport(
  source: Notebook | ExistingPeople,
  bytes: Uint8Array,
  name: string,
  format?: ImportFormat,
  options: PlanOptions = {},
): ImportPlan {
  checkNotNotebook(bytes, name);
  const text = readText(bytes, name);
  const f = format ?? detectText(text, name);
  const existing = 'doc' in source ? existingPeople(source) : source;
  return runSteps(planSteps(existing, text, name, f), options.onProgress);
}

/**
 * {@link planImport} that yields to the event loop between batches, for the main thread:
 * a 10,000-row file never blocks the page for long, and `onProgress` can drive a bar.
 */
export async function planImportAsync(
  source: Notebook | ExistingPeople,
  bytes: Uint8Array,
  name: string,
  format?: ImportFormat,
  options: PlanOptions = {},
): Promise<ImportPlan> {
  checkNotNotebook(bytes, name);
  const text = readText(bytes, name);
  const f = format ?? detectText(text, name);
  const existing = 'doc' in source ? existingPeople(source) : source;
  return runStepsAsync(planSteps(existing, text, name, f), options.onProgress);
}

/** Import a file into a notebook (format detected when not given). One undoable step. */
export function importBytes(
  nb: Notebook,
  bytes: Uint8Array,
  name: string,
  format?: ImportFormat,
): { format: ImportFormat; summary: ImportSummary } {
  const plan = planImport(nb, bytes, name, format);
  return { format: plan.format as ImportFormat, summary: applyImport(nb, plan) };
}

export { applyImport, existingPeople, type ImportPlan, type ExistingPeople, type PlanOptions };
/** Progress reported while planning (`phase`, `done` of `total`). */
export type { ImportProgress } from './incoming.ts';
