/**
 * Reading and writing CSV with papaparse (a real CSV parser: quoted fields, embedded
 * newlines and delimiters, doubled quotes), plus what contact exports need on top:
 *
 * - the header row is *found* (LinkedIn puts a "Notes:" preamble before it), by the
 *   column names the caller knows, within the first lines of the file;
 * - the delimiter is taken from that header line (`,` `;` or tab: Excel in many European
 *   locales saves CSV with semicolons);
 * - every row carries the 1-based line it starts on, counting the newlines inside quoted
 *   fields, so messages can say "line 214";
 * - rows arrive in batches through a generator, so the app can parse 10,000 rows without
 *   blocking (papaparse's `chunk` + `pause`/`resume`).
 */
import Papa from 'papaparse';
import { VitrineError } from '../model/index.ts';
import { headLines } from './text.ts';
import type { ImportProgress } from './incoming.ts';

/** A found header: where it is, its delimiter, and its columns by folded name. */
export interface CsvHeader {
  /** 1-based line of the header row. */
  line: number;
  /** Character offset where the header row starts. */
  offset: number;
  delimiter: string;
  newline: '\n' | '\r\n' | '\r';
  /** The header cells as written. */
  columns: string[];
}

/** One data row with the line it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** A header name folded for matching ("E-mail 1 - Value" → "e-mail 1 - value"). */
export function foldColumn(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

function splitHeader(line: string, delimiter: string): string[] {
  // One line through papaparse, so a quoted preamble line that mentions column names
  // ("…layout (Name, Given Name, …)") stays one cell and is not taken for the header.
  const row = Papa.parse<string[]>(line, { delimiter, newline: '\n' }).data[0] ?? [];
  return row.map((c) => c.trim());
}

/**
 * Find the header row among the first lines: the first line that, split on `,` `;` or tab,
 * satisfies `accept` (which gets the folded column names).
 */
export function findHeader(
  text: string,
  accept: (folded: Set<string>) => boolean,
  maxLines = 40,
): CsvHeader | undefined {
  const lines = headLines(text, maxLines);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (const delimiter of DELIMITERS) {
      if (!line.includes(delimiter)) continue;
      const columns = splitHeader(line, delimiter);
      if (accept(new Set(columns.map(foldColumn)))) {
        return { line: i + 1, offset, delimiter, newline: newlineOf(text), columns };
      }
    }
    offset += line.length + lineBreakLength(text, offset + line.length);
  }
  return undefined;
}

function lineBreakLength(text: string, at: number): number {
  if (text[at] === '\r' && text[at + 1] === '\n') return 2;
  return text[at] === '\n' || text[at] === '\r' ? 1 : 0;
}

function newlineOf(text: string): '\n' | '\r\n' | '\r' {
  const n = text.indexOf('\n');
  if (n > 0 && text[n - 1] === '\r') return '\r\n';
  if (n >= 0) return '\n';
  return text.includes('\r') ? '\r' : '\n';
}

/**
 * The line that most looks like a header (the first with a delimiter, else the first
 * non-blank one), for messages about a header nobody recognises.
 */
export function firstLine(text: string): { line: number; text: string } {
  const lines = headLines(text, 40);
  let i = lines.findIndex((l) => DELIMITERS.some((d) => l.includes(d)));
  if (i < 0) i = lines.findIndex((l) => l.trim());
  return { line: i + 1, text: (lines[i] ?? '').trim() };
}

function countNewlines(s: string, newline: string): number {
  const ch = newline === '\r' ? '\r' : '\n';
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * The data rows after a header, in batches, with their line numbers. Yields progress (in
 * characters) after each batch; returns nothing. Blank rows are dropped. A quoting error
 * (a quote never closed, or text right after a closing quote) refuses the whole file with
 * the line it starts on, since every row after it would be read wrong.
 */
export function* csvRows(
  text: string,
  header: CsvHeader,
  name: string,
  onRows: (rows: CsvRow[]) => void,
  chunkSize = 256 * 1024,
): Generator<ImportProgress, void, void> {
  const body = text.slice(header.offset);
  let line = header.line;
  let pending: Papa.ParseResult<string[]>[] = [];
  let parser: Papa.Parser | undefined;
  let done = false;
  let headerSeen = false;
  let consumed = header.offset;
  Papa.parse<string[]>(body, {
    delimiter: header.delimiter,
    // Given explicitly: papaparse guesses line endings per chunk, and a chunk that ends
    // between \r and \n would make it guess wrong.
    newline: header.newline,
    chunkSize,
    chunk(results: Papa.ParseResult<string[]>, p: Papa.Parser) {
      pending.push(results);
      parser = p;
      p.pause();
    },
    complete() {
      done = true;
    },
  });
  for (;;) {
    const batches = pending;
    pending = [];
    for (const results of batches) {
      // A chunk's unfinished last row is dropped and parsed again with the next chunk, but
      // papaparse still reports quote errors for it: only errors on kept rows are real.
      const quoteError = results.errors.find(
        (e) => e.type === 'Quotes' && (e.row ?? 0) < results.data.length,
      );
      const rows: CsvRow[] = [];
      const lines: number[] = [];
      for (const cells of results.data) {
        lines.push(line);
        line += 1 + cells.reduce((n, c) => n + countNewlines(c, header.newline), 0);
        if (!headerSeen) {
          headerSeen = true;
          continue;
        }
        if (cells.length === 1 && !cells[0]!.trim()) continue;
        rows.push({ line: lines[lines.length - 1]!, cells });
      }
      if (quoteError) {
        const at = lines[quoteError.row ?? 0] ?? line;
        const what =
          quoteError.code === 'MissingQuotes'
            ? 'a quoted field is never closed (a stray " character?)'
            : 'there is text right after a closing quote (a " inside a field must be doubled as "")';
        throw new VitrineError(
          `${name}, line ${at}: ${what}. Nothing was imported. Fix that line in a text editor, or export the file again, and retry.`,
        );
      }
      onRows(rows);
      // The cursor counts from the start of `body` across chunks.
      consumed = header.offset + (results.meta.cursor ?? 0);
    }
    if (done || !parser) break;
    yield { phase: 'read', done: Math.min(consumed, text.length), total: text.length };
    parser.resume();
  }
  yield { phase: 'read', done: text.length, total: text.length };
}

/** Column lookup by (folded) name over a header. */
export class Columns {
  private readonly index = new Map<string, number>();
  readonly names: readonly string[];

  constructor(columns: readonly string[]) {
    this.names = columns;
    columns.forEach((c, i) => {
      const k = foldColumn(c);
      if (!this.index.has(k)) this.index.set(k, i);
    });
  }

  /** The index of the first of `names` present, or -1. */
  find(...names: string[]): number {
    for (const n of names) {
      const i = this.index.get(foldColumn(n));
      if (i !== undefined) return i;
    }
    return -1;
  }

  /** Every column whose folded name matches `re`, in order. */
  matching(re: RegExp): number[] {
    const out: number[] = [];
    this.names.forEach((n, i) => {
      if (re.test(foldColumn(n))) out.push(i);
    });
    return out;
  }
}

/** A cell's trimmed text (empty for a missing cell); a formula guard `'=` is undone. */
export function cell(cells: readonly string[], i: number): string {
  if (i < 0) return '';
  const v = (cells[i] ?? '').trim();
  // Our own CSV export (and many others) prefixes formula-like cells with ' so that a
  // spreadsheet does not run them; take it off again on the way in.
  return v.charCodeAt(0) === 0x27 && /^'[=+\-@]/.test(v) ? v.slice(1) : v;
}

/** Excel and Sheets run cells starting with these as formulas (CSV injection). */
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s(.])/;

/** Write rows as CSV (RFC 4180, CRLF, formula-like cells guarded with a leading '). */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return (
    Papa.unparse(
      { fields: [...header], data: rows.map((r) => [...r]) },
      { newline: '\r\n', escapeFormulae: FORMULA, quotes: false },
    ) + '\r\n'
  );
}
