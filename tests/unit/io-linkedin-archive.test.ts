/**
 * LinkedIn's data export: the whole .zip (Connections, messages, invitations, profile) or
 * its CSVs alone. Hand-written fixtures in LinkedIn's column layout (every person invented),
 * zipped here with fflate.
 */
import * as Y from 'yjs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  Notebook,
  addPerson,
  initNotebook,
  linkPeople,
  listPeople,
  listTies,
  listTouches,
  touchesOf,
  inferredTieReason,
} from '../../src/model/index.ts';
import {
  applyActivityImport,
  detectActivityFormat,
  planActivityImport,
} from '../../src/io/activity-import.ts';
import { MAX_ENTRY_BYTES } from '../../src/io/linkedin-archive.ts';
import { invitationDate, messageDate } from '../../src/io/linkedin-messages.ts';

const NOW = new Date('2026-07-15T12:00:00Z');

const CONNECTIONS = `Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana,Lima,https://www.linkedin.com/in/ana-lima,,Acme,Engineer,12 Mar 2024
Ben,Okafor,https://www.linkedin.com/in/ben-okafor-42,,Acme,Designer,03 Jan 2025
Chloe,Dupont,https://www.linkedin.com/in/chloedupont,,Beta,Founder,20 Feb 2023
`;

// The owner (Rita Owner, /in/rita-owner) is in every conversation.
const MESSAGES = `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER
c-1,,Ana Lima,https://www.linkedin.com/in/ANA-LIMA/,Rita Owner,https://www.linkedin.com/in/rita-owner,2026-03-02 09:15:00 UTC,,Hi!,INBOX
c-1,,Rita Owner,https://www.linkedin.com/in/rita-owner,Ana Lima,https://www.linkedin.com/in/ana-lima?miniProfileUrn=urn%3Ali%3Afs,2026-03-02 10:00:00 UTC,,Hello,INBOX
c-1,,Ana Lima,https://www.linkedin.com/in/ana-lima,Rita Owner,https://www.linkedin.com/in/rita-owner,2026-03-05 08:00:00 UTC,,Thanks,INBOX
c-2,Project,Ben Okafor,https://de.linkedin.com/in/ben-okafor-42,"Rita Owner, Chloe Dupont","https://www.linkedin.com/in/rita-owner,https://www.linkedin.com/in/chloedupont",2026-04-01 12:00:00 UTC,,Group,INBOX
c-3,Project 2,Chloe Dupont,https://www.linkedin.com/in/chloedupont/,"Rita Owner, Ben Okafor","https://www.linkedin.com/in/rita-owner,https://www.linkedin.com/in/ben-okafor-42",2026-05-01 12:00:00 UTC,,Group again,INBOX
c-4,,Dora Nowak,,Rita Owner,https://www.linkedin.com/in/rita-owner,2026-05-03 12:00:00 UTC,,Hey,INBOX
`;

const INVITATIONS = `From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl
Rita Owner,Dora Nowak,"5/2/26, 4:10 PM",,OUTGOING,https://www.linkedin.com/in/rita-owner,https://www.linkedin.com/in/dora-nowak
Eli Stone,Rita Owner,"1/15/26, 9:00 AM",Hi Rita,INCOMING,https://www.linkedin.com/in/eli-stone,https://www.linkedin.com/in/rita-owner
`;

const PROFILE = `First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers
Rita,Owner,,,,Connector,,,,"Berlin, Germany",,,
`;

function archive(files: Record<string, string | Uint8Array>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, v] of Object.entries(files))
    entries[name] = typeof v === 'string' ? strToU8(v) : v;
  return zipSync(entries);
}

const FULL = () =>
  archive({
    'Connections.csv': CONNECTIONS,
    'messages.csv': MESSAGES,
    'Invitations.csv': INVITATIONS,
    'Profile.csv': PROFILE,
    'Rich_Media.csv': 'ignored',
  });

function notebook(): Notebook {
  const nb = new Notebook(new Y.Doc(), { now: () => NOW });
  initNotebook(nb, 'Rita Owner');
  return nb;
}

const byName = (nb: Notebook, name: string) => listPeople(nb).find((p) => p.name === name)!;

function load(nb: Notebook, data: Uint8Array, name = 'Basic_LinkedInDataExport_07-15-2026.zip') {
  const plan = planActivityImport(nb, data, name, undefined, { now: NOW });
  return { plan, result: applyActivityImport(nb, plan) };
}

describe('LinkedIn archive', () => {
  it('brings in connections, one message touch per conversation per day, matched by profile URL', () => {
    const nb = notebook();
    // The owner's own profile, filed once as a contact by mistake (from a colleague's export).
    const alias = addPerson(nb, { name: 'R. Owner', links: ['linkedin.com/in/rita-owner'] });
    const { plan, result } = load(nb, FULL());
    expect(plan.format).toBe('linkedin-archive');
    expect(result.contacts!.added).toBe(3);
    const ana = byName(nb, 'Ana Lima');
    // Three messages on two days: two touches, whatever case, slash or tracking parameters.
    expect(touchesOf(nb, ana.id).map((t) => [t.channel, t.at])).toEqual([
      ['message', '2026-03-05T08:00:00.000Z'],
      ['message', '2026-03-02T10:00:00.000Z'],
    ]);
    // The owner is never a contact: not by profile URL, not by name.
    const owner = nb.ownerId!;
    expect(listTouches(nb).every((t) => !t.personIds.includes(owner))).toBe(true);
    expect(touchesOf(nb, alias)).toEqual([]);
    expect(listPeople(nb).filter((p) => p.name === 'Rita Owner')).toHaveLength(1);
  });

  it('infers a tie between two who wrote together in two conversations', () => {
    const nb = notebook();
    load(nb, FULL());
    const ben = byName(nb, 'Ben Okafor');
    const chloe = byName(nb, 'Chloe Dupont');
    const tie = listTies(nb).find((t) => t.provenance === 'inferred')!;
    expect([tie.from, tie.to].sort()).toEqual([ben.id, chloe.id].sort());
    expect(inferredTieReason(tie)).toBe('wrote together in 2 conversations, last 2026-05-01');
  });

  it('makes each invitation a touch and dates the tie to the owner', () => {
    const nb = notebook();
    const dora = addPerson(nb, { name: 'Dora Nowak', links: ['linkedin.com/in/Dora-Nowak'] });
    linkPeople(nb, nb.ownerId!, dora, { kind: 'acquaintance' });
    load(nb, FULL());
    expect(touchesOf(nb, dora).map((t) => t.at.slice(0, 10))).toEqual(['2026-05-03', '2026-05-02']);
    const tie = listTies(nb).find((t) => [t.from, t.to].includes(dora))!;
    expect(tie.since).toBe('2026-05-02');
  });

  it('adds nothing on a second import of the same archive', () => {
    const nb = notebook();
    load(nb, FULL());
    const sv = Y.encodeStateVector(nb.doc);
    const { result } = load(nb, FULL());
    expect(result.activity.touches).toBe(0);
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
  });

  it('reads messages.csv alone, in a legacy encoding, matching by name when there is no URL', () => {
    const nb = notebook();
    const jurgen = addPerson(nb, { name: 'Jürgen Müller' });
    const csv = `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER
c-9,,Jürgen Müller,,Rita Owner,https://www.linkedin.com/in/rita-owner,2026-06-01 10:00:00 UTC,,Grüße,INBOX
c-8,,Rita Owner,https://www.linkedin.com/in/rita-owner,Jürgen Müller,,2026-06-02 10:00:00 UTC,,Hallo,INBOX
`;
    const latin1 = new Uint8Array([...csv].map((ch) => ch.charCodeAt(0)));
    expect(detectActivityFormat(latin1, 'messages.csv')).toBe('linkedin-messages');
    load(nb, latin1, 'messages.csv');
    expect(touchesOf(nb, jurgen)).toHaveLength(2);
  });
});

describe('bad archives', () => {
  const refused = (data: Uint8Array, message: RegExp) => {
    const nb = notebook();
    const sv = Y.encodeStateVector(nb.doc);
    expect(() => planActivityImport(nb, data, 'export.zip', undefined, { now: NOW })).toThrow(
      message,
    );
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
  };

  it('refuses a zip that is not LinkedIn’s', () => {
    refused(
      archive({ 'photos/cat.jpg': 'meow', 'notes.txt': 'hello' }),
      /export\.zip is a zip archive but not LinkedIn's data export/,
    );
  });

  it('refuses an entry that claims gigabytes, before inflating it', () => {
    const zip = archive({ 'messages.csv': MESSAGES });
    const view = new DataView(zip.buffer);
    for (let i = 0; i + 4 <= zip.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x02014b50) view.setUint32(i + 24, 0xf0000000, true); // central directory
      if (sig === 0x04034b50) view.setUint32(i + 22, 0xf0000000, true); // local header
    }
    expect(0xf0000000).toBeGreaterThan(MAX_ENTRY_BYTES);
    refused(zip, /claims 3,840 MB unpacked.*Download the archive from LinkedIn again/);
  });

  it('refuses a damaged zip', () => {
    refused(FULL().slice(0, 200), /damaged or incomplete zip archive/);
  });
});

describe('LinkedIn dates, read by the one strict clock', () => {
  it('reads message dates as UTC instants and refuses an impossible day instead of rolling it over', () => {
    expect(messageDate('2026-03-02 09:15:00 UTC')).toBe('2026-03-02T09:15:00.000Z');
    expect(messageDate('2026-03-02T09:15')).toBe('2026-03-02T09:15:00.000Z');
    expect(messageDate('2024-02-29 23:59:59.123 UTC')).toBe('2024-02-29T23:59:59.000Z');
    // Date.parse in Node made these 2 March and 1 March: a touch on a day nobody wrote.
    expect(messageDate('2026-02-30 09:15:00 UTC')).toBeUndefined();
    expect(messageDate('2025-02-29 09:15:00 UTC')).toBeUndefined();
    expect(messageDate('2026-03-02 24:00:00 UTC')).toBeUndefined();
  });

  it('reads invitation dates month first and refuses impossible days and times', () => {
    expect(invitationDate('3/4/25, 5:02 PM')).toBe('2025-03-04T17:02:00.000Z');
    expect(invitationDate('12/31/2025 12:05 AM')).toBe('2025-12-31T00:05:00.000Z');
    expect(invitationDate('2/29/24, 9:00 AM')).toBe('2024-02-29T09:00:00.000Z');
    expect(invitationDate('2/29/25, 9:00 AM')).toBeUndefined();
    expect(invitationDate('4/31/25, 9:00 AM')).toBeUndefined();
    expect(invitationDate('13/1/25, 9:00 AM')).toBeUndefined();
    // Hours and minutes past the clock used to roll over into the next day or hour.
    expect(invitationDate('3/4/25, 25:00')).toBeUndefined();
    expect(invitationDate('3/4/25, 5:75 PM')).toBeUndefined();
  });
});
