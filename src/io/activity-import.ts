/**
 * Imports of activity — calendars, LinkedIn's whole archive, LinkedIn's messages or
 * invitations alone — as one registry beside the contacts formats of `formats.ts`:
 * detection from content, {@link planActivityImport} (no writes; runs in a worker from a
 * plain {@link ActivityImportSnapshot}) and {@link applyActivityImport} (one transaction,
 * one undo step).
 */
import {
  VitrineError,
  applyActivity,
  rawGet,
  type ActivityBatch,
  type ActivityRef,
  type ActivityResult,
  type Notebook,
} from '../model/index.ts';
import {
  activityBatch,
  activitySnapshot,
  planActivity,
  type ActivityChoices,
  type ActivityPlan,
  type ActivitySnapshot,
  type ParsedActivity,
  type Participant,
} from './activity.ts';
import { parseCalendar, sniffCalendar } from './calendar.ts';
import { emailKey, nameKey, urlKey } from './dedupe.ts';
import type { ImportProgress } from './incoming.ts';
import { isZip, profileOwner, readLinkedInArchive } from './linkedin-archive.ts';
import {
  parseLinkedInInvitations,
  parseLinkedInMessages,
  sniffLinkedInInvitations,
  sniffLinkedInMessages,
} from './linkedin-messages.ts';
import { parseLinkedIn } from './linkedin.ts';
import type { ImportSummary } from './json.ts';
import {
  applyImport,
  existingPeople,
  planContacts,
  runSteps,
  type ExistingPeople,
  type ImportPlan,
} from './plan.ts';
import { readText } from './text.ts';
import { MAIL_FORMATS, readMailSteps, sniffMail, type MailStats } from './mail.ts';
import { isVitrineFile } from './vitrine-file.ts';

/** Activity formats (the further `--format` names of `vitrine import`). */
export const ACTIVITY_FORMATS = [
  'calendar',
  'linkedin-archive',
  'linkedin-messages',
  ...MAIL_FORMATS,
] as const;
/** One of {@link ACTIVITY_FORMATS}. */
export type ActivityFormat = (typeof ACTIVITY_FORMATS)[number];

const LABELS: Record<ActivityFormat, string> = {
  calendar: 'Calendar (.ics)',
  'linkedin-archive': 'LinkedIn data export (.zip)',
  'linkedin-messages': 'LinkedIn messages or invitations (.csv)',
  mbox: 'Mailbox (.mbox)',
  eml: 'One e-mail (.eml)',
};

/** Largest calendar or CSV read (a decade of meetings is a few tens of megabytes). */
export const MAX_ACTIVITY_BYTES = 256 * 1024 * 1024;

/** What planning an activity import needs from the notebook (plain; post it to a worker). */
export interface ActivityImportSnapshot {
  activity: ActivitySnapshot;
  /** For the archive's Connections.csv, planned as the contacts importer does. */
  people: ExistingPeople;
}

/** The snapshot {@link planActivityImport} reads. */
export function activityImportSnapshot(nb: Notebook): ActivityImportSnapshot {
  return { activity: activitySnapshot(nb), people: existingPeople(nb) };
}

/** What an activity import would do: the activity, and the archive's contacts if any. */
export interface ActivityImportPlan {
  format: ActivityFormat;
  file: string;
  activity: ActivityPlan;
  contacts?: ImportPlan;
  /** For mail: messages read, counted and skipped per reason. */
  mail?: MailStats;
}

/** Options for planning. */
export interface ActivityImportOptions {
  /** The owner's own addresses (`--me`). */
  me?: readonly string[];
  /** "Now" (tests): occurrences after it are next meetings, not touches. */
  now?: Date;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Which activity format a file is in, or `undefined` when it is none (it may still be a
 * contacts file: see `detectFormat` in `formats.ts`).
 */
export function detectActivityFormat(bytes: Uint8Array, name: string): ActivityFormat | undefined {
  if (isZip(bytes)) return /\.(xlsx|docx|odt|ods)$/i.test(name) ? undefined : 'linkedin-archive';
  if (isVitrineFile(bytes) || !bytes.length) return undefined;
  const mail = sniffMail(bytes.subarray(0, 65536), name);
  if (mail) return mail;
  const head = new TextDecoder().decode(bytes.subarray(0, 65536)).replace(/^\uFEFF/, '');
  if (sniffCalendar(head)) return 'calendar';
  if (sniffLinkedInMessages(head) || sniffLinkedInInvitations(head)) return 'linkedin-messages';
  if (/\.ics$/i.test(name)) return 'calendar';
  return undefined;
}

function merge(parts: ParsedActivity[]): ParsedActivity {
  const out: ParsedActivity = { events: [], warnings: [], owner: [] };
  for (const p of parts) {
    for (const e of p.events) out.events.push(e);
    out.warnings.push(...p.warnings);
    out.owner.push(...p.owner);
    if (p.organizers) out.organizers = { ...out.organizers, ...p.organizers };
  }
  return out;
}

function* parseCsvActivity(
  text: string,
  name: string,
  owner: Participant[],
): Generator<ImportProgress, ParsedActivity, void> {
  if (sniffLinkedInMessages(text)) return yield* parseLinkedInMessages(text, name, owner);
  if (sniffLinkedInInvitations(text)) return yield* parseLinkedInInvitations(text, name);
  throw new VitrineError(
    `${name} is neither LinkedIn's messages.csv nor its Invitations.csv (no header with "CONVERSATION ID, FROM, TO, DATE" or "From, To, Sent At, Direction"). Import those files from LinkedIn's data export, or the whole .zip.`,
  );
}

/** Virtual ids for the archive's new people while planning (`new:<index in contacts.added>`). */
const VIRTUAL = 'new:';

function* planSteps(
  snap: ActivityImportSnapshot,
  bytes: Uint8Array,
  name: string,
  format: ActivityFormat,
  options: ActivityImportOptions,
): Generator<ImportProgress, ActivityImportPlan, void> {
  const meta = { format, label: LABELS[format], file: name };
  if (format === 'mbox' || format === 'eml') {
    const { mail, ...parsed } = yield* readMailSteps(bytes, name, format, { now: options.now });
    if (!mail.messages) {
      throw new VitrineError(
        `${name} holds no e-mail: no message headers were found in it. Export the mailbox as .mbox (or a message as .eml) and import that.`,
      );
    }
    const activity = yield* planActivity(snap.activity, parsed, meta, options);
    return { format, file: name, activity, mail };
  }
  if (format === 'calendar') {
    const text = readText(bytes, name);
    const parsed = yield* parseCalendar(text, name, { now: options.now });
    const activity = yield* planActivity(snap.activity, parsed, meta, options);
    return { format, file: name, activity };
  }
  if (format === 'linkedin-messages') {
    const text = readText(bytes, name);
    const parsed = yield* parseCsvActivity(text, name, []);
    const activity = yield* planActivity(snap.activity, parsed, meta, options);
    return { format, file: name, activity };
  }
  if (!isZip(bytes)) {
    throw new VitrineError(
      `${name} is not a zip archive. Import the .zip LinkedIn sent as it came, or its CSV files one by one.`,
    );
  }
  const archive = readLinkedInArchive(bytes, name);
  const owner = profileOwner(archive.profile, `${name}: Profile.csv`);
  let contacts: ImportPlan | undefined;
  const activitySnap: ActivitySnapshot = { ...snap.activity, people: [...snap.activity.people] };
  if (archive.connections) {
    contacts = yield* planContacts(
      snap.people,
      parseLinkedIn(archive.connections, `${name}: Connections.csv`),
      { format: 'linkedin', label: 'LinkedIn connections (Connections.csv)', file: name },
    );
    contacts.added.forEach((a, i) =>
      activitySnap.people.push({
        id: `${VIRTUAL}${i}`,
        name: a.person.name,
        emails: a.person.emails,
        links: a.person.links,
      }),
    );
  }
  const parts: ParsedActivity[] = [];
  if (archive.messages)
    parts.push(yield* parseLinkedInMessages(archive.messages, `${name}: messages.csv`, owner));
  if (archive.invitations)
    parts.push(yield* parseLinkedInInvitations(archive.invitations, `${name}: Invitations.csv`));
  const parsed = merge(parts);
  parsed.owner.push(...owner);
  const activity = yield* planActivity(activitySnap, parsed, meta, options);
  return { format, file: name, activity, ...(contacts ? { contacts } : {}) };
}

/**
 * Read a file of activity and plan its import without writing anything. `source` is the
 * notebook or its {@link ActivityImportSnapshot} (in a Web Worker). Throws a
 * {@link VitrineError} naming the file and what to do when the file is refused.
 */
export function planActivityImport(
  source: Notebook | ActivityImportSnapshot,
  bytes: Uint8Array,
  name: string,
  format?: ActivityFormat,
  options: ActivityImportOptions = {},
): ActivityImportPlan {
  if (bytes.length > MAX_ACTIVITY_BYTES) {
    throw new VitrineError(
      `${name} is ${Math.round(bytes.length / 1048576)} MB, more than the ${MAX_ACTIVITY_BYTES / 1048576} MB Vitrine reads at once. Export a shorter period and import the parts one by one.`,
    );
  }
  const f = format ?? detectActivityFormat(bytes, name);
  if (!f) {
    throw new VitrineError(
      `${name} is not a calendar (.ics), a mailbox (.mbox, .eml) or a LinkedIn export. Export the calendar as .ics, the mail as .mbox, or LinkedIn's data as a .zip, and import that.`,
    );
  }
  const snap = 'doc' in source ? activityImportSnapshot(source) : source;
  return runSteps(planSteps(snap, bytes, name, f, options), options.onProgress);
}

/** What {@link applyActivityImport} did. */
export interface ActivityImportResult {
  activity: ActivityResult;
  contacts?: ImportSummary;
}

/**
 * Apply a plan and the owner's choices as ONE local transaction (one undo step): the
 * archive's connections through the contacts importer, then touches, inferred ties, next
 * meetings and owner-tie dates through the model's bulk commands.
 */
export function applyActivityImport(
  nb: Notebook,
  plan: ActivityImportPlan,
  choices: ActivityChoices = {},
): ActivityImportResult {
  return applyActivityBatch(nb, activityBatch(plan.activity, choices), plan.contacts);
}

/**
 * Apply an activity batch (`activityBatch` of a plan and the owner's choices, built where
 * the plan is, e.g. in the import worker) and the archive's contacts plan, if any, as ONE
 * local transaction (one undo step).
 */
export function applyActivityBatch(
  nb: Notebook,
  batch: ActivityBatch,
  contactsPlan?: ImportPlan,
): ActivityImportResult {
  nb.migrate();
  if (!contactsPlan) return { activity: applyActivity(nb, batch) };
  const before = new Set(nb.people.keys());
  return nb.write(() => {
    const contacts = applyImport(nb, contactsPlan);
    const fresh = resolveFresh(nb, before);
    const real = (r: ActivityRef): ActivityRef | undefined => {
      if (typeof r !== 'string' || !r.startsWith(VIRTUAL)) return r;
      const a = contactsPlan.added[Number(r.slice(VIRTUAL.length))];
      return a ? fresh(a.person) : undefined;
    };
    const refs = (list: readonly ActivityRef[]) =>
      list.map(real).filter((r): r is ActivityRef => r !== undefined);
    const mapped: ActivityBatch = {
      ...batch,
      touches: batch.touches?.map((t) => ({ ...t, personIds: refs(t.personIds) })),
      ties: batch.ties?.flatMap((t) => {
        const a = real(t.a);
        const b = real(t.b);
        return a !== undefined && b !== undefined ? [{ ...t, a, b }] : [];
      }),
      nextMeetings: batch.nextMeetings?.flatMap((m) => {
        const person = real(m.person);
        return person !== undefined ? [{ ...m, person }] : [];
      }),
      // Connections.csv already dates the ties of the people it adds.
      ownerTies: batch.ownerTies?.filter(
        (o) => typeof o.person !== 'string' || !o.person.startsWith(VIRTUAL),
      ),
    };
    return { contacts, activity: applyActivity(nb, mapped) };
  });
}

/**
 * Find, among the people created since `before` (inside the running transaction), the one
 * a planned new person became: by profile URL, email, then name.
 */
function resolveFresh(
  nb: Notebook,
  before: ReadonlySet<string>,
): (p: { name: string; emails: string[]; links: string[] }) => string | undefined {
  const byKey = new Map<string, string>();
  for (const id of nb.people.keys()) {
    if (before.has(id)) continue;
    const p = rawGet(nb, 'people', id);
    if (!p) continue;
    for (const l of p.links) {
      const k = urlKey(l);
      if (k) byKey.set(`u:${k}`, id);
    }
    for (const e of p.emails) {
      const k = emailKey(e);
      if (k) byKey.set(`e:${k}`, id);
    }
    byKey.set(`n:${nameKey(p.name)}`, id);
  }
  return (p) => {
    for (const l of p.links) {
      const hit = byKey.get(`u:${urlKey(l)}`);
      if (hit) return hit;
    }
    for (const e of p.emails) {
      const hit = byKey.get(`e:${emailKey(e)}`);
      if (hit) return hit;
    }
    return byKey.get(`n:${nameKey(p.name)}`);
  };
}
