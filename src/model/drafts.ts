/**
 * Drafting the messages of an introduction (PRODUCT.md item 6): the opt-in ask to each
 * side and the introduction itself, written from both people's records, plus a `mailto:`
 * URL builder so a draft opens in the owner's mail client.
 *
 * What goes in: name, role and organisation, and the intro's purpose and expectations, in
 * the owner's own words and casing. What stays out unless the owner ticks it in
 * ({@link DraftPrivate}): how the owner met each person, the free notes and the vetting
 * record (how someone treats others, their character), which are the owner's private
 * record. Drafts are plain text for the owner to edit before anything leaves the device.
 */
import { VETTING_PART_NAMES } from './commands/intros.ts';
import type { Notebook } from './notebook.ts';
import { getOwner, getPerson } from './read.ts';
import { VETTING_PARTS, type Intro, type Person } from './schema.ts';

/**
 * The owner's private fields a draft may quote about the other person, each only when
 * ticked in (all off by default): how the owner met them, their free notes, and what the
 * owner vetted about them (parts with a status other than unknown, with their notes).
 */
export interface DraftPrivate {
  readonly howWeMet?: boolean;
  readonly notes?: boolean;
  readonly vetting?: boolean;
}

/** One message ready to edit, copy or open in the mail client. */
export interface Draft {
  /** Recipient addresses (a person's first email), possibly empty. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
}

/** The three messages of a double opt-in introduction. */
export interface IntroDrafts {
  /** The opt-in ask to A: would you like to meet B? */
  readonly askA: Draft;
  /** The opt-in ask to B: would you like to meet A? */
  readonly askB: Draft;
  /** The introduction itself, to both. */
  readonly intro: Draft;
}

/** What the drafts are made from: an introduction, or the fields of one being planned. */
export type DraftSource = Pick<Intro, 'a' | 'b' | 'stakes'> &
  Partial<Pick<Intro, 'purpose' | 'expectations'>>;

/** The first word of a name, for "Hi Ana". */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** "Role at Org", "Role", "Org", or `undefined` when neither is known. */
export function describeWork(p: Pick<Person, 'role' | 'org'>): string | undefined {
  if (p.role && p.org) return `${p.role} at ${p.org}`;
  if (p.role) return p.role;
  if (p.org) return p.org;
  return undefined;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** "Name (Role at Org)": how someone is named to the other side. */
function named(p: Person): string {
  const work = describeWork(p);
  return work ? `${p.name} (${work})` : p.name;
}

/**
 * What the owner says about someone beyond name and work: only the private fields they
 * ticked in (PRODUCT.md "Privacy"), each as its own line, in the owner's own words.
 */
function about(p: Person, share: DraftPrivate): string {
  const first = firstName(p.name);
  const lines: string[] = [];
  if (share.howWeMet && p.howWeMet) lines.push(`How I know ${first}: ${sentence(p.howWeMet)}`);
  if (share.notes && p.notes?.trim()) lines.push(`My notes on ${first}: ${sentence(p.notes)}`);
  if (share.vetting) {
    for (const part of VETTING_PARTS) {
      const v = p.vetting[part];
      if (v.status === 'unknown') continue;
      const how = v.status === 'first-hand' ? 'first-hand' : 'from others';
      const note = v.note?.trim() ? `: ${sentence(v.note)}` : '.';
      lines.push(`${first}'s ${VETTING_PART_NAMES[part]} (I know it ${how})${note}`);
    }
  }
  return lines.length ? `\n${lines.join('\n')}` : '';
}

function recipients(...people: Person[]): string[] {
  return people.map((p) => p.emails[0]).filter((e): e is string => !!e);
}

function ask(
  to: Person,
  other: Person,
  src: DraftSource,
  signer: string,
  share: DraftPrivate,
): Draft {
  const lines = [
    `Hi ${firstName(to.name)},`,
    '',
    `I'd like to introduce you to ${named(other)}.${about(other, share)}`,
  ];
  if (src.purpose) lines.push('', `Why I think you two should talk: ${sentence(src.purpose)}`);
  if (src.expectations) lines.push('', `What I have in mind: ${sentence(src.expectations)}`);
  if (src.stakes === 'high') {
    lines.push('', 'This one matters to me, so please tell me honestly if it is not a good fit.');
  }
  lines.push(
    '',
    `Would you be happy for me to connect you? A yes or no is all I need; no pressure either way.`,
    '',
    'Best,',
    signer,
  );
  return {
    to: recipients(to),
    subject: `Would you like an introduction to ${other.name}?`,
    body: lines.join('\n'),
  };
}

/**
 * Draft the opt-in asks and the introduction for `src` from both people's records, quoting
 * the private fields in `share` only (none by default). Throws nothing: a missing person
 * (deleted meanwhile) yields `undefined`.
 */
export function draftIntro(
  nb: Notebook,
  src: DraftSource,
  share: DraftPrivate = {},
): IntroDrafts | undefined {
  const a = getPerson(nb, src.a);
  const b = getPerson(nb, src.b);
  if (!a || !b) return undefined;
  const signer = firstName(getOwner(nb)?.name ?? '');
  const intro = [
    `Hi ${firstName(a.name)} and ${firstName(b.name)},`,
    '',
    'As promised, I am introducing you to each other.',
    '',
    `${firstName(a.name)}, meet ${named(b)}.${about(b, share)}`,
    '',
    `${firstName(b.name)}, meet ${named(a)}.${about(a, share)}`,
  ];
  if (src.purpose) intro.push('', `Why I am connecting you: ${sentence(src.purpose)}`);
  if (src.expectations) intro.push('', `What I suggested: ${sentence(src.expectations)}`);
  intro.push('', 'I will leave it to you two from here.', '', 'Best,', signer);
  return {
    askA: ask(a, b, src, signer, share),
    askB: ask(b, a, src, signer, share),
    intro: {
      to: recipients(a, b),
      subject: `Introduction: ${a.name} and ${b.name}`,
      body: intro.join('\n'),
    },
  };
}

/**
 * A `mailto:` URL for a draft (RFC 6068): addresses comma-separated, subject and body
 * percent-encoded with `encodeURIComponent`, line breaks as CRLF as the RFC asks.
 */
export function mailtoUrl(draft: Pick<Draft, 'to' | 'subject' | 'body'>): string {
  // '@' may stay literal in an addr-spec; some mail clients do not decode "%40".
  const to = draft.to.map((addr) => encodeURIComponent(addr.trim()).replace(/%40/g, '@')).join(',');
  const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
  return `mailto:${to}?subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(crlf(draft.body))}`;
}
