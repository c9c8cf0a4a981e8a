/**
 * Web Worker that reads a file and plans its import off the main thread, so a 10,000-row
 * contacts file or a 10,000-event calendar never freezes the page: contacts with
 * `planImport` (`src/io/formats.ts`), activity (a calendar, LinkedIn's archive or messages,
 * mail) with `planActivityImport` / `planMailImport` when the request carries the notebook's
 * plain `ActivityImportSnapshot`.
 *
 * Messaging is Comlink's: the page wraps the worker (`Comlink.wrap<ImportService>`) and
 * calls the {@link ImportService} methods. The page sends the `File` itself (no bytes are
 * copied on the page); the worker reads it. An activity plan stays here: the page gets
 * only what the preview shows ({@link ActivityImportPreview}), asks again when the owner
 * ticks people to add, and on Apply fetches the batch to write in slices. The page
 * terminates the worker to cancel.
 *
 * {@link ImportService} is a plain class: the main-thread fallback (no `Worker`) and tests
 * use it directly.
 */
import * as Comlink from 'comlink';
import { VitrineError } from '../model/errors.ts';
import type { ActivityBatch, ImportedTouch } from '../model/index.ts';
import {
  planImportAsync,
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
import {
  activityBatch,
  previewActivity,
  type ActivityChoices,
  type ActivityPreview,
} from '../io/activity.ts';
import type { MailStats } from '../io/mail.ts';
import { planMailImport } from '../io/mail-import.ts';

/** Is `f` one of the activity formats? */
export function isActivityFormat(f: string | undefined): f is ActivityFormat {
  return (ACTIVITY_FORMATS as readonly string[]).includes(f ?? '');
}

/** Entries per list sent to the page for the preview (the rest are counted). */
export const PREVIEW_LIMIT = 100;

/** Plan the import of one file. */
export interface ImportRequest {
  /** The file itself (a `File` is cloned as a handle: its bytes are read in the worker). */
  readonly file: Blob;
  /** The file's name, used in every message about it. */
  readonly name: string;
  /** Read the file as this format; detected from the content when missing. */
  readonly format?: ImportFormat | ActivityFormat;
  /** The notebook as planning sees it (`existingPeople(nb)`). */
  readonly existing: ExistingPeople;
  /**
   * The notebook as activity planning sees it (`activityImportSnapshot(nb)`), sent when
   * the file is (or is read as) a calendar, a LinkedIn archive or messages file, or mail.
   */
  readonly activity?: ActivityImportSnapshot;
  /** The owner's own addresses given for this import (stored on apply). */
  readonly me?: readonly string[];
}

/** What the preview of an activity import shows; the plan itself stays in the worker. */
export interface ActivityImportPreview {
  format: ActivityFormat;
  file: string;
  activity: ActivityPreview;
  /** The archive's Connections.csv, planned as contacts. */
  contacts?: ImportPlan;
  mail?: MailStats;
}

/** What planning answers: a contacts plan, an activity preview, or why the file was refused. */
export type PlanAnswer =
  | { readonly type: 'plan'; readonly plan: ImportPlan }
  | { readonly type: 'activity'; readonly preview: ActivityImportPreview }
  | {
      readonly type: 'error';
      readonly message: string;
      /** A refusal a person can act on (a `VitrineError`), not a bug. */
      readonly refused: boolean;
    };

/** The batch Apply writes, without its touches (fetched with {@link ImportService.touches}). */
export interface PreparedBatch {
  batch: Omit<ActivityBatch, 'touches'>;
  /** How many touches {@link ImportService.touches} hands out. */
  touches: number;
  contacts?: ImportPlan;
}

const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer());

/** Plans files and keeps the last activity plan until the page applies it. */
export class ImportService {
  private current: ActivityImportPlan | undefined;
  private prepared: ActivityBatch | undefined;

  /** Plan one file; never throws (a refusal or a bug comes back as `error`). */
  async plan(req: ImportRequest, onProgress?: (p: ImportProgress) => void): Promise<PlanAnswer> {
    this.current = undefined;
    this.prepared = undefined;
    const options = { ...(onProgress ? { onProgress } : {}) };
    try {
      const file = req.file;
      const activity = req.format
        ? isActivityFormat(req.format)
          ? req.format
          : undefined
        : detectActivityFormat(await bytesOf(file.slice(0, 65536)), req.name);
      if (!activity) {
        const plan = await planImportAsync(
          req.existing,
          await bytesOf(file),
          req.name,
          req.format as ImportFormat | undefined,
          options,
        );
        return { type: 'plan', plan };
      }
      if (!req.activity) throw new Error(`No notebook snapshot for the activity in ${req.name}.`);
      const me = req.me?.length ? { me: req.me } : {};
      // Mail is streamed from the file, so a 2 GB mailbox never sits in memory.
      const plan =
        activity === 'mbox' || activity === 'eml'
          ? await planMailImport(req.activity, file.stream(), req.name, activity, {
              ...me,
              ...options,
              total: file.size,
            })
          : planActivityImport(req.activity, await bytesOf(file), req.name, activity, {
              ...me,
              ...options,
            });
      this.current = plan;
      return { type: 'activity', preview: this.previewOf(plan, {}) };
    } catch (err) {
      return {
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
        refused: err instanceof VitrineError,
      };
    }
  }

  private previewOf(plan: ActivityImportPlan, choices: ActivityChoices): ActivityImportPreview {
    return {
      format: plan.format,
      file: plan.file,
      activity: previewActivity(plan.activity, choices, PREVIEW_LIMIT),
      ...(plan.contacts ? { contacts: plan.contacts } : {}),
      ...(plan.mail ? { mail: plan.mail } : {}),
    };
  }

  private plan_(): ActivityImportPlan {
    if (!this.current) throw new Error('No activity import is planned.');
    return this.current;
  }

  /** The preview again for the owner's choices (the ties of the people ticked to add). */
  preview(choices: ActivityChoices): ActivityImportPreview {
    return this.previewOf(this.plan_(), choices);
  }

  /** Build the batch for the owner's choices; its touches are fetched in slices. */
  prepare(choices: ActivityChoices): PreparedBatch {
    const plan = this.plan_();
    const { touches = [], ...batch } = (this.prepared = activityBatch(plan.activity, choices));
    return {
      batch,
      touches: touches.length,
      ...(plan.contacts ? { contacts: plan.contacts } : {}),
    };
  }

  /** Touches `from` to `from + count` of the prepared batch. */
  touches(from: number, count: number): ImportedTouch[] {
    if (!this.prepared) throw new Error('No batch is prepared.');
    return (this.prepared.touches ?? []).slice(from, from + count);
  }
}

// Only wire up messages inside a dedicated worker: Node (tests) may import this file for
// `ImportService` and must not touch a global `onmessage`.
const WorkerGlobal = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
  .WorkerGlobalScope;
if (WorkerGlobal !== undefined && globalThis instanceof WorkerGlobal) {
  Comlink.expose(new ImportService());
}
