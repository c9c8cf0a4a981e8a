/**
 * Mail as touches (issue 15 points 1–2): mbox and .eml split streamed, headers as they
 * really are (encoded words, 8-bit, folded, huge), one `email` touch per thread per day,
 * Message-ID dedup, re-import adds nothing, bulk mail never counts, co-recipients infer
 * ties as the calendar import does, refusals change nothing.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  Notebook,
  addPerson,
  createUndoManager,
  initNotebook,
  listTies,
  listTouches,
  removeTouch,
  setOwnerAddresses,
} from '../../src/model/index.ts';
import {
  applyActivityImport,
  detectActivityFormat,
  planActivityImport,
} from '../../src/io/activity-import.ts';
import { planMailImport } from '../../src/io/mail-import.ts';
import {
  MAX_RECIPIENTS,
  headerFields,
  isNoReply,
  normaliseSubject,
  readMail,
  sniffMail,
  type MailSkip,
} from '../../src/io/mail.ts';
import { MailSplitter, MAX_HEADER_BYTES, type SplitMessage } from '../../src/io/mail-split.ts';
import { bytes, mbox, message } from '../helpers/mail.ts';

const NOW = new Date('2026-07-01T12:00:00Z');

function notebook(): { nb: Notebook; id: Record<string, string> } {
  const nb = new Notebook(new Y.Doc(), { now: () => NOW });
  initNotebook(nb, 'Rita Owner');
  setOwnerAddresses(nb, ['rita@owner.example']);
  const id: Record<string, string> = {};
  for (const [name, email] of [
    ['Ana Lima', 'ana@acme.example'],
    ['Ben Okafor', 'ben@acme.example'],
    ['Chloe Dupont', 'chloe@beta.example'],
    ['Dev Raman', 'dev@gamma.example'],
  ] as const) {
    id[name.split(' ')[0]!] = addPerson(nb, { name, emails: [email] });
  }
  return { nb, id };
}

let n = 0;
/** A message from `from` to `to` on `date`, with a fresh Message-ID unless given. */
function mail(
  from: string,
  to: string,
  date: string,
  extra: Record<string, string | string[]> = {},
): string {
  return message({
    From: from,
    To: to,
    Date: date,
    Subject: 'Project',
    'Message-ID': `<m${++n}@test.example>`,
    ...extra,
  });
}

function split(text: string | Uint8Array, mode: 'mbox' | 'eml' = 'mbox', chunk = 1 << 20) {
  const out: SplitMessage[] = [];
  const s = new MailSplitter(mode, (m) => out.push(m));
  const b = typeof text === 'string' ? bytes(text) : text;
  for (let i = 0; i < b.length; i += chunk) s.push(b.subarray(i, i + chunk));
  s.end();
  return out.map((m) => ({ ...m, text: new TextDecoder().decode(m.header) }));
}

const plan = (nb: Notebook, text: string | Uint8Array, name = 'mail.mbox') =>
  planActivityImport(nb, typeof text === 'string' ? bytes(text) : text, name, undefined, {
    now: NOW,
  });

const skipped = (p: ReturnType<typeof plan>) =>
  Object.fromEntries((p.mail?.skipped ?? []).map((s) => [s.reason, s.count])) as Partial<
    Record<MailSkip, number>
  >;

describe('splitting an mbox', () => {
  it('splits on From lines, keeps only headers, at any chunk size', () => {
    const text = mbox(
      message({ From: 'a@x.example', Subject: 'one' }, 'body one\n\nFrom here on, body.\n'),
      message({ From: 'b@x.example', Subject: 'two' }, '>From quoted\n>>From twice\nend\n'),
      message({ From: 'c@x.example', Subject: 'three' }),
    );
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const msgs = split(text, 'mbox', chunk);
      expect(msgs.map((m) => m.text)).toEqual([
        'From: a@x.example\nSubject: one\n',
        'From: b@x.example\nSubject: two\n',
        'From: c@x.example\nSubject: three\n',
      ]);
      expect(msgs.map((m) => m.index)).toEqual([1, 2, 3]);
      expect(msgs[0]!.fromLine).toBe('From sender@example.org Tue Mar  3 10:00:00 2026');
    }
  });

  it('an unquoted "From " line in a body, followed by body text, does not split', () => {
    const text =
      'From a@x Tue Mar  3 10:00:00 2026\nFrom: a@x.example\n\nHi,\n\nFrom now on we meet weekly.\nSee you.\n';
    expect(split(text)).toHaveLength(1);
  });

  it('broken separators: no date, "From -", no empty line before, CRLF, a BOM-less start', () => {
    const text = [
      'From \r\nFrom: a@x.example\r\nSubject: one\r\n\r\nbody\r\n',
      'From - Tue Mar 03 10:00:00 2026\r\nFrom: b@x.example\r\n\r\nbody\r\n',
      // no empty line before this separator, but it reads as one (asctime date)
      'From MAILER-DAEMON Wed Mar  4 10:00:00 2026\r\nFrom: c@x.example\r\n\r\n',
    ].join('');
    const msgs = split(text);
    expect(msgs.map((m) => m.text.split('\r\n')[0])).toEqual([
      'From: a@x.example',
      'From: b@x.example',
      'From: c@x.example',
    ]);
  });

  it('a message whose headers run into the next separator, and a file without any separator', () => {
    const msgs = split(
      'From a Tue Mar  3 10:00:00 2026\nFrom: a@x.example\nFrom b Tue Mar  3 10:00:00 2026\nFrom: b@x.example\n',
    );
    expect(msgs.map((m) => m.text)).toEqual(['From: a@x.example\n', 'From: b@x.example\n']);
    expect(
      split('From: solo@x.example\nSubject: no separator\n\nbody\n').map((m) => m.text),
    ).toEqual(['From: solo@x.example\nSubject: no separator\n']);
  });

  it('"From :" with a space is an obsolete header, not a separator', () => {
    const msgs = split('From a Tue Mar  3 10:00:00 2026\nFrom : a@x.example\nTo: b@x.example\n\n');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.text).toContain('From : a@x.example');
  });

  it('.eml: one message, a leading From line tolerated, the body never split', () => {
    const text =
      'From x Tue Mar  3 10:00:00 2026\nFrom: a@x.example\n\nbody\n\nFrom b Tue Mar  3 10:00:00 2026\nFrom: b@x.example\n';
    const msgs = split(text, 'eml');
    expect(msgs.map((m) => m.text)).toEqual(['From: a@x.example\n']);
  });

  it('a 1 MB header line is read; a header block over the limit is skipped, the next message kept', () => {
    const long = 'x'.repeat(1 << 20);
    const big = split(mbox(message({ From: 'a@x.example', 'X-Long': long })), 'mbox', 65536);
    expect(big[0]!.text).toContain(long);
    const huge = 'y'.repeat(MAX_HEADER_BYTES + 10);
    const msgs = split(
      mbox(message({ From: 'a@x.example', 'X-Huge': huge }), message({ From: 'b@x.example' })),
      'mbox',
      65536,
    );
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.tooLarge).toBe(true);
    expect(msgs[0]!.header.length).toBe(0);
    expect(msgs[1]!.text).toBe('From: b@x.example\n');
  });

  it('a body that is one endless line without newlines is passed over', () => {
    const body = 'z'.repeat(MAX_HEADER_BYTES * 2);
    const msgs = split(
      mbox(message({ From: 'a@x.example' }, body), message({ From: 'b@x.example' })),
      'mbox',
      65536,
    );
    expect(msgs.map((m) => m.text)).toEqual(['From: a@x.example\n', 'From: b@x.example\n']);
  });
});

describe('headers as they really are', () => {
  it('unfolds, keeps repeated fields in order, ignores lines that are no field', () => {
    const f = headerFields(
      bytes(
        'To: a@x.example,\n b@x.example\nReceived: one\nReceived: two\nnot a header\nSubject: hi\n',
      ),
    );
    expect(f.get('to')).toEqual(['a@x.example, b@x.example']);
    expect(f.get('received')).toEqual(['one', 'two']);
    expect(f.get('subject')).toEqual(['hi']);
  });

  it('a byte-order mark, CRLF folds, "Name :" and any case are read where they lie', () => {
    const f = headerFields(
      new Uint8Array([
        0xef,
        0xbb,
        0xbf,
        ...bytes(
          'FROM: a@x.example\r\nto : b@x.example,\r\n\tc@x.example\r\nX-Other: skip\r\n more\r\nSubject: caf\u00e9\r\n',
        ),
      ]),
    );
    expect(f.get('from')).toEqual(['a@x.example']);
    expect(f.get('to')).toEqual(['b@x.example,\tc@x.example']);
    expect(f.get('subject')).toEqual(['café']);
    expect(f.has('x-other')).toBe(false);
  });

  it('encoded-word names (UTF-8 B, ISO-8859-1 Q) and 8-bit Latin-1 names are read right', async () => {
    const { nb } = notebook();
    const latin1 = new Uint8Array([
      ...bytes('From a Tue Mar  3 10:00:00 2026\nFrom: '),
      0x4a,
      0x6f,
      0x73,
      0xe9, // "José" in Latin-1
      ...bytes(
        ' <jose@x.example>\nTo: rita@owner.example, =?UTF-8?B?QW7DoSBTaWx2YQ==?= <ana2@x.example>, =?ISO-8859-1?Q?Ren=E9e?= <renee@x.example>\nDate: Tue, 3 Mar 2026 10:00:00 +0000\nMessage-ID: <l1@x>\n\nbody\n',
      ),
    ]);
    const parsed = await readMail(latin1, 'x.mbox', 'mbox', { now: NOW });
    const names = parsed.events[0]!.participants.map((p) => p.name ?? null);
    expect(names).toEqual(['José', null, 'Aná Silva', 'Renée']);
    expect(parsed.events[0]!.participants.map((p) => p.email)).toEqual([
      'jose@x.example',
      'rita@owner.example',
      'ana2@x.example',
      'renee@x.example',
    ]);
    const p = plan(nb, latin1);
    expect(p.activity.candidates).toEqual([]);
    expect(p.activity.unmatchedOthers.people).toBe(3);
  });

  it('missing and malformed dates fall back to Received, then the From line, else skipped with a reason', async () => {
    const text = mbox(
      // no Date: the newest Received stamp
      message({
        From: 'a@x.example',
        To: 'b@x.example',
        'Message-ID': '<d1@x>',
        Received: [
          'from a by b; Wed, 4 Mar 2026 09:00:00 +0000',
          'from c; Tue, 3 Mar 2026 09:00:00 +0000',
        ],
      }),
      // malformed Date, no Received: the separator's date (Tue Mar 3 2026)
      message({
        From: 'a@x.example',
        To: 'b@x.example',
        'Message-ID': '<d2@x>',
        Date: 'Wed, 15 Dec 2010    59:10 -0500',
      }),
      // neither
      message({ From: 'a@x.example', To: 'b@x.example', 'Message-ID': '<d3@x>', Date: '<HR>' }),
      // in the future
      message({
        From: 'a@x.example',
        To: 'b@x.example',
        'Message-ID': '<d4@x>',
        Date: 'Fri, 1 Jan 2038 00:00:00 +0000',
      }),
    ).replace(
      /^From sender@example\.org Tue Mar {2}3 10:00:00 2026\n(?=From: a@x\.example\nTo: b@x\.example\nMessage-ID: <d3@x>)/m,
      'From ???\n',
    );
    const parsed = await readMail(bytes(text), 'x.mbox', 'mbox', { now: NOW });
    expect(parsed.events.map((e) => e.at).sort()).toEqual([
      '2026-03-03T10:00:00.000Z',
      '2026-03-04T09:00:00.000Z',
    ]);
    expect(parsed.mail.skipped.map((s) => [s.reason, s.count])).toEqual([
      ['no-date', 1],
      ['future', 1],
    ]);
    expect(parsed.warnings.map((w) => w.ref)).toEqual([
      'x.mbox: message 3 (line 19)',
      'x.mbox: message 4 (line 27)',
    ]);
  });

  it('subjects normalise for threading', () => {
    expect(normaliseSubject('Re: AW: [team] Fwd:  Lunch   plans')).toBe('lunch plans');
    expect(normaliseSubject('RE[2]: Budget')).toBe('budget');
    expect(isNoReply('no-reply@x.example')).toBe(true);
    expect(isNoReply('noreply+abc@x.example')).toBe(true);
    expect(isNoReply('MAILER-DAEMON@x.example')).toBe(true);
    expect(isNoReply('bugzilla-daemon@mozilla.org')).toBe(true);
    expect(isNoReply('noreen@x.example')).toBe(false);
  });
});

describe('mail as touches', () => {
  it('one email touch per thread per day, the owner never a contact, subjects never stored', () => {
    const { nb, id } = notebook();
    const text = mbox(
      mail(
        'Ana Lima <ana@acme.example>',
        'Rita <rita@owner.example>, ben@acme.example',
        'Tue, 3 Mar 2026 09:00:00 +0000',
        { 'Message-ID': '<root@t>' },
      ),
      mail('rita@owner.example', 'ana@acme.example', 'Tue, 3 Mar 2026 15:00:00 +0000', {
        'In-Reply-To': '<root@t>',
        References: '<root@t>',
        Subject: 'Re: Project',
      }),
      // the next day, same thread: another touch
      mail('ben@acme.example', 'rita@owner.example', 'Wed, 4 Mar 2026 08:00:00 +0100', {
        References: '<root@t> <x@t>',
      }),
      // a reply without References, by subject only: same thread
      mail(
        'chloe@beta.example',
        'rita@owner.example, ana@acme.example',
        'Wed, 4 Mar 2026 11:00:00 +0000',
        { Subject: 'RE: project' },
      ),
    );
    expect(detectActivityFormat(bytes(text), 'Inbox')).toBe('mbox');
    const p = plan(nb, text);
    expect(p.format).toBe('mbox');
    expect(p.mail).toMatchObject({ messages: 4, counted: 4, skipped: [] });
    const r = applyActivityImport(nb, p);
    expect(r.activity.touches).toBe(2);
    const touches = [...listTouches(nb)].sort((a, b) => a.at.localeCompare(b.at));
    expect(touches.map((t) => [t.channel, t.at, [...t.personIds].sort(), t.source])).toEqual([
      ['email', '2026-03-03T15:00:00.000Z', [id.Ana, id.Ben].sort(), 'mail:root@t|2026-03-03'],
      [
        'email',
        '2026-03-04T11:00:00.000Z',
        [id.Ana, id.Ben, id.Chloe].sort(),
        'mail:root@t|2026-03-04',
      ],
    ]);
    expect(touches.every((t) => !t.note)).toBe(true);
    expect(JSON.stringify(Y.encodeStateAsUpdate(nb.doc))).not.toContain('Project');
  });

  it('re-import adds nothing; the same Message-ID twice counts once; a removed touch stays removed', () => {
    const { nb } = notebook();
    const one = mail(
      'ana@acme.example',
      'ben@acme.example, rita@owner.example',
      'Tue, 3 Mar 2026 09:00:00 +0000',
      { 'Message-ID': '<same@t>' },
    );
    const text = mbox(
      one,
      one,
      mail('chloe@beta.example', 'rita@owner.example', 'Tue, 10 Mar 2026 09:00:00 +0000'),
    );
    const first = plan(nb, text);
    expect(first.mail!.counted).toBe(2);
    expect(skipped(first)).toEqual({ duplicate: 1 });
    applyActivityImport(nb, first);
    expect(listTouches(nb)).toHaveLength(2);
    removeTouch(nb, listTouches(nb).find((t) => t.at.startsWith('2026-03-10'))!.id);
    const sv = Y.encodeStateVector(nb.doc);
    const again = plan(nb, text);
    expect(again.activity.touches).toBe(0);
    expect(again.activity.known).toBe(2);
    const r = applyActivityImport(nb, again);
    expect(r.activity.touches).toBe(0);
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
    expect(listTouches(nb)).toHaveLength(1);
  });

  it('bulk mail never counts, each reason counted', () => {
    const { nb } = notebook();
    const many = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `p${i}@x.example`).join(', ');
    const d = 'Tue, 3 Mar 2026 09:00:00 +0000';
    const text = mbox(
      mail('ana@acme.example', 'rita@owner.example', d, { 'List-Id': '<team.lists.example>' }),
      mail('ana@acme.example', 'rita@owner.example', d, { 'List-Unsubscribe': '<mailto:u@x>' }),
      mail('ana@acme.example', 'rita@owner.example', d, { Precedence: 'bulk' }),
      mail('ana@acme.example', 'rita@owner.example', d, { Precedence: 'junk' }),
      mail('ana@acme.example', 'rita@owner.example', d, { Precedence: 'list' }),
      mail('ana@acme.example', 'rita@owner.example', d, { 'Auto-Submitted': 'auto-replied' }),
      mail('ana@acme.example', 'rita@owner.example', d, { 'X-Autoreply': 'yes' }),
      mail('No Reply <no-reply@acme.example>', 'ana@acme.example', d),
      mail('ana@acme.example', many, d),
      // these count: Auto-Submitted: no, and exactly MAX_RECIPIENTS recipients
      mail('ben@acme.example', 'rita@owner.example', d, { 'Auto-Submitted': 'no' }),
      mail('chloe@beta.example', many.split(', ').slice(0, MAX_RECIPIENTS).join(', '), d),
    );
    const p = plan(nb, text);
    expect(skipped(p)).toEqual({ list: 2, bulk: 3, automatic: 2, 'no-reply': 1, recipients: 1 });
    expect(p.mail!.counted).toBe(2);
    expect(applyActivityImport(nb, p).activity.touches).toBe(2);
  });

  it('co-recipients in two or more threads infer a tie, as meetings do; one thread does not', () => {
    const { nb, id } = notebook();
    const text = mbox(
      mail(
        'ana@acme.example',
        'ben@acme.example, rita@owner.example',
        'Tue, 3 Mar 2026 09:00:00 +0000',
      ),
      mail(
        'ben@acme.example',
        'ana@acme.example, rita@owner.example',
        'Tue, 10 Mar 2026 09:00:00 +0000',
        { Subject: 'Other' },
      ),
      // the same thread on two days counts as one thread for Chloe and Dev
      mail(
        'chloe@beta.example',
        'dev@gamma.example, rita@owner.example',
        'Tue, 3 Mar 2026 09:00:00 +0000',
        { 'Message-ID': '<cd@t>', Subject: 'CD' },
      ),
      mail(
        'dev@gamma.example',
        'chloe@beta.example, rita@owner.example',
        'Wed, 4 Mar 2026 09:00:00 +0000',
        { References: '<cd@t>' },
      ),
    );
    const p = plan(nb, text);
    expect(p.activity.ties.map((t) => [t.aName, t.bName, t.conversations].sort())).toEqual([
      [2, 'Ana Lima', 'Ben Okafor'],
    ]);
    applyActivityImport(nb, p);
    const ties = listTies(nb).filter((t) => t.provenance === 'inferred');
    expect(ties.map((t) => [t.from, t.to].sort())).toEqual([[id.Ana, id.Ben].sort()]);
  });

  it('undo takes the whole import back', () => {
    const { nb } = notebook();
    const undo = createUndoManager(nb);
    const text = mbox(
      mail('ana@acme.example', 'ben@acme.example', 'Tue, 3 Mar 2026 09:00:00 +0000'),
      mail('ana@acme.example', 'ben@acme.example', 'Tue, 10 Mar 2026 09:00:00 +0000', {
        Subject: 'b',
      }),
    );
    applyActivityImport(nb, plan(nb, text));
    expect(listTouches(nb)).toHaveLength(2);
    undo.undo();
    expect(listTouches(nb)).toHaveLength(0);
    expect(listTies(nb).filter((t) => t.provenance === 'inferred')).toHaveLength(0);
  });

  it('the owner address given with --me is remembered and never matched; frequent strangers are offered', () => {
    const nb = new Notebook(new Y.Doc(), { now: () => NOW });
    initNotebook(nb, 'Rita Owner');
    addPerson(nb, { name: 'Ana Lima', emails: ['ana@acme.example'] });
    const text = mbox(
      ...[1, 2, 3].map((d) =>
        mail(
          'Zoe Stranger <zoe@z.example>',
          'me@owner.example, ana@acme.example',
          `${d} Mar 2026 09:00:00 +0000`,
          { Subject: `s${d}` },
        ),
      ),
    );
    const p = planActivityImport(nb, bytes(text), 'x.mbox', 'mbox', {
      now: NOW,
      me: ['me@owner.example'],
    });
    expect(p.activity.candidates.map((c) => [c.name, c.email, c.count])).toEqual([
      ['Zoe Stranger', 'zoe@z.example', 3],
    ]);
    applyActivityImport(nb, p, { add: ['e:zoe@z.example'] });
    expect(listTouches(nb)).toHaveLength(3);
    const again = planActivityImport(nb, bytes(text), 'x.mbox', 'mbox', { now: NOW });
    expect(again.activity.candidates).toEqual([]);
    expect(again.activity.known).toBe(3);
  });

  it('a Message-ID holding | or % is escaped in the key; an endless one is hashed', async () => {
    const long = `${'x'.repeat(300)}@t`;
    const parsed = await readMail(
      bytes(
        mbox(
          mail('ana@acme.example', 'ben@acme.example', 'Tue, 3 Mar 2026 09:00:00 +0000', {
            'Message-ID': '<a|b%c@t>',
          }),
          mail('ana@acme.example', 'ben@acme.example', 'Tue, 3 Mar 2026 09:00:00 +0000', {
            'Message-ID': `<${long}>`,
          }),
        ),
      ),
      'x.mbox',
      'mbox',
      { now: NOW },
    );
    const sources = parsed.events.map((e) => e.source);
    expect(sources[0]).toBe('mail:a%7Cb%25c@t|2026-03-03');
    expect(parsed.events[0]!.group).toBe('mail:a%7Cb%25c@t');
    expect(sources[1]).toMatch(/^mail:#[0-9a-z]+\.302\|2026-03-03$/);
  });

  it('without the owner known, the address in the most messages is suggested', () => {
    const nb = new Notebook(new Y.Doc(), { now: () => NOW });
    initNotebook(nb, 'Rita Owner');
    const text = mbox(
      mail('a@x.example', 'me@owner.example', 'Tue, 3 Mar 2026 09:00:00 +0000'),
      mail('me@owner.example', 'b@x.example', 'Tue, 3 Mar 2026 10:00:00 +0000'),
    );
    expect(plan(nb, text).activity.suggestedMe).toBe('me@owner.example');
  });
});

describe('streamed and refused', () => {
  it('a stream in odd chunks plans exactly what the bytes plan', async () => {
    const { nb } = notebook();
    const text = mbox(
      mail('ana@acme.example', 'ben@acme.example', 'Tue, 3 Mar 2026 09:00:00 +0000'),
      mail('ana@acme.example', 'ben@acme.example', 'Tue, 10 Mar 2026 09:00:00 +0000', {
        Subject: 'b',
      }),
      mail('chloe@beta.example', 'ben@acme.example', 'Tue, 11 Mar 2026 09:00:00 +0000', {
        'List-Id': 'x',
      }),
    );
    const b = bytes(text);
    async function* chunks() {
      for (let i = 0; i < b.length; i += 13) yield b.slice(i, i + 13);
    }
    const streamed = await planMailImport(nb, chunks(), 'mail.mbox', 'mbox', {
      now: NOW,
      total: b.length,
    });
    const whole = plan(nb, b);
    expect(streamed.activity.occurrences).toEqual(whole.activity.occurrences);
    expect(streamed.mail).toEqual(whole.mail);
    // and from a web ReadableStream, as File.stream() gives
    const web = new Blob([b]).stream();
    const fromWeb = await planMailImport(nb, web, 'mail.mbox', 'mbox', { now: NOW });
    expect(fromWeb.activity.occurrences).toEqual(whole.activity.occurrences);
  });

  it('.eml detected from content; a file with no message is refused and nothing changes', async () => {
    const { nb } = notebook();
    const eml = mail('ana@acme.example', 'rita@owner.example', 'Tue, 3 Mar 2026 09:00:00 +0000', {
      'MIME-Version': '1.0',
    });
    expect(sniffMail(bytes(eml), 'message.eml')).toBe('eml');
    expect(sniffMail(bytes(eml), 'export.mbox')).toBe('mbox');
    expect(sniffMail(bytes('BEGIN:VCALENDAR\n'), 'x.mbox')).toBeUndefined();
    expect(sniffMail(bytes('Name,Email\nA,a@x\n'), 'x.csv')).toBeUndefined();
    const p = plan(nb, eml, 'message.eml');
    expect(p.format).toBe('eml');
    expect(p.activity.touches).toBe(1);
    const sv = Y.encodeStateVector(nb.doc);
    expect(() =>
      planActivityImport(nb, bytes('\n\n\n'), 'empty.mbox', 'mbox', { now: NOW }),
    ).toThrow(/holds no e-mail/);
    await expect(planMailImport(nb, bytes(''), 'empty.mbox', 'mbox')).rejects.toThrow(
      /holds no e-mail/,
    );
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
  });

  it('hostile headers never crash: binary noise, NULs, broken encoded words, a 1 MB To line', async () => {
    const { nb } = notebook();
    const noise = new Uint8Array(200_000);
    let seed = 7;
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      noise[i] = seed >>> 24;
    }
    const longTo = Array.from({ length: 40_000 }, (_, i) => `p${i}@x.example`).join(', ');
    const text = [
      'From a Tue Mar  3 10:00:00 2026\n',
      message({
        From: '=?UTF-8?B?!!!?= <ana@acme.example>',
        To: 'rita@owner.example',
        Subject: '=?X-UNKNOWN?Q?=ZZ?=',
        Date: 'Tue, 3 Mar 2026 09:00:00 +0000',
        'Message-ID': '<h1@x>',
      }),
      '\nFrom b Tue Mar  3 10:00:00 2026\n',
      message({ From: 'ben@acme.example', To: longTo, Date: 'Tue, 3 Mar 2026 09:00:00 +0000' }),
      '\nFrom c Tue Mar  3 10:00:00 2026\nFrom: \0\0\0 <\0@\0>\nTo: <<<>>>, "unterminated\nDate: \0\n\n',
    ].join('');
    const all = new Uint8Array([...bytes(text), ...noise]);
    const p = await planMailImport(nb, all, 'hostile.mbox', 'mbox', { now: NOW });
    expect(p.mail!.messages).toBeGreaterThanOrEqual(3);
    expect(skipped(p).recipients).toBe(1);
    expect(applyActivityImport(nb, p).activity.touches).toBe(1);
  });
});
