/**
 * LinkedIn's whole data export (`Basic_LinkedInDataExport_….zip`), read with fflate: the
 * entries Vitrine uses are `Connections.csv` (people, as the contacts importer reads it),
 * `messages.csv` and `Invitations.csv` (touches, see `linkedin-messages.ts`) and
 * `Profile.csv` (the owner's own name, so the owner is never matched as a contact).
 * Everything else in the archive is never decompressed.
 *
 * Bounds: an entry that claims more than {@link MAX_ENTRY_BYTES} uncompressed (a "zip
 * bomb", or simply not LinkedIn's) is refused before anything is inflated; fflate inflates
 * into a buffer of the claimed size, so a lying header cannot use more memory than that.
 */
import { unzipSync } from 'fflate';
import { VitrineError } from '../model/index.ts';
import { decodeText } from './text.ts';
import { Columns, cell, csvRows, findHeader, type CsvRow } from './csv.ts';
import type { Participant } from './activity.ts';
import { runSteps } from './plan.ts';

/** Largest uncompressed entry read from an archive (LinkedIn's are a few megabytes). */
export const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

/** The entries of a LinkedIn archive Vitrine reads, as text. */
export interface LinkedInArchive {
  connections?: string;
  messages?: string;
  invitations?: string;
  profile?: string;
}

const WANTED: Record<string, keyof LinkedInArchive> = {
  'connections.csv': 'connections',
  'messages.csv': 'messages',
  'invitations.csv': 'invitations',
  'profile.csv': 'profile',
};

/** Does this file start like a zip archive? */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Open a LinkedIn export archive and read the entries Vitrine uses, or refuse it with a
 * sentence: damaged, not LinkedIn's, or claiming more than {@link MAX_ENTRY_BYTES}.
 */
export function readLinkedInArchive(bytes: Uint8Array, name: string): LinkedInArchive {
  const out: LinkedInArchive = {};
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const base = f.name.split('/').pop()!.toLowerCase();
        const key = WANTED[base];
        if (!key) return false;
        if (f.originalSize > MAX_ENTRY_BYTES) {
          throw new VitrineError(
            `${name} has an entry "${f.name}" that claims ${Math.round(f.originalSize / 1048576).toLocaleString('en')} MB unpacked, far more than any LinkedIn export; it was not opened. Download the archive from LinkedIn again.`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof VitrineError) throw e;
    throw new VitrineError(
      `${name} is a damaged or incomplete zip archive (${(e as Error).message}). Download the export from LinkedIn again and import the .zip as it came.`,
    );
  }
  for (const [path, data] of Object.entries(files)) {
    const key = WANTED[path.split('/').pop()!.toLowerCase()]!;
    if (out[key] === undefined) out[key] = decodeText(data);
  }
  if (!out.connections && !out.messages && !out.invitations) {
    throw new VitrineError(
      `${name} is a zip archive but not LinkedIn's data export: it holds no Connections.csv, messages.csv or Invitations.csv. On LinkedIn, Settings → Data privacy → Get a copy of your data, then import the .zip it sends.`,
    );
  }
  return out;
}

/** The owner as `Profile.csv` names them (first and last name), if it is there. */
export function profileOwner(text: string | undefined, name: string): Participant[] {
  if (!text) return [];
  const header = findHeader(text, (c) => c.has('first name') && c.has('last name'));
  if (!header) return [];
  const cols = new Columns(header.columns);
  const first = cols.find('First Name');
  const last = cols.find('Last Name');
  const out: Participant[] = [];
  runSteps(
    csvRows(text, header, name, (rows: CsvRow[]) => {
      for (const { cells } of rows) {
        const full = [cell(cells, first), cell(cells, last)].filter(Boolean).join(' ');
        if (full && !out.length) out.push({ name: full });
      }
    }),
  );
  return out;
}
