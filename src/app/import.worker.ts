/**
 * Web Worker that reads a contacts file and plans its import (`planImport` from
 * `src/io/formats.ts`) off the main thread, so a 10,000-row file never freezes the page.
 * A file of activity (a calendar, LinkedIn's archive or its messages) is planned here too
 * (`planActivityImport` from `src/io/activity-import.ts`) when the request carries the
 * notebook's plain `ActivityImportSnapshot`.
 *
 * Protocol: one {@link ImportRequest} in (the file's bytes, its name, an optional format and
 * the plain `existingPeople(nb)` snapshot); any number of `progress` answers, then exactly
 * one `plan` or `error` answer, all carrying the request's `id`. The worker keeps nothing
 * between requests; the page terminates it to cancel.
 *
 * The body is {@link handleImportRequest}, a plain function: the main-thread fallback (no
 * `Worker`) and tests call it directly.
 */
import { VitrineError } from '../model/errors.ts';
import {
  planImport,
  type ExistingPeople,
  type ImportFormat,
  type ImportPlan,
  type ImportProgress,
} from '../io/formats.ts';
import {
  ACTIVITY_FORMATS,
  detectActivityFormat,
  planActivityImport,
  type ActivityFormat,
  type ActivityImportPlan,
  type ActivityImportSnapshot,
} from '../io/activity-import.ts';
import { planMailImport } from '../io/mail-import.ts';

/** Is `f` one of the activity formats? */
export function isActivityFormat(f: string | undefined): f is ActivityFormat {
  return (ACTIVITY_FORMATS as readonly string[]).includes(f ?? '');
}

/** Plan the import of one file. */
export interface ImportRequest {
  /** Echoed back, so an answer to an abandoned request can be told apart. */
  readonly id: number;
  readonly bytes: Uint8Array;
  /** The file's name, used in every message about it. */
  readonly name: string;
  /** Read the file as this format; detected from the content when missing. */
  readonly format?: ImportFormat | ActivityFormat;
  /** The notebook as planning sees it (`existingPeople(nb)`). */
  readonly existing: ExistingPeople;
  /**
   * The notebook as activity planning sees it (`activityImportSnapshot(nb)`), sent when
   * the file is (or is read as) a calendar or a LinkedIn archive or messages file.
   */
  readonly activity?: ActivityImportSnapshot;
  /** The owner's own addresses given for this import (stored on apply). */
  readonly me?: readonly string[];
  /**
   * The file itself, for mail: a mailbox is read here with `File.stream()`, chunk by
   * chunk, never whole (then `bytes` holds only its first 64 kB, for detection).
   */
  readonly file?: Blob;
}

/** What the worker answers: progress while planning, then the plan or why the file was refused. */
export type ImportResponse =
  | { readonly id: number; readonly type: 'progress'; readonly progress: ImportProgress }
  | { readonly id: number; readonly type: 'plan'; readonly plan: ImportPlan }
  | { readonly id: number; readonly type: 'activity-plan'; readonly plan: ActivityImportPlan }
  | {
      readonly id: number;
      readonly type: 'error';
      readonly message: string;
      /** A refusal a person can act on (a `VitrineError`), not a bug. */
      readonly refused: boolean;
    };

/** Run one request, reporting through `post`; never throws (resolves once answered). */
export function handleImportRequest(
  req: ImportRequest,
  post: (r: ImportResponse) => void,
): void | Promise<void> {
  const fail = (err: unknown) =>
    post({
      id: req.id,
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
      refused: err instanceof VitrineError,
    });
  try {
    const onProgress = (progress: ImportProgress) =>
      post({ id: req.id, type: 'progress', progress });
    const activity = req.format
      ? isActivityFormat(req.format)
        ? req.format
        : undefined
      : detectActivityFormat(req.bytes, req.name);
    if (activity) {
      if (!req.activity) throw new Error(`No notebook snapshot for the activity in ${req.name}.`);
      if ((activity === 'mbox' || activity === 'eml') && req.file) {
        // Mail is streamed from the file, so a 2 GB mailbox never sits in memory.
        const file = req.file;
        return planMailImport(req.activity, file.stream(), req.name, activity, {
          ...(req.me?.length ? { me: req.me } : {}),
          total: file.size,
          onProgress,
        }).then((plan) => post({ id: req.id, type: 'activity-plan', plan }), fail);
      }
      const plan = planActivityImport(req.activity, req.bytes, req.name, activity, {
        ...(req.me?.length ? { me: req.me } : {}),
        onProgress,
      });
      post({ id: req.id, type: 'activity-plan', plan });
      return;
    }
    const format = req.format as ImportFormat | undefined;
    const plan = planImport(req.existing, req.bytes, req.name, format, {
      onProgress,
    });
    post({ id: req.id, type: 'plan', plan });
  } catch (err) {
    fail(err);
  }
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<ImportRequest>) => void) | null;
  postMessage(message: ImportResponse): void;
}

// Only wire up messages inside a dedicated worker: Node (tests) may import this file for
// `handleImportRequest` and must not touch a global `onmessage`.
const WorkerGlobal = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
  .WorkerGlobalScope;
if (WorkerGlobal !== undefined && globalThis instanceof WorkerGlobal) {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (e) => void handleImportRequest(e.data, (r) => scope.postMessage(r));
}
