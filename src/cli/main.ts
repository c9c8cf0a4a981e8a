/**
 * The `vitrine` command: works on `.vitrine` notebook files with the same core code as the app.
 * Errors go to stderr with a non-zero exit code and a sentence a person can act on.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { basename } from 'node:path';
import * as Y from 'yjs';
import {
  Notebook,
  VitrineError,
  initNotebook,
  diagnostics,
  getOwner,
  graphSnapshot,
  listIntros,
  listPeople,
  listTies,
  listTouches,
  listTrash,
  today,
  keepEventTitles,
  setKeepEventTitles,
  TODAY_KINDS,
  type TodayKind,
} from '../model/index.ts';
import {
  EXPORTERS,
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  applyImport,
  planImport,
  type ExportFormat,
  type ImportFormat,
} from '../io/formats.ts';
import { FILE_ORIGIN, decodeVitrineFile, waitingChanges } from '../io/vitrine-file.ts';
import {
  ACTIVITY_FORMATS,
  applyActivityImport,
  detectActivityFormat,
  planActivityImport,
  type ActivityFormat,
} from '../io/activity-import.ts';
import { analysisJson, analyze } from '../analysis/index.ts';
import { analyzeNotebook, formatAnalysis } from './analyze.ts';
import { RELAY_HELP, cmdRelay } from './relay.ts';
import { SYNC_HELP } from './sync-help.ts';
import { loadNotebook, readInput, saveNotebook, writeAtomic } from './files.ts';
import { detectMail, importMail, readHead } from './mail.ts';

export const HELP = `vitrine — your professional network, under glass

Usage:
  vitrine import FILE --notebook NB.vitrine [--format ${[...IMPORT_FORMATS, ...ACTIVITY_FORMATS].join('|')}] [--me EMAIL ...]
      [--add-people] [--keep-titles]
      Bring people in, or touches from a calendar (.ics), a mailbox (.mbox, .eml; read as a
      stream, bulk mail left out) or LinkedIn's data export (.zip) (format detected when
      omitted; creates the notebook if missing). --me names your own addresses, so you are
      never matched as a contact (remembered in the notebook). --add-people adds everyone
      unmatched seen three times or more as a person; --keep-titles keeps calendar event
      titles as the touches' notes (remembered; off by default).
  vitrine export --notebook NB.vitrine --format ${EXPORT_FORMATS.join('|')} [--out FILE]
      Write the notebook in another format (to stdout without --out).
  vitrine merge A.vitrine B.vitrine --out C.vitrine
      Combine two notebooks; nothing from either is lost.
  vitrine analyze --notebook NB.vitrine [--json]
      Clusters and how well each holds together without you, neglected ties, brokers.
  vitrine stats --notebook NB.vitrine [--json]
      Count people, ties, touches and introductions.
  vitrine today --notebook NB.vitrine [--json]
      What needs you now: overdue ties, asks waiting, follow-ups, outcomes to record,
      birthdays, meetings with cooling ties (for scripts and cron jobs).
${RELAY_HELP}${SYNC_HELP}  vitrine --help
      Show this help.

Examples:
  npx vitrine import contacts.json --notebook mine.vitrine
  npx vitrine import calendar.ics --notebook mine.vitrine --me me@example.com
  npx vitrine import mail.mbox --notebook mine.vitrine --me me@example.com
  npx vitrine export --notebook mine.vitrine --format json --out mine.json
  npx vitrine merge laptop.vitrine phone.vitrine --out merged.vitrine
  npx vitrine analyze --notebook mine.vitrine --json
  npx vitrine today --notebook mine.vitrine --json
  npx vitrine export --notebook mine.vitrine --format ics --out reminders.ics
`;

/** Output sinks, replaceable in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** A progress line (a long import); stderr when missing. */
  progress?(text: string): void;
}

const stdio: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  // On a terminal the progress line rewrites itself; in a log it is one line per step.
  progress: (t) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${t}\x1b[K`);
    else if (t) process.stderr.write(`${t}\n`);
  },
};

class UsageError extends VitrineError {}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true } as const);
  } catch (e) {
    throw new UsageError(
      `${(e as Error).message.replace(/\.$/, '')}. Run "vitrine --help" for usage.`,
    );
  }
}

function need(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value) {
    throw new UsageError(`Missing ${what}. Run "vitrine --help" for usage.`);
  }
  return value;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  what: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new UsageError(`Unknown ${what} "${String(value)}"; use one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

async function cmdImport(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parse(args, {
    notebook: { type: 'string' },
    format: { type: 'string' },
    me: { type: 'string', multiple: true },
    'add-people': { type: 'boolean' },
    'keep-titles': { type: 'boolean' },
  });
  const choices = { addPeople: !!values['add-people'], keepTitles: !!values['keep-titles'] };
  const file = need(
    positionals[0],
    'the file to import (vitrine import FILE --notebook NB.vitrine)',
  );
  const nbPath = need(values.notebook, '--notebook NB.vitrine');
  const any = oneOf<ImportFormat | ActivityFormat>(
    values.format,
    [...IMPORT_FORMATS, ...ACTIVITY_FORMATS],
    'format',
  );
  // Mail is streamed, never read whole: detected from the file's first 64 kB.
  const mail =
    any === 'mbox' || any === 'eml'
      ? any
      : any === undefined
        ? detectMail(await readHead(file), file)
        : undefined;
  if (mail) {
    await importMail(file, nbPath, mail, values.me ?? [], io, {
      ...(choices.addPeople ? { add: 'frequent' as const } : {}),
    });
    return;
  }
  const bytes = await readInput(file);
  const activity =
    any === undefined
      ? detectActivityFormat(bytes, basename(file))
      : (ACTIVITY_FORMATS as readonly string[]).includes(any)
        ? (any as ActivityFormat)
        : undefined;
  if (activity) {
    await importActivity(file, nbPath, bytes, activity, values.me ?? [], io, choices);
    return;
  }
  const format = any as ImportFormat | undefined;
  const nb = await loadNotebook(nbPath, { create: true });
  const plan = planImport(nb, bytes, basename(file), format);
  const used = plan.format;
  const summary = applyImport(nb, plan);
  if (!nb.ownerId) initNotebook(nb);
  await saveNotebook(nb, nbPath);
  const lines = [
    `Imported ${basename(file)} (${used}) into ${nbPath}:`,
    `  ${summary.added} new, ${summary.merged} merged, ${summary.unchanged} unchanged, ${summary.skipped.length} skipped`,
    `  ${summary.ties} ties, ${summary.touches} touches, ${summary.intros} introductions`,
    ...summary.skipped.slice(0, 20).map((s) => `  skipped ${s.ref}: ${s.reason}`),
  ];
  if (summary.skipped.length > 20)
    lines.push(`  … and ${summary.skipped.length - 20} more skipped`);
  // Rows of the file taken for one person are said, so that no merge goes unseen.
  lines.push(
    ...plan.inFile
      .slice(0, 20)
      .map((m) => `  same person: ${m.ref} and ${m.intoRef} (${m.name}, ${m.rule})`),
  );
  if (plan.inFile.length > 20)
    lines.push(`  … and ${plan.inFile.length - 20} more rows taken for the same person`);
  const warnings = summary.warnings ?? [];
  lines.push(...warnings.slice(0, 20).map((w) => `  note ${w.ref}: ${w.reason}`));
  if (warnings.length > 20) lines.push(`  … and ${warnings.length - 20} more notes`);
  io.out(lines.join('\n') + '\n');
}

async function importActivity(
  file: string,
  nbPath: string,
  bytes: Uint8Array,
  format: ActivityFormat,
  me: readonly string[],
  io: Io,
  choices: { addPeople: boolean; keepTitles: boolean },
): Promise<void> {
  const nb = await loadNotebook(nbPath, { create: true });
  // --keep-titles is remembered in the notebook, as the app's checkbox is.
  if (choices.keepTitles && !keepEventTitles(nb)) setKeepEventTitles(nb, true);
  const plan = planActivityImport(nb, bytes, basename(file), format, { me });
  // --add-people: everyone unmatched seen three times or more becomes a person.
  const add = choices.addPeople ? plan.activity.candidates.map((c) => c.key) : [];
  const { activity: r, contacts } = applyActivityImport(nb, plan, { add });
  if (!nb.ownerId) initNotebook(nb);
  await saveNotebook(nb, nbPath);
  const a = plan.activity;
  const unmatched = a.candidates.length + a.unmatchedOthers.people;
  const known = a.known + r.touchesKnown;
  const lines = [`Imported ${basename(file)} (${format}) into ${nbPath}:`];
  if (contacts) {
    lines.push(
      `  people: ${contacts.added} new, ${contacts.merged} merged, ${contacts.unchanged} unchanged, ${contacts.skipped.length} skipped; ${contacts.ties} ties`,
    );
  }
  lines.push(
    `  ${r.touches} touches added${known ? ` (${known} already there)` : ''}`,
    `  ${a.matched.length} people matched, ${unmatched} unmatched`,
    `  ${r.tiesInferred} ties inferred${r.tiesUpdated ? `, ${r.tiesUpdated} updated` : ''}`,
  );
  if (r.people) lines.push(`  ${r.people} added as people (--add-people)`);
  if (r.nextMeetings) lines.push(`  ${r.nextMeetings} next meetings remembered`);
  if (r.ownerTies) lines.push(`  ${r.ownerTies} ties to you dated from invitations`);
  for (const c of r.people ? [] : a.candidates.slice(0, 10)) {
    lines.push(
      `  unmatched, seen ${c.count} times: ${c.name}${c.email && c.email !== c.name ? ` <${c.email}>` : ''}`,
    );
  }
  if (!r.people && a.candidates.length > 10)
    lines.push(`  … and ${a.candidates.length - 10} more seen 3+ times`);
  if (a.unmatchedOthers.people) {
    lines.push(
      `  ${a.unmatchedOthers.people} others seen once or twice (${a.unmatchedOthers.occurrences} times in all)`,
    );
  }
  if (a.suggestedMe) {
    lines.push(
      `  tip: ${a.suggestedMe} organised the most events; if that is you, import again with --me ${a.suggestedMe}`,
    );
  }
  const warnings = a.warnings;
  lines.push(...warnings.slice(0, 20).map((w) => `  note ${w.ref}: ${w.reason}`));
  if (warnings.length > 20) lines.push(`  … and ${warnings.length - 20} more notes`);
  io.out(lines.join('\n') + '\n');
}

async function cmdExport(args: string[], io: Io): Promise<void> {
  const { values } = parse(args, {
    notebook: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  });
  const nbPath = need(values.notebook, '--notebook NB.vitrine');
  const format = oneOf<ExportFormat>(
    need(values.format, `--format (${EXPORT_FORMATS.join('|')})`),
    EXPORT_FORMATS,
    'format',
  )!;
  const nb = await loadNotebook(nbPath);
  const { data } = EXPORTERS[format](nb);
  if (typeof values.out === 'string') {
    await writeAtomic(values.out, data);
    io.err(`Wrote ${values.out}.\n`);
  } else {
    io.out(typeof data === 'string' ? data : new TextDecoder().decode(data));
  }
}

async function cmdMerge(args: string[], io: Io): Promise<void> {
  const { values, positionals } = parse(args, { out: { type: 'string' } });
  if (positionals.length < 2) {
    throw new UsageError(
      'Name two notebooks to merge: vitrine merge A.vitrine B.vitrine --out C.vitrine',
    );
  }
  const out = need(values.out, '--out C.vitrine');
  const doc = new Y.Doc();
  for (const path of positionals) {
    const update = decodeVitrineFile(await readInput(path), basename(path));
    Y.applyUpdate(doc, update, FILE_ORIGIN);
  }
  const nb = new Notebook(doc);
  nb.migrate();
  await saveNotebook(nb, out);
  const waiting = waitingChanges(doc);
  io.out(
    `Merged ${positionals.join(' and ')} into ${out}: ${listPeople(nb).length} people, ${listTies(nb).length} ties.\n${waiting ? `${waiting}\n` : ''}`,
  );
}

/** Counts for `vitrine stats`. */
export function stats(nb: Notebook) {
  return {
    owner: getOwner(nb)?.name ?? null,
    people: listPeople(nb).length,
    ties: listTies(nb).length,
    touches: listTouches(nb).length,
    intros: listIntros(nb).length,
    trash: listTrash(nb).length,
    problems: diagnostics(nb).length,
    schemaVersion: nb.storedSchemaVersion,
    readOnly: !!nb.readOnlyReason,
  };
}

async function cmdAnalyze(args: string[], io: Io): Promise<void> {
  const { values } = parse(args, { notebook: { type: 'string' }, json: { type: 'boolean' } });
  const nb = await loadNotebook(need(values.notebook, '--notebook NB.vitrine'));
  const analysis = analyzeNotebook(nb);
  io.out(values.json ? analysisJson(analysis, 2) + '\n' : formatAnalysis(nb, analysis));
}

async function cmdStats(args: string[], io: Io): Promise<void> {
  const { values } = parse(args, { notebook: { type: 'string' }, json: { type: 'boolean' } });
  const nbPath = need(values.notebook, '--notebook NB.vitrine');
  const nb = await loadNotebook(nbPath);
  const s = stats(nb);
  if (values.json) {
    io.out(JSON.stringify(s, null, 2) + '\n');
    return;
  }
  io.out(
    [
      `${nbPath}${s.owner ? ` — ${s.owner}'s notebook` : ''}`,
      `  people        ${s.people}`,
      `  ties          ${s.ties}`,
      `  touches       ${s.touches}`,
      `  introductions ${s.intros}`,
      `  in the trash  ${s.trash}`,
      ...(s.problems ? [`  records skipped as malformed: ${s.problems}`] : []),
      ...(nb.readOnlyReason ? [`  ${nb.readOnlyReason}`] : []),
    ].join('\n') + '\n',
  );
}

const KIND_HEADINGS: Record<TodayKind, string> = {
  overdue: 'Overdue for a touch',
  waiting: 'Asks waiting for an answer',
  'follow-up': 'Follow-ups due',
  outcome: 'Outcomes to record',
  birthday: 'Birthdays',
  meeting: 'Meetings with cooling ties',
};

async function cmdToday(args: string[], io: Io): Promise<void> {
  const { values } = parse(args, { notebook: { type: 'string' }, json: { type: 'boolean' } });
  const nb = await loadNotebook(need(values.notebook, '--notebook NB.vitrine'));
  // The same ranking as "vitrine analyze": its clusters say which ties are only links.
  const now = nb.now();
  const snapshot = graphSnapshot(nb, now);
  const { items } = today(nb, now, { snapshot, clusters: analyze(snapshot).clusters });
  if (values.json) {
    const out = items.map((i) => ({
      kind: i.kind,
      personIds: i.personIds,
      ...(i.introId !== undefined ? { introId: i.introId } : {}),
      due: i.due,
      text: i.text,
      key: i.key,
    }));
    io.out(JSON.stringify({ items: out }, null, 2) + '\n');
    return;
  }
  if (!items.length) {
    io.out('Nothing needs you today.\n');
    return;
  }
  const lines: string[] = [];
  for (const kind of TODAY_KINDS) {
    const list = items.filter((i) => i.kind === kind);
    if (!list.length) continue;
    if (lines.length) lines.push('');
    lines.push(`${KIND_HEADINGS[kind]} (${list.length})`);
    for (const i of list) lines.push(`  ${i.text}`);
  }
  io.out(lines.join('\n') + '\n');
}

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<void>> = {
  import: cmdImport,
  export: cmdExport,
  merge: cmdMerge,
  analyze: cmdAnalyze,
  stats: cmdStats,
  today: cmdToday,
  relay: (args, io) => cmdRelay(args, io),
  // Loaded on use: sync brings WebSocket, WebCrypto and the sync session with it.
  pair: async (args, io) => (await import('./pair.ts')).cmdPair(args, io),
  sync: async (args, io) => (await import('./sync.ts')).cmdSync(args, io),
};

/** Run the CLI; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`vitrine: unknown command "${command}". Run "vitrine --help" for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  try {
    await run(rest, io);
    return 0;
  } catch (e) {
    if (e instanceof VitrineError) {
      io.err(`vitrine ${command}: ${e.message}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    io.err(`vitrine ${command}: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
