/**
 * Downloads from the page: a file the browser saves, made from bytes or text in memory.
 * Nothing leaves the device; the object URL is revoked once the download has read it.
 */
import { saveNotebookFile } from '../../io/vitrine-file.ts';
import type { Notebook } from '../../model/index.ts';
import { formatInstant } from '../../time/dates.ts';

/** Have the browser save `data` as `name`. */
export function downloadBytes(data: Uint8Array | string, name: string, mime: string): void {
  const blob = new Blob([typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)], {
    type: mime,
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked later: the download reads the blob after this click returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Download the whole notebook as a `.vitrine` backup named by the time (`vitrine-2026-12-02-03-40.vitrine`). */
export function downloadBackup(nb: Notebook): void {
  const stamp = formatInstant(Date.now()).slice(0, 16).replace(/[T:]/g, '-');
  downloadBytes(saveNotebookFile(nb), `vitrine-${stamp}.vitrine`, 'application/octet-stream');
}
