/**
 * Turning a file's bytes into text, or refusing it with a sentence: empty files, binary
 * files and well-known non-contact formats (PDF, images, spreadsheets) are named as such.
 *
 * Encodings handled: UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM (what Excel's
 * "Unicode text" writes) or without one (detected from the zero bytes), and Windows-1252
 * as the fallback for bytes that are not valid UTF-8 (Excel's plain "CSV" on Windows).
 */
import { VitrineError } from '../model/index.ts';

/** Known binary formats a person might pick by mistake, with what to do instead. */
const MAGIC: readonly { bytes: readonly number[]; what: string; todo: string }[] = [
  {
    bytes: [0x25, 0x50, 0x44, 0x46, 0x2d],
    what: 'a PDF document',
    todo: 'Export your contacts as CSV or vCard (.vcf) and import that.',
  },
  {
    bytes: [0x89, 0x50, 0x4e, 0x47],
    what: 'a PNG image',
    todo: 'Export your contacts as CSV or vCard (.vcf) and import that.',
  },
  {
    bytes: [0xff, 0xd8, 0xff],
    what: 'a JPEG image',
    todo: 'Export your contacts as CSV or vCard (.vcf) and import that.',
  },
  {
    bytes: [0x47, 0x49, 0x46, 0x38],
    what: 'a GIF image',
    todo: 'Export your contacts as CSV or vCard (.vcf) and import that.',
  },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'a ZIP archive (an Excel .xlsx workbook or a zipped export)',
    todo: 'Unzip it, or save the sheet as "CSV UTF-8", and import the CSV file.',
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    what: 'an old Excel or Word file',
    todo: 'Save the sheet as "CSV UTF-8" and import that.',
  },
];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** UTF-16 without a BOM: ASCII text has a zero in every other byte. */
function utf16Guess(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.9 && evenZero === 0) return 'utf-16le';
  if (evenZero > pairs * 0.9 && oddZero === 0) return 'utf-16be';
  return undefined;
}

/** Decode bytes as text (UTF-8, UTF-16 with or without a BOM, else Windows-1252). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  const utf16 = utf16Guess(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    // Not valid UTF-8: Excel on Windows saves "CSV" in the ANSI code page, which is
    // Windows-1252 for Western European languages (the common case for contact names).
    return decodeWindows1252(bytes);
  }
}

// Bytes 0x80-0x9F of Windows-1252 (WHATWG index). Node's TextDecoder('windows-1252')
// decodes them as Latin-1 control characters (seen on Node 20), so the table is ours.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Decode Windows-1252 bytes (every byte maps to one character, so it can be undone). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(
      ...Array.from(chunk, (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH.charCodeAt(b - 0x80) : b)),
    );
  }
  return out;
}

/** Does the text hold control characters no contacts file has (so it is binary)? */
function looksBinary(text: string): boolean {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  return control > 0 && control >= sample.length / 1000;
}

/**
 * The text of a file to import, or a {@link VitrineError} naming the file and what to do
 * when it is empty, binary, or a kind of file that holds no contacts.
 */
export function readText(bytes: Uint8Array, name: string): string {
  if (bytes.length === 0) {
    throw new VitrineError(
      `${name} is empty: there is nothing to import. Check that the export finished, then export again.`,
    );
  }
  for (const m of MAGIC) {
    if (startsWith(bytes, m.bytes)) {
      throw new VitrineError(`${name} is ${m.what}, not a contacts file. ${m.todo}`);
    }
  }
  const text = decodeText(bytes);
  if (looksBinary(text)) {
    throw new VitrineError(
      `${name} looks like a binary file, not contacts. Export CSV, vCard (.vcf) or Vitrine JSON and import that.`,
    );
  }
  if (!text.trim()) {
    throw new VitrineError(
      `${name} holds only blank space: there is nothing to import. Check that the export finished, then export again.`,
    );
  }
  return text;
}

/** The first `max` lines of a text (for sniffing headers without parsing the whole file). */
export function headLines(text: string, max = 40): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < max && start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lines.push(text.slice(start, end).replace(/\r$/, ''));
    start = end + 1;
  }
  return lines;
}
