/**
 * Every import and export format in one table, shared by the app and the CLI.
 * Detection looks at the content first (magic bytes, JSON shape, CSV header), then the name.
 */
import { VitrineError, type Notebook } from '../model/index.ts';
import { exportJson, importJson, parseVitrineJson, type ImportSummary } from './json.ts';
import { isVitrineFile } from './vitrine-file.ts';

export const IMPORT_FORMATS = ['json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const EXPORT_FORMATS = ['json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface Importer {
  /** Human name for messages ("Vitrine JSON"). */
  readonly label: string;
  /** Does this content look like this format? */
  sniff(text: string, name: string): boolean;
  /** Parse and apply as one undoable step; throws a VitrineError naming what to do. */
  apply(nb: Notebook, text: string, name: string): ImportSummary;
}

export const IMPORTERS: Record<ImportFormat, Importer> = {
  json: {
    label: 'Vitrine JSON',
    sniff: (text, name) => /^\s*\{/.test(text.replace(/^\uFEFF/, '')) || /\.json$/i.test(name),
    apply: (nb, text, name) => importJson(nb, parseVitrineJson(text, name)),
  },
};

export interface Exported {
  readonly data: string | Uint8Array;
  readonly extension: string;
  readonly mime: string;
}

export const EXPORTERS: Record<ExportFormat, (nb: Notebook) => Exported> = {
  json: (nb) => ({
    data: JSON.stringify(exportJson(nb), null, 2) + '\n',
    extension: 'json',
    mime: 'application/json',
  }),
};

/** Decode bytes as text (UTF-8, or UTF-16 with a byte-order mark, as Excel writes). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** Which format a file is in, or a sentence saying it is none we read. */
export function detectFormat(bytes: Uint8Array, name: string): ImportFormat {
  if (isVitrineFile(bytes)) {
    throw new VitrineError(
      `${name} is a Vitrine notebook file; use "vitrine merge" (or Open in the app) to combine notebooks.`,
    );
  }
  if (bytes.length === 0) throw new VitrineError(`${name} is empty: there is nothing to import.`);
  const text = decodeText(bytes);
  if (text.includes('\u0000')) {
    throw new VitrineError(
      `${name} looks like a binary file, not contacts. Export CSV, vCard or Vitrine JSON and import that.`,
    );
  }
  for (const format of IMPORT_FORMATS) if (IMPORTERS[format].sniff(text, name)) return format;
  throw new VitrineError(
    `${name} is not in a format Vitrine can import. Supported: ${IMPORT_FORMATS.map((f) => IMPORTERS[f].label).join(', ')}.`,
  );
}

/** Import a file into a notebook (format detected when not given). One undoable step. */
export function importBytes(
  nb: Notebook,
  bytes: Uint8Array,
  name: string,
  format?: ImportFormat,
): { format: ImportFormat; summary: ImportSummary } {
  const f = format ?? detectFormat(bytes, name);
  if (bytes.length === 0) throw new VitrineError(`${name} is empty: there is nothing to import.`);
  return { format: f, summary: IMPORTERS[f].apply(nb, decodeText(bytes), name) };
}
