/**
 * LinkedIn's `messages.csv` and `Invitations.csv` (from "Get a copy of your data"), read
 * into {@link ActivityEvent}s.
 *
 * - `messages.csv`: `CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL, TO,
 *   RECIPIENT PROFILE URLS, DATE, SUBJECT, CONTENT, FOLDER, …` with `DATE` like
 *   `2025-03-04 17:02:11 UTC`. One event per conversation per day (source key
 *   `li-msg:<conversation id>|<day>`), its participants everyone who wrote or was written
 *   to that day. The message text is never read into the notebook.
 * - `Invitations.csv`: `From, To, Sent At, Message, Direction, inviterProfileUrl,
 *   inviteeProfileUrl` with `Sent At` like `3/4/25, 5:02 PM`. Each invitation, sent or
 *   received, is a touch on its date and dates the tie to the owner.
 *
 * LinkedIn names people by name and profile URL, never by address; the owner is the one
 * profile URL found in nearly every conversation (and the name in `Profile.csv`).
 */
import { VitrineError } from '../model/index.ts';
import { Columns, cell, csvRows, findHeader, type CsvRow } from './csv.ts';
import type { ActivityEvent, ParsedActivity, Participant } from './activity.ts';
import type { ImportProgress } from './incoming.ts';
import { formatInstant, parseInstant } from '../time/dates.ts';

const isMessagesHeader = (c: Set<string>) =>
  c.has('conversation id') && c.has('from') && c.has('date');
const isInvitationsHeader = (c: Set<string>) =>
  c.has('from') && c.has('to') && c.has('sent at') && c.has('direction');

/** Does this text look like LinkedIn's `messages.csv`? */
export function sniffLinkedInMessages(text: string): boolean {
  return findHeader(text, isMessagesHeader) !== undefined;
}

/** Does this text look like LinkedIn's `Invitations.csv`? */
export function sniffLinkedInInvitations(text: string): boolean {
  return findHeader(text, isInvitationsHeader) !== undefined;
}

/** `2025-03-04 17:02:11 UTC` (or ISO) as an ISO date-time in UTC, or `undefined`. */
export function messageDate(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(?:UTC|Z|GMT)?$/i.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const ms = parseInstant(`${m[1]}T${m[2]!.length === 5 ? `${m[2]}:00` : m[2]}Z`);
  return ms === undefined ? undefined : formatInstant(ms);
}

/** `3/4/25, 5:02 PM` (month first, as LinkedIn writes it) as an ISO date-time, or `undefined`. */
export function invitationDate(text: string): string | undefined {
  const t = text.trim();
  const iso = messageDate(t);
  if (iso) return iso;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})\s*([AP]M)?$/i.exec(t);
  if (!m) return undefined;
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  let hour = Number(m[4]);
  if (m[6]) hour = (hour % 12) + (m[6].toUpperCase() === 'PM' ? 12 : 0);
  // Read by the one strict clock: a real day, hours 0–23, minutes 0–59, else `undefined`.
  const pad = (n: number | string, width = 2) => String(n).padStart(width, '0');
  const ms = parseInstant(
    `${pad(year, 4)}-${pad(m[1]!)}-${pad(m[2]!)}T${pad(hour)}:${pad(m[5]!)}:00Z`,
  );
  return ms === undefined ? undefined : formatInstant(ms);
}

/** A list cell: LinkedIn separates several recipients with commas (or semicolons). */
function listCell(v: string): string[] {
  return v
    .split(/[;,]\s*(?=\S)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The header row of one of LinkedIn's CSVs and its columns; refuses a file without it. */
function linkedInHeader(
  text: string,
  name: string,
  isHeader: Parameters<typeof findHeader>[1],
  what: string,
  columns: string,
) {
  const header = findHeader(text, isHeader);
  if (!header) {
    throw new VitrineError(
      `${name} is not LinkedIn's ${what}: no header with "${columns}" in its first lines. Import the file from LinkedIn's data export, or pick the right format.`,
    );
  }
  return { header, cols: new Columns(header.columns) };
}

/**
 * Read `messages.csv`: one event per conversation per day. The owner is recognised as the
 * profile URL in the most conversations; `owner` may name them already (`Profile.csv`).
 */
export function* parseLinkedInMessages(
  text: string,
  name: string,
  owner: Participant[] = [],
): Generator<ImportProgress, ParsedActivity, void> {
  const { header, cols } = linkedInHeader(
    text,
    name,
    isMessagesHeader,
    'messages.csv',
    'CONVERSATION ID, FROM, TO, DATE',
  );
  const at = {
    conv: cols.find('CONVERSATION ID'),
    from: cols.find('FROM'),
    fromUrl: cols.find('SENDER PROFILE URL'),
    to: cols.find('TO'),
    toUrls: cols.find('RECIPIENT PROFILE URLS'),
    date: cols.find('DATE'),
    draft: cols.find('IS MESSAGE DRAFT'),
  };
  const out: ParsedActivity = { events: [], warnings: [], owner: [...owner] };
  const days = new Map<string, { at: string; people: Map<string, Participant>; conv: string }>();
  const convUrls = new Map<string, Set<string>>();
  const onRows = (rows: CsvRow[]) => {
    for (const { line, cells } of rows) {
      const conv = cell(cells, at.conv);
      const date = messageDate(cell(cells, at.date));
      if (!conv || !date) {
        out.warnings.push({
          ref: `line ${line}`,
          reason: !conv
            ? 'it has no conversation id'
            : `its date "${cell(cells, at.date)}" cannot be read`,
        });
        continue;
      }
      if (/^(true|yes)$/i.test(cell(cells, at.draft))) continue;
      const day = date.slice(0, 10);
      const key = `${conv}|${day}`;
      let d = days.get(key);
      if (!d) days.set(key, (d = { at: date, people: new Map(), conv }));
      if (date > d.at) d.at = date;
      const toNames = listCell(cell(cells, at.to));
      const toUrls = listCell(cell(cells, at.toUrls));
      const people: Participant[] = [{ name: cell(cells, at.from), url: cell(cells, at.fromUrl) }];
      if (toNames.length === toUrls.length) {
        toNames.forEach((n, i) => people.push({ name: n, url: toUrls[i] }));
      } else {
        // Names and URLs cannot be paired (a URL missing for a closed account): each alone.
        for (const n of toNames) people.push({ name: n });
        for (const u of toUrls) people.push({ url: u });
      }
      let urlsOfConv = convUrls.get(conv);
      if (!urlsOfConv) convUrls.set(conv, (urlsOfConv = new Set()));
      for (const raw of people) {
        const p: Participant = {};
        if (raw.name) p.name = raw.name;
        if (raw.url) p.url = raw.url;
        const k = (p.url ?? p.name ?? '').toLowerCase();
        if (!k) continue;
        if (p.url)
          urlsOfConv.add(
            p.url
              .toLowerCase()
              .replace(/[?#].*$/, '')
              .replace(/\/+$/, ''),
          );
        if (!d.people.has(k)) d.people.set(k, p);
      }
    }
  };
  yield* csvRows(text, header, name, onRows);
  // The owner takes part in every conversation of their own export.
  const inConvs = new Map<string, number>();
  for (const urls of convUrls.values())
    for (const u of urls) inConvs.set(u, (inConvs.get(u) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const [u, n] of inConvs) if (!best || n > best[1]) best = [u, n];
  if (best && convUrls.size >= 2 && best[1] >= convUrls.size * 0.8)
    out.owner.push({ url: best[0] });
  for (const [key, d] of days) {
    const event: ActivityEvent = {
      source: `li-msg:${key}`,
      at: d.at,
      kind: 'conversation',
      participants: [...d.people.values()],
      group: `li-msg:${d.conv}`,
    };
    out.events.push(event);
  }
  return out;
}

/** Read `Invitations.csv`: each invitation sent or received is an event on its date. */
export function* parseLinkedInInvitations(
  text: string,
  name: string,
): Generator<ImportProgress, ParsedActivity, void> {
  const { header, cols } = linkedInHeader(
    text,
    name,
    isInvitationsHeader,
    'Invitations.csv',
    'From, To, Sent At, Direction',
  );
  const at = {
    from: cols.find('From'),
    to: cols.find('To'),
    sent: cols.find('Sent At'),
    direction: cols.find('Direction'),
    fromUrl: cols.find('inviterProfileUrl', 'Inviter Profile Url'),
    toUrl: cols.find('inviteeProfileUrl', 'Invitee Profile Url'),
  };
  const out: ParsedActivity = { events: [], warnings: [], owner: [] };
  const mine = new Set<string>();
  const onRows = (rows: CsvRow[]) => {
    for (const { line, cells } of rows) {
      const date = invitationDate(cell(cells, at.sent));
      if (!date) {
        out.warnings.push({
          ref: `line ${line}`,
          reason: `its date "${cell(cells, at.sent)}" cannot be read`,
        });
        continue;
      }
      const outgoing = /^out/i.test(cell(cells, at.direction));
      const other: Participant = {};
      const nm = cell(cells, outgoing ? at.to : at.from);
      const url = cell(cells, outgoing ? at.toUrl : at.fromUrl);
      if (nm) other.name = nm;
      if (url) other.url = url;
      if (!nm && !url) continue;
      const me = cell(cells, outgoing ? at.fromUrl : at.toUrl);
      if (me && !mine.has(me)) {
        mine.add(me);
        out.owner.push({ url: me });
      }
      const source = `li-inv:${outgoing ? 'out' : 'in'}:${(url || nm).toLowerCase()}:${date.slice(0, 10)}`;
      out.events.push({
        source,
        at: date,
        kind: 'invitation',
        participants: [other],
        group: source,
      });
    }
  };
  yield* csvRows(text, header, name, onRows);
  return out;
}
