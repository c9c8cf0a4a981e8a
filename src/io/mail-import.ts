/**
 * Planning a mail import from a stream (a Node file stream in the CLI, `File.stream()` in
 * the app's import worker): the mailbox is read chunk by chunk (`readMail`), then planned
 * like any activity (`planActivity`), so a 2 GB mbox is never held in memory. Applying
 * is `applyActivityImport` (one transaction, one undo step), as for calendars.
 */
import { VitrineError, type Notebook } from '../model/index.ts';
import { planActivity } from './activity.ts';
import {
  activityImportSnapshot,
  type ActivityImportOptions,
  type ActivityImportPlan,
  type ActivityImportSnapshot,
} from './activity-import.ts';
import { runSteps } from './plan.ts';
import { readMail, type MailFormat, type MailSource } from './mail.ts';

export { MAIL_FORMATS, sniffMail, type MailFormat, type MailStats } from './mail.ts';

const LABELS: Record<MailFormat, string> = {
  mbox: 'Mailbox (.mbox)',
  eml: 'One e-mail (.eml)',
};

/**
 * Read a mailbox or message streamed and plan its import without writing anything.
 * `total` (bytes) drives progress. A file with no message at all is refused.
 */
export async function planMailImport(
  source: Notebook | ActivityImportSnapshot,
  input: MailSource,
  name: string,
  format: MailFormat,
  options: ActivityImportOptions & { total?: number } = {},
): Promise<ActivityImportPlan> {
  const snap = 'doc' in source ? activityImportSnapshot(source) : source;
  const { mail, ...parsed } = await readMail(input, name, format, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.total !== undefined ? { total: options.total } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (!mail.messages) {
    throw new VitrineError(
      `${name} holds no e-mail: no message headers were found in it. Export the mailbox as .mbox (or a message as .eml) and import that.`,
    );
  }
  const meta = { format, label: LABELS[format], file: name };
  const activity = runSteps(planActivity(snap.activity, parsed, meta, options), options.onProgress);
  return { format, file: name, activity, mail };
}
