/**
 * Drafting an introduction's messages: the facts each side needs are there, the owner's
 * private judgement (vetting notes, a warning in the notes) is not, and `mailto:` opens
 * the right message.
 */
import { describe, expect, it } from 'vitest';
import {
  addPerson,
  createIntro,
  draftIntro,
  getIntro,
  mailtoUrl,
  setVetting,
} from '../../src/model/index.ts';
import { testNotebook } from '../helpers/notebook.ts';

function setup() {
  const nb = testNotebook({ owner: 'Sam Connor' });
  const ana = addPerson(nb, {
    name: 'Ana Lima',
    org: 'Acme Robotics',
    role: 'Head of Engineering',
    emails: ['ana@acme.example', 'ana.personal@mail.example'],
    howWeMet: 'The Berlin hardware meetup',
    notes: 'Building a team for the new warehouse robots. Careful: over-commits on deadlines.',
  });
  const bo = addPerson(nb, {
    name: 'Bo Berg',
    role: 'Recruiter',
    emails: ['bo@globex.example'],
    notes: 'Do not trust him with confidential roles.\nLikes sailing.',
  });
  setVetting(nb, bo, 'character', { status: 'first-hand', note: 'Cuts corners under pressure' });
  setVetting(nb, ana, 'workingStyle', { status: 'heard', note: 'Micromanages, says Cy' });
  const id = createIntro(nb, {
    a: ana,
    b: bo,
    purpose: 'Hiring two senior robotics engineers',
    stakes: 'high',
    expectations: 'A 30-minute call next week; no obligation',
  });
  return { nb, ana, bo, intro: getIntro(nb, id)! };
}

describe('introduction drafts', () => {
  it('ask each side about the other with who they are, why, and what is expected', () => {
    const { nb, intro } = setup();
    const d = draftIntro(nb, intro)!;
    expect(d.askA.to).toEqual(['ana@acme.example']);
    expect(d.askA.subject).toBe('Would you like an introduction to Bo Berg?');
    expect(d.askA.body).toMatch(/^Hi Ana,/);
    expect(d.askA.body).toContain('introduce you to Bo Berg (Recruiter).');
    // Issue 14: the owner's casing is kept (was lower-cased: "hiring two …").
    expect(d.askA.body).toContain('Hiring two senior robotics engineers.');
    expect(d.askA.body).toContain('A 30-minute call next week; no obligation.');
    // High stakes: the ask invites an honest no.
    expect(d.askA.body).toContain('This one matters to me');
    expect(d.askA.body).toMatch(/Best,\nSam$/);

    expect(d.askB.to).toEqual(['bo@globex.example']);
    expect(d.askB.subject).toBe('Would you like an introduction to Ana Lima?');
    // Issue 14: how the owner met Ana is private and stays out unless ticked in.
    expect(d.askB.body).toContain(
      'introduce you to Ana Lima (Head of Engineering at Acme Robotics).\n',
    );
    expect(d.askB.body).not.toContain('Berlin');
  });

  it('introduce both to each other, addressed to both', () => {
    const { nb, intro } = setup();
    const { intro: msg } = draftIntro(nb, intro)!;
    expect(msg.to).toEqual(['ana@acme.example', 'bo@globex.example']);
    expect(msg.subject).toBe('Introduction: Ana Lima and Bo Berg');
    expect(msg.body).toMatch(/^Hi Ana and Bo,/);
    expect(msg.body).toContain('Ana, meet Bo Berg (Recruiter).');
    expect(msg.body).toContain('Bo, meet Ana Lima (Head of Engineering at Acme Robotics).');
    // Free notes are private: not even a neutral first sentence is quoted.
    expect(msg.body).not.toContain('Building a team for the new warehouse robots.');
    expect(msg.body).toContain('Why I am connecting you: Hiring two senior robotics engineers.');
  });

  it('never quote the vetting record or a private judgement from the notes', () => {
    const { nb, intro } = setup();
    const d = draftIntro(nb, intro)!;
    for (const draft of [d.askA, d.askB, d.intro]) {
      const text = `${draft.subject}\n${draft.body}`;
      expect(text).not.toContain('Cuts corners');
      expect(text).not.toContain('Micromanages');
      expect(text).not.toMatch(/over-commits/i);
      expect(text).not.toMatch(/trust/i);
      expect(text).not.toContain('sailing');
      expect(text).not.toMatch(/stakes|high/i);
    }
  });

  it('keep the owner\'s casing: "Alice is hiring" stays capitalised (issue 14)', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Cy' });
    const b = addPerson(nb, { name: 'Alice' });
    const d = draftIntro(nb, {
      a,
      b,
      stakes: 'low',
      purpose: 'Alice is hiring',
      expectations: 'PhD students welcome',
    })!;
    expect(d.askA.body).toContain('Why I think you two should talk: Alice is hiring.');
    expect(d.askA.body).toContain('What I have in mind: PhD students welcome.');
    expect(d.intro.body).toContain('Why I am connecting you: Alice is hiring.');
    expect(d.intro.body).not.toContain('alice is hiring');
  });

  it('quote how we met, notes and vetting only when each is ticked in (issue 14)', () => {
    const { nb, intro } = setup();
    const plain = draftIntro(nb, intro)!;
    for (const draft of [plain.askA, plain.askB, plain.intro]) {
      expect(draft.body).not.toContain('Berlin hardware meetup');
      expect(draft.body).not.toContain('Cuts corners');
      expect(draft.body).not.toContain('warehouse robots');
    }
    const met = draftIntro(nb, intro, { howWeMet: true })!;
    expect(met.askB.body).toContain('How I know Ana: The Berlin hardware meetup.');
    expect(met.intro.body).toContain('How I know Ana: The Berlin hardware meetup.');
    expect(met.askB.body).not.toContain('warehouse robots');
    const notes = draftIntro(nb, intro, { notes: true })!;
    expect(notes.askB.body).toContain(
      'My notes on Ana: Building a team for the new warehouse robots.',
    );
    expect(notes.askB.body).not.toContain('Berlin');
    expect(notes.askB.body).not.toContain('Micromanages');
    const vetting = draftIntro(nb, intro, { vetting: true })!;
    expect(vetting.askA.body).toContain(
      "Bo's character (I know it first-hand): Cuts corners under pressure.",
    );
    expect(vetting.askB.body).toContain(
      "Ana's working style (I know it from others): Micromanages, says Cy.",
    );
    expect(vetting.askB.body).not.toContain('warehouse');
  });

  it('draft for a planned introduction without emails or details, and low stakes', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Cy' });
    const b = addPerson(nb, { name: 'Dee Dee', org: 'Initech' });
    const d = draftIntro(nb, { a, b, stakes: 'low' })!;
    expect(d.intro.to).toEqual([]);
    expect(d.askA.body).toContain('introduce you to Dee Dee (Initech).');
    expect(d.askB.body).toContain('introduce you to Cy.\n');
    expect(d.askA.body).not.toContain('matters to me');
    expect(d.askA.body).not.toContain('undefined');
    expect(draftIntro(nb, { a, b: 'ghost', stakes: 'low' })).toBeUndefined();
  });

  it('mailto: URLs carry recipients, subject and CRLF body, percent-encoded', () => {
    const url = mailtoUrl({
      to: ['ana@acme.example', 'bo+x@globex.example'],
      subject: 'Introduction: Ana & Bo?',
      body: 'Hi Ana,\n\n50% sure = yes',
    });
    expect(url).toBe(
      'mailto:ana@acme.example,bo%2Bx@globex.example' +
        '?subject=Introduction%3A%20Ana%20%26%20Bo%3F' +
        '&body=Hi%20Ana%2C%0D%0A%0D%0A50%25%20sure%20%3D%20yes',
    );
    const parsed = new URL(url);
    expect(parsed.protocol).toBe('mailto:');
    expect(parsed.searchParams.get('subject')).toBe('Introduction: Ana & Bo?');
    expect(parsed.searchParams.get('body')).toBe('Hi Ana,\r\n\r\n50% sure = yes');
    expect(mailtoUrl({ to: [], subject: 'S', body: 'B' })).toBe('mailto:?subject=S&body=B');
  });
});
