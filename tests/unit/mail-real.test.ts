/**
 * Real mail from other projects' test suites (tests/fixtures/io/real/mail/README.md):
 * each read alone as an .eml, then all joined into one mbox with Thunderbird-style
 * `From - …` separators, and read as a person would expect.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Notebook, addPerson, initNotebook, listTouches } from '../../src/model/index.ts';
import { applyActivityImport, planActivityImport } from '../../src/io/activity-import.ts';
import { readMail } from '../../src/io/mail.ts';
import { fixture } from '../fixtures/io/helpers.ts';

const NOW = new Date('2026-07-01T12:00:00Z');
const FILES = [
  'mikel-mail-bad_date_header2.eml',
  'mikel-mail-weird_to_header.eml',
  'mikel-mail-new_line_in_to_header.eml',
  'mikel-mail-bad_encoded_subject.eml',
  'thunderbird-bugmail10',
];
const real = (f: string) => fixture(`real/mail/${f}`);

async function read(f: string) {
  return readMail(real(f), f, 'eml', { now: NOW });
}

describe('real mail, one message at a time', () => {
  it('a Date with minutes in the hour’s place: the newest Received date instead', async () => {
    const r = await read('mikel-mail-bad_date_header2.eml');
    expect(r.events.map((e) => e.at)).toEqual(['2010-12-15T06:59:10.000Z']);
    expect(r.events[0]!.participants.map((p) => p.email)).toEqual([
      'enews@free-quilting.com',
      'someone@live.com',
    ]);
    expect(r.events[0]!.source).toBe(
      'mail:201012150659.oBF6xAuc018214@drg.drgnetwork.com|2010-12-15',
    );
  });

  it('an empty first address in To, a date without a day name', async () => {
    const r = await read('mikel-mail-weird_to_header.eml');
    expect(r.events.map((e) => e.at)).toEqual(['2010-10-15T03:25:06.000Z']);
    expect(r.events[0]!.participants.map((p) => p.email)).toEqual([
      'anonymous@i.tp.host',
      'user-example@aol.com',
      'e-s-a-s-2200@app.ar.com',
    ]);
  });

  it('a To folded over seven lines (one only a tab), no final newline', async () => {
    const r = await read('mikel-mail-new_line_in_to_header.eml');
    expect(r.events[0]!.at).toBe('2010-10-13T14:53:04.000Z');
    expect(r.events[0]!.participants).toHaveLength(7);
    expect(r.events[0]!.participants.at(-1)!.email).toBe('cc@c-l-example.com');
  });

  it('no address at all, an unknown charset: skipped with its reason, no crash', async () => {
    const r = await read('mikel-mail-bad_encoded_subject.eml');
    expect(r.events).toEqual([]);
    expect(r.mail.skipped.map((s) => s.reason)).toEqual(['no-address']);
  });

  it('Thunderbird’s bugmail from bugzilla-daemon: an automatic sender, left out', async () => {
    const r = await read('thunderbird-bugmail10');
    expect(r.events).toEqual([]);
    expect(r.mail.skipped.map((s) => s.reason)).toEqual(['no-reply']);
  });
});

describe('real mail joined into one mbox', () => {
  it('splits into the five messages and imports the one with a known person', () => {
    const parts: number[] = [];
    for (const f of FILES) {
      const b = real(f);
      parts.push(...new TextEncoder().encode('From - Mon Mar 02 10:00:00 2026\r\n'), ...b);
      if (b[b.length - 1] !== 10) parts.push(13, 10);
      parts.push(13, 10);
    }
    const box = new Uint8Array(parts);
    const nb = new Notebook(new Y.Doc(), { now: () => NOW });
    initNotebook(nb, 'Rita Owner');
    const jp = addPerson(nb, { name: 'J P', emails: ['jp@t-exmaple.com'] });
    const plan = planActivityImport(nb, box, 'Local Folders/Inbox', undefined, { now: NOW });
    expect(plan.format).toBe('mbox');
    expect(plan.mail).toMatchObject({ messages: 5, counted: 3 });
    expect(plan.mail!.skipped.map((s) => [s.reason, s.first])).toEqual([
      ['no-address', 'message 4 (line 93)'],
      ['no-reply', 'message 5 (line 98)'],
    ]);
    applyActivityImport(nb, plan);
    expect(listTouches(nb).map((t) => [t.personIds, t.channel, t.at])).toEqual([
      [[jp], 'email', '2010-10-13T14:53:04.000Z'],
    ]);
  });
});
