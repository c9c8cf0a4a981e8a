/**
 * Issue 11, points 3 and 6: links, e-mails, dates and cadences are checked on every write
 * path (form/command, import, peer). Commands refuse with a sentence and write nothing;
 * imports leave the bad value out with a warning and keep the person; values a peer or an
 * old file wrote are ignored by the readers, listed as diagnostics, and never make a
 * selector throw.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ValidationError,
  addPerson,
  createIntro,
  diagnostics,
  dueInfo,
  getPerson,
  graphSnapshot,
  introsDue,
  linkPeople,
  listIntros,
  listPeople,
  listTies,
  listTouches,
  logTouch,
  setTagCadence,
  updatePerson,
  updateTie,
  type Notebook,
} from '../../src/model/index.ts';
import { analyze } from '../../src/analysis/index.ts';
import { importBytes } from '../../src/io/formats.ts';
import { overdueTieIds } from '../../src/ui/graph/graph-input.ts';
import { isWebLink, normaliseLink } from '../../src/model/contact.ts';
import { testNotebook } from '../helpers/notebook.ts';

const state = (nb: Notebook) => Buffer.from(Y.encodeStateAsUpdate(nb.doc)).toString('hex');
const bytes = (text: string) => new TextEncoder().encode(text);

/** Every way we know to smuggle a non-web scheme into an href. */
const HOSTILE_LINKS = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  '  javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'javascript://example.com/%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'file://c:/windows/win.ini',
  'ftp://example.com/x',
  'mailto:ana@example.com',
  'tel:+351900000000',
  'blob:https://example.com/uuid',
  'chrome://settings',
  'about:blank',
  'http:example.com',
  '//evil.example/x',
  '/relative/path',
  'not a link',
  'ana',
  '\u0000javascript:alert(1)',
  'https://exa mple.com',
];

const IMPOSSIBLE_DATES = [
  '2025-02-29',
  '2025-02-30',
  '2024-02-30',
  '2025-04-31',
  '2025-06-31',
  '2025-09-31',
  '2025-11-31',
  '2025-13-01',
  '2025-00-10',
  '2025-12-00',
  '1900-02-29',
  '0999-12-31',
  '2025-12-07T25:00:00Z',
  '2025-12-07T09:30', // no zone
  'yesterday',
];

const BAD_CADENCES = [1e8, Infinity, -Infinity, NaN, 0, -7, 3651, Number.MAX_VALUE];

function refused(nb: Notebook, field: string, fn: () => unknown, message: RegExp): void {
  const before = state(nb);
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, field).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect((error as Error).message).toMatch(message);
  expect(state(nb), 'nothing was written').toBe(before);
}

describe('commands refuse bad links, e-mails, dates and cadences', () => {
  it('refuses every non-web link on add and update, and writes nothing', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana', links: ['https://ana.example'] });
    for (const link of HOSTILE_LINKS) {
      refused(nb, 'links', () => addPerson(nb, { name: 'X', links: [link] }), /not a web link/);
      refused(
        nb,
        'links',
        () => updatePerson(nb, ana, { links: ['https://ok.example', link] }),
        /must start with http:\/\/ or https:\/\//,
      );
    }
    expect(getPerson(nb, ana)!.links).toEqual(['https://ana.example']);
  });

  it('stores a bare address as https and keeps http(s) links as typed', () => {
    const nb = testNotebook();
    const id = addPerson(nb, {
      name: 'Bo',
      links: [
        'example.com/bo',
        'http://bo.example/x?y=1#z',
        'HTTPS://BO.EXAMPLE',
        'localhost:8080',
      ],
      emails: ['mailto:Bo@Example.org', ' bo.b+tag@sub.example.co.uk '],
    });
    expect(getPerson(nb, id)!.links).toEqual([
      'https://example.com/bo',
      'http://bo.example/x?y=1#z',
      'HTTPS://BO.EXAMPLE',
      'https://localhost:8080',
    ]);
    expect(getPerson(nb, id)!.emails).toEqual(['Bo@Example.org', 'bo.b+tag@sub.example.co.uk']);
    for (const link of getPerson(nb, id)!.links) expect(isWebLink(link)).toBe(true);
  });

  it('refuses e-mail addresses that are not addr-specs', () => {
    const nb = testNotebook();
    for (const email of [
      'ana',
      'ana@',
      '@example.com',
      'ana@example',
      'ana@@example.com',
      'ana@exa mple.com',
      'ana example@example.com',
      'ana..b@example.com',
      '.ana@example.com',
      'ana@-example.com',
      'ana@example..com',
      '<ana@example.com>',
      'javascript:alert(1)//@example.com',
      `${'a'.repeat(65)}@example.com`,
    ]) {
      refused(nb, 'emails', () => addPerson(nb, { name: 'X', emails: [email] }), /not an e-mail/);
    }
  });

  it('refuses impossible dates on every dated command', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ana' });
    const b = addPerson(nb, { name: 'Bo' });
    const tie = linkPeople(nb, a, b);
    for (const d of IMPOSSIBLE_DATES) {
      refused(nb, 'at', () => logTouch(nb, { personIds: [a], at: d }), /real date like/);
      refused(nb, 'since', () => linkPeople(nb, a, nb.ownerId!, { since: d }), /real date/);
      refused(nb, 'since', () => updateTie(nb, tie, { since: d }), /real date/);
      refused(nb, 'followUpAt', () => createIntro(nb, { a, b, followUpAt: d }), /real date/);
      refused(nb, 'birthday', () => updatePerson(nb, a, { birthday: d }), /birthday must be/);
    }
    refused(nb, 'birthday', () => updatePerson(nb, a, { birthday: '--02-30' }), /birthday/);
    updatePerson(nb, a, { birthday: '--02-29' });
    expect(getPerson(nb, a)!.birthday).toBe('--02-29');
  });

  it('refuses huge, infinite and non-numeric cadences on person, tie and tag', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ana' });
    const tie = linkPeople(nb, a, nb.ownerId!);
    for (const c of BAD_CADENCES) {
      refused(nb, 'cadenceDays', () => updatePerson(nb, a, { cadenceDays: c }), /1 to 3650/);
      refused(nb, 'cadenceDays', () => updateTie(nb, tie, { cadenceDays: c }), /1 to 3650/);
      refused(nb, 'cadenceDays', () => setTagCadence(nb, 'vip', c), /1 to 3650/);
    }
    updatePerson(nb, a, { cadenceDays: 3650 });
    expect(dueInfo(nb, a).dueAt).toBe('2035-12-30');
  });
});

/** A second device writes raw values straight into its Y.Doc, as an old or hostile peer. */
function peerWrites(nb: Notebook, fn: (doc: Y.Doc) => void): void {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(nb.doc));
  peer.transact(() => fn(peer), 'peer');
  Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(nb.doc)), 'remote');
}

function rawPerson(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
  const map = new Y.Map<unknown>();
  doc.getMap('people').set(id, map);
  for (const [k, v] of Object.entries(fields)) map.set(k, v);
}

describe('values a peer or an old file wrote', () => {
  it('ignores hostile links, bad e-mails, impossible dates and huge cadences, with diagnostics', () => {
    const nb = testNotebook();
    const owner = nb.ownerId!;
    const cadences = BAD_CADENCES.map((c, i) => [`c${i}`, c] as const);
    peerWrites(nb, (doc) => {
      rawPerson(doc, 'p1', {
        name: 'Mallory',
        createdAt: '2025-01-01T00:00:00.000Z',
        links: ['https://mallory.example', ...HOSTILE_LINKS],
        emails: ['m@example.com', 'not-an-email', 'javascript:alert(1)//@x'],
        birthday: '2025-02-30',
        cadenceDays: 1e8,
      });
      for (const [id, c] of cadences) {
        rawPerson(doc, id, {
          name: `Cadence ${String(c)}`,
          createdAt: '2025-02-30',
          cadenceDays: c,
        });
      }
      const tie = new Y.Map<unknown>();
      doc.getMap('ties').set('t1', tie);
      tie.set('from', owner);
      tie.set('to', 'p1');
      tie.set('cadenceDays', Infinity);
      tie.set('since', '2025-02-30');
      tie.set('createdAt', '2025-01-01T00:00:00.000Z');
      const touches = doc.getMap('touches');
      for (const [i, at] of IMPOSSIBLE_DATES.entries()) {
        const touch = new Y.Map<unknown>();
        touches.set(`bad${i}`, touch);
        touch.set('personIds', ['p1']);
        touch.set('at', at);
      }
      const intro = new Y.Map<unknown>();
      doc.getMap('intros').set('i1', intro);
      intro.set('a', 'p1');
      intro.set('b', owner);
      intro.set('by', owner);
      intro.set('state', 'introduced');
      intro.set('followUpAt', '2025-13-01');
      intro.set('createdAt', '2025-11-31');
      doc.getMap('meta').set('tagCadence:vip', 1e8);
    });
    // No selector throws, and none hands out a bad value.
    const p = getPerson(nb, 'p1')!;
    expect(p.links).toEqual(['https://mallory.example']);
    expect(p.emails).toEqual(['m@example.com']);
    expect(p.birthday).toBeUndefined();
    expect(p.cadenceDays).toBeUndefined();
    for (const [id] of cadences) expect(getPerson(nb, id)!.cadenceDays, id).toBeUndefined();
    expect(() => listPeople(nb).map((x) => dueInfo(nb, x.id))).not.toThrow();
    const tie = listTies(nb).find((t) => t.id === 't1')!;
    expect(tie.cadenceDays).toBeUndefined();
    expect(tie.since).toBeUndefined();
    // The zoneless touch is kept as its day (older versions wrote those); the rest are skipped.
    expect(listTouches(nb).map((t) => t.at)).toEqual(['2025-12-07']);
    const intro = listIntros(nb)[0]!;
    expect(intro.followUpAt).toBeUndefined();
    expect(() => introsDue(nb)).not.toThrow();
    const snap = graphSnapshot(nb);
    expect(() => analyze(snap)).not.toThrow();
    expect(() => overdueTieIds(nb)).not.toThrow();
    const problems = diagnostics(nb)
      .map((d) => `${d.collection}/${d.id}: ${d.problem}`)
      .join('\n');
    expect(problems).toMatch(/people\/p1: .*links.*"javascript:alert\(1\)"/);
    expect(problems).toMatch(/people\/p1: .*"emails": ignored "not-an-email"/);
    expect(problems).toMatch(/people\/p1: .*"birthday" is not a real date/);
    expect(problems).toMatch(/people\/p1: .*"cadenceDays" is not a cadence/);
    for (const [id] of cadences) expect(problems).toContain(`people/${id}:`);
    expect(problems).toMatch(/ties\/t1: .*"since" is not a real date/);
    expect(problems).toMatch(/ties\/t1: .*"cadenceDays" is not a cadence/);
    expect(problems).toMatch(/touches\/bad1: skipped: field "at" is not a real date/);
    expect(problems).toMatch(/touches\/bad13: repaired: .*no time zone; read as 2025-12-07/);
    expect(problems).toMatch(/intros\/i1: .*followUpAt/);
    expect(problems).toMatch(/meta\/tagCadence:vip: ignored/);
  });

  it("reads what older versions stored in today's form, without a diagnostic", () => {
    const nb = testNotebook();
    peerWrites(nb, (doc) =>
      rawPerson(doc, 'p1', {
        name: 'Old',
        createdAt: '2025-01-01T00:00:00.000Z',
        links: ['example.com/old', 'https://old.example'],
        emails: ['mailto:Old@Example.org', ' old@example.org '],
      }),
    );
    const p = getPerson(nb, 'p1')!;
    expect(p.links).toEqual(['https://example.com/old', 'https://old.example']);
    expect(p.emails).toEqual(['Old@Example.org', 'old@example.org']);
    expect(diagnostics(nb)).toEqual([]);
  });

  it('a cadence of 1e8 days from a peer no longer makes the person panel data throw', () => {
    const nb = testNotebook();
    peerWrites(nb, (doc) =>
      rawPerson(doc, 'p1', {
        name: 'Ana',
        createdAt: '2025-01-01T00:00:00.000Z',
        cadenceDays: 1e8,
      }),
    );
    // Before: new Date(from + 1e8 days).toISOString() threw RangeError: Invalid time value.
    expect(dueInfo(nb, 'p1')).toEqual({});
  });
});

describe('imports leave bad values out with a sentence and keep the person', () => {
  it('Vitrine JSON: hostile links, bad e-mails, dates and cadences', () => {
    const nb = testNotebook();
    const file = {
      format: 'vitrine',
      version: 1,
      people: HOSTILE_LINKS.map((link, i) => ({
        id: `x${i}`,
        name: `Person ${i}`,
        links: [link, 'example.com/ok'],
        emails: ['bad@', 'ok@example.com'],
        birthday: '2023-02-29',
        cadenceDays: BAD_CADENCES[i % BAD_CADENCES.length] ?? 1e8,
      })),
      ties: [{ id: 't1', from: 'x0', to: 'x1', since: '2025-02-30', cadenceDays: 1e8 }],
      touches: [{ id: 'k1', personIds: ['x0'], at: '2025-02-30' }],
      intros: [{ id: 'i1', a: 'x0', b: 'x1', state: 'idea', followUpAt: '2025-04-31' }],
    };
    // NaN and Infinity are not JSON; they arrive as null, which means "no cadence".
    const { summary } = importBytes(nb, bytes(JSON.stringify(file)), 'hostile.json');
    expect(summary.added).toBe(HOSTILE_LINKS.length);
    for (const p of listPeople(nb).filter((x) => x.name.startsWith('Person'))) {
      expect(p.links).toEqual(['https://example.com/ok']);
      expect(p.emails).toEqual(['ok@example.com']);
      expect(p.birthday).toBeUndefined();
      expect(p.cadenceDays).toBeUndefined();
    }
    const tie = listTies(nb).find((t) => t.id === 't1')!;
    expect(tie.since).toBeUndefined();
    expect(tie.cadenceDays).toBeUndefined();
    expect(listIntros(nb)[0]!.followUpAt).toBeUndefined();
    expect(summary.touches).toBe(0);
    expect(summary.skipped.map((s) => s.reason).join('\n')).toMatch(
      /"2025-02-30" is not an ISO 8601 date that exists/,
    );
    const warnings = (summary.warnings ?? []).map((w) => `${w.ref}: ${w.reason}`).join('\n');
    expect(warnings).toContain('person "x0": "javascript:alert(1)" is not a web link');
    expect(warnings).toContain('"bad@" is not an e-mail address');
    expect(warnings).toMatch(/birthday must be a real date/);
    expect(warnings).toMatch(/person "x0": A keep-in-touch cadence .* 100000000 is not/);
    expect(warnings).toMatch(/tie "t1": The date a tie started must be a real date/);
    expect(warnings).toMatch(/introduction "i1": The follow-up date must be a real date/);
    expect(diagnostics(nb)).toEqual([]);
  });

  it('Google CSV, vCard and LinkedIn: non-web links and impossible dates left out', () => {
    const nb = testNotebook();
    const google =
      'First Name,Last Name,Birthday,E-mail 1 - Value,Website 1 - Value,Website 2 - Value\n' +
      'Ana,Lima,2023-02-29,ana@example.com,javascript:alert(1),ana.example\n' +
      'Bo,Reis,1990-01-31,bo@,"data:text/html,<script>alert(1)</script>",https://bo.example\n';
    const g = importBytes(nb, bytes(google), 'contacts.csv', 'google').summary;
    expect(g.added).toBe(2);
    const ana = listPeople(nb).find((p) => p.name === 'Ana Lima')!;
    expect(ana.links).toEqual(['https://ana.example']);
    expect(ana.birthday).toBeUndefined();
    const bo = listPeople(nb).find((p) => p.name === 'Bo Reis')!;
    expect(bo.links).toEqual(['https://bo.example']);
    expect(bo.emails).toEqual([]);
    expect(bo.birthday).toBe('1990-01-31');
    const gw = (g.warnings ?? []).map((w) => `${w.ref}: ${w.reason}`).join('\n');
    expect(gw).toMatch(/line 2: "javascript:alert\(1\)" is not a web link/);
    expect(gw).toMatch(/line 2: A birthday must be a real date/);
    expect(gw).toContain('line 3: "data:text/html,<script>alert(1)</script>" is not a web link');

    const vcard = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Cy Vale',
      'URL:vbscript:msgbox(1)',
      'URL:file:///etc/passwd',
      'URL:https://cy.example',
      'BDAY:20230229',
      'END:VCARD',
      '',
    ].join('\r\n');
    const v = importBytes(nb, bytes(vcard), 'cy.vcf', 'vcard').summary;
    const cy = listPeople(nb).find((p) => p.name === 'Cy Vale')!;
    expect(cy.links).toEqual(['https://cy.example']);
    expect(cy.birthday).toBeUndefined();
    expect((v.warnings ?? []).map((w) => w.reason).join('\n')).toMatch(/vbscript:.*not a web link/);

    const linkedin =
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n' +
      'Di,Sá,javascript:alert(1),,,,30 Feb 2025\n';
    const l = importBytes(nb, bytes(linkedin), 'Connections.csv', 'linkedin').summary;
    const di = listPeople(nb).find((p) => p.name === 'Di Sá')!;
    expect(di.links).toEqual([]);
    const diTie = listTies(nb).find((t) => t.to === di.id || t.from === di.id)!;
    expect(diTie.since).toBeUndefined();
    const lw = (l.warnings ?? []).map((w) => w.reason).join('\n');
    expect(lw).toMatch(/not a web link/);
    expect(lw).toMatch(/"30 Feb 2025", not a date/);
    expect(diagnostics(nb)).toEqual([]);
  });

  it('normaliseLink never lets a non-http(s) URL through, whatever the spelling', () => {
    for (const link of HOSTILE_LINKS) {
      const out = normaliseLink(link);
      if (out !== undefined) expect(new URL(out).protocol, link).toMatch(/^https?:$/);
      expect(out, JSON.stringify(link)).toBeUndefined();
    }
  });
});
