import { LitElement, css, html, nothing } from 'lit';
import { dayOf } from '../../time/dates.ts';
import {
  INTRO_OUTCOMES,
  INTRO_TRANSITIONS,
  advanceIntro,
  draftIntro,
  getIntro,
  getPerson,
  getTie,
  mailtoUrl,
  recordIntroOutcome,
  updateIntro,
  type Draft,
  type DraftPrivate,
  type Intro,
  type IntroBlame,
  type IntroDrafts,
  type IntroOutcome,
  type IntroState,
  type Notebook,
  type Person,
  type RefereeRecord,
} from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import '../people/vt-vetting-badge.ts';
import { emit, errorText, states } from '../shell/component.ts';

/**
 * The error and status lines under an introduction's controls (the card, the form): small,
 * and gone while empty.
 */
export const feedbackStyles = css`
  .error {
    font-size: var(--vt-text-sm);
  }
  .error:empty,
  .status:empty {
    display: none;
  }
`;

/** What each lifecycle state is called on screen. */
export const INTRO_STATE_LABELS: Record<IntroState, string> = {
  idea: 'Idea',
  'asked-a': 'Waiting on the first',
  'asked-b': 'Waiting on the second',
  introduced: 'Introduced',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

/** What each outcome is called on screen. */
export const OUTCOME_LABELS: Record<IntroOutcome, string> = {
  great: 'Great',
  fine: 'Fine',
  'no-response': 'No response',
  flaked: 'Flaked',
  difficult: 'Difficult',
};

/** Outcomes that spend the owner's reputation: worth a warning next time. */
export const BAD_OUTCOMES: ReadonlySet<IntroOutcome> = new Set(['flaked', 'difficult']);

/**
 * One line of referral reputation: "Introduced 3 times: 2 went well, 1 flaked · made 1
 * introduction: great". Empty record: "No introductions yet".
 */
export function reputationSummary(rec: RefereeRecord): string {
  const describe = (counts: Readonly<Record<IntroOutcome, number>>) => {
    const good = counts.great + counts.fine;
    const parts = good ? [`${good} went well`] : [];
    for (const o of ['no-response', 'flaked', 'difficult'] as const) {
      if (counts[o]) parts.push(`${counts[o]} ${OUTCOME_LABELS[o].toLowerCase()}`);
    }
    return parts.join(', ');
  };
  const sum = (c: Readonly<Record<IntroOutcome, number>>) =>
    INTRO_OUTCOMES.reduce((s, o) => s + c[o], 0);
  const out: string[] = [];
  const n = sum(rec.asIntroduced);
  if (n) out.push(`Introduced ${n} time${n === 1 ? '' : 's'}: ${describe(rec.asIntroduced)}`);
  const m = sum(rec.asIntroducer);
  if (m) out.push(`made ${m} introduction${m === 1 ? '' : 's'}: ${describe(rec.asIntroducer)}`);
  if (!out.length) return 'No introductions yet';
  const text = out.join(' · ');
  return text[0]!.toUpperCase() + text.slice(1);
}

type DraftKey = keyof IntroDrafts;

const DRAFT_TITLES: Record<DraftKey, string> = {
  askA: 'Ask the first',
  askB: 'Ask the second',
  intro: 'Introduction',
};

/** The draft to open first in each state: the message the owner has to send next. */
const NEXT_DRAFT: Partial<Record<IntroState, DraftKey>> = {
  idea: 'askA',
  'asked-a': 'askB',
  'asked-b': 'intro',
};

/**
 * One introduction: the two people (with how well the owner knows them), purpose, stakes,
 * expectations and any under-glass override; buttons for the lifecycle steps allowed from
 * its state only (ask, decline by either side, introduce, cancel), the outcome once made,
 * the follow-up date, and the three drafted messages, each editable with "Copy" and
 * "Open in mail".
 *
 * Edited drafts are session state (kept while the card lives), never written to the
 * notebook: they are a scratchpad for a message that leaves through the mail client.
 *
 * @fires vt-select - `detail: { id }` when one of the two names is clicked.
 */
/**
 * The introduction whose card takes the keyboard once it has drawn the step just recorded:
 * the buttons pressed are gone, and the card may be a new element under another heading.
 */
let focusAfterStep: string | null = null;

export class VtIntroCard extends LitElement {
  static override properties = {
    introId: { attribute: false },
    ...states('error', 'status', 'edits', 'copied', 'pendingBad', 'share'),
  };

  introId = '';
  error = '';
  status = '';
  /** Drafts as edited by the owner, per intro and message. */
  edits: ReadonlyMap<string, Draft> = new Map();
  /** The draft last copied, so its button can say so. */
  copied = '';
  /** A flaked or difficult outcome clicked but not recorded until the owner says who. */
  pendingBad: IntroOutcome | undefined = undefined;
  /** Private fields the owner ticked into the drafts (none by default). */
  share: DraftPrivate = {};
  private readonly intro = new NotebookController(this, (nb: Notebook) =>
    this.introId ? getIntro(nb, this.introId) : undefined,
  );
  // The names, emails and notes the drafts are made from change with people.
  private readonly peopleVersion = new NotebookController(
    this,
    (nb: Notebook) => nb.versions.people,
  );

  protected override updated(): void {
    if (focusAfterStep === this.introId) void this.takeFocus();
  }

  /** After a step: the next step's first button, the outcome, or the status line. */
  private async takeFocus(): Promise<void> {
    // A frame later, so a card replaced in the same frame leaves it to its successor.
    await new Promise((ok) => requestAnimationFrame(ok));
    if (!this.isConnected || focusAfterStep !== this.introId) return;
    focusAfterStep = null;
    const target =
      this.renderRoot.querySelector<HTMLElement>('[role="group"] button:not(:disabled)') ??
      this.renderRoot.querySelector<HTMLElement>('.status');
    if (target?.classList.contains('status')) target.tabIndex = -1;
    target?.focus();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Another introduction: a half-given outcome or ticked private fields do not carry over.
    if (changed.has('introId')) {
      this.pendingBad = undefined;
      this.share = {};
    }
  }

  static override styles = [
    sharedStyles,
    feedbackStyles,
    css`
      fieldset.share {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-1) var(--vt-space-3);
        border: 1px solid var(--vt-border);
        border-radius: 6px;
        margin: var(--vt-space-2) 0;
        padding: var(--vt-space-1) var(--vt-space-2);
      }
      fieldset.share legend {
        font-size: 0.85em;
        color: var(--vt-text-muted);
      }
      .hint {
        font-size: 0.85em;
        color: var(--vt-text-muted);
      }
      .who {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vt-space-1) var(--vt-space-2);
        margin-bottom: var(--vt-space-2);
      }
      .who button {
        border: 0;
        background: transparent;
        padding: 0;
        font-weight: 600;
      }
      .who button:hover {
        text-decoration: underline;
      }
      .state {
        font-size: var(--vt-text-xs);
        padding: 1px 8px;
        border-radius: 999px;
        background: var(--vt-surface-2);
        margin-left: auto;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px var(--vt-space-3);
        margin: 0 0 var(--vt-space-2);
        font-size: var(--vt-text-sm);
      }
      dt {
        color: var(--vt-text-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .override {
        color: var(--vt-warn);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-1);
        margin: var(--vt-space-2) 0;
      }
      button[aria-pressed='true'] {
        font-weight: 600;
      }
      .follow {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        font-size: var(--vt-text-sm);
      }
      .follow input[type='date'] {
        width: auto;
      }
      .follow + .follow {
        margin-top: var(--vt-space-1);
      }
      .follow span {
        white-space: nowrap;
      }
      details {
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius-sm);
        margin-top: var(--vt-space-2);
        padding: 0 var(--vt-space-2);
      }
      summary {
        cursor: pointer;
        padding: var(--vt-space-1) 0;
        font-size: var(--vt-text-sm);
        font-weight: 600;
      }
      .draft {
        display: grid;
        gap: var(--vt-space-1);
        padding-bottom: var(--vt-space-2);
      }
      .draft textarea {
        min-height: 12em;
        font-size: var(--vt-text-sm);
      }
      .draft .to {
        font-size: var(--vt-text-xs);
        color: var(--vt-text-muted);
        overflow-wrap: anywhere;
      }
      .draft .buttons {
        display: flex;
        gap: var(--vt-space-2);
        align-items: center;
      }
      a.button {
        display: inline-block;
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius-sm);
        padding: 5px 11px;
        color: inherit;
        text-decoration: none;
        line-height: 1.3;
      }
      a.button:hover {
        background: var(--vt-surface-2);
      }
      .tie {
        font-size: var(--vt-text-sm);
        color: var(--vt-accent);
      }
      .status {
        font-size: var(--vt-text-sm);
        color: var(--vt-text-muted);
      }
    `,
  ];

  override render() {
    const nb = this.intro.nb;
    const intro = this.intro.value;
    void this.peopleVersion.value;
    if (!nb) return nothing;
    if (!intro) return html`<p class="muted">This introduction is no longer in the notebook.</p>`;
    const a = getPerson(nb, intro.a);
    const b = getPerson(nb, intro.b);
    if (!a || !b) return nothing;
    const by = intro.by === nb.ownerId ? undefined : getPerson(nb, intro.by);
    return html`
      <div class="who">
        ${this.name(a)}<span aria-hidden="true">↔</span>${this.name(b)}
        <span class="state">${this.stateText(intro, a, b)}</span>
      </div>
      <dl>
        ${
          by
            ? html`<dt>Introduced by</dt>
                <dd>${by.name}</dd>`
            : nothing
        }
        ${
          intro.purpose
            ? html`<dt>Purpose</dt>
                <dd>${intro.purpose}</dd>`
            : nothing
        }
        <dt>Stakes</dt>
        <dd>${intro.stakes === 'high' ? 'High' : 'Low'}</dd>
        ${
          intro.expectations
            ? html`<dt>Expectations</dt>
                <dd>${intro.expectations}</dd>`
            : nothing
        }
        ${
          intro.overrideReason
            ? html`<dt>Override</dt>
                <dd class="override">Under glass overridden: ${intro.overrideReason}</dd>`
            : nothing
        }
        <dt>Started</dt>
        <dd>${dayOf(intro.createdAt)}</dd>
      </dl>
      ${this.renderSteps(intro, a, b)} ${this.renderMade(nb, intro, a, b)}
      <p class="error" role="alert">${this.error}</p>
      <p class="status" role="status">${this.status}</p>
      ${intro.by === nb.ownerId ? this.renderDrafts(nb, intro) : nothing}
    `;
  }

  private name(p: Person) {
    return html`<button @click=${() => emit(this, 'vt-select', { id: p.id })}>${p.name}</button
      ><vt-vetting-badge compact .person=${p}></vt-vetting-badge>`;
  }

  private stateText(intro: Intro, a: Person, b: Person): string {
    switch (intro.state) {
      case 'asked-a':
        return `Waiting on ${a.name}`;
      case 'asked-b':
        return `Waiting on ${b.name}`;
      case 'declined': {
        const who = intro.declinedBy === a.id ? a : intro.declinedBy === b.id ? b : undefined;
        return who ? `Declined by ${who.name}` : 'Declined';
      }
      case 'introduced':
        return intro.outcome ? `Introduced · ${OUTCOME_LABELS[intro.outcome]}` : 'Introduced';
      default:
        return INTRO_STATE_LABELS[intro.state];
    }
  }

  /** Buttons for exactly the transitions {@link INTRO_TRANSITIONS} allows from here. */
  private renderSteps(intro: Intro, a: Person, b: Person) {
    const allowed = INTRO_TRANSITIONS[intro.state];
    if (!allowed.length) return nothing;
    const buttons = allowed.flatMap((to) => {
      switch (to) {
        case 'asked-a':
          return [this.step(`Asked ${a.name}`, to, undefined, true)];
        case 'asked-b':
          return [this.step(`${a.name} said yes · asked ${b.name}`, to, undefined, true)];
        case 'introduced':
          return [this.step(`${b.name} said yes · introduced`, to, undefined, true)];
        case 'declined':
          // In asked-a only A has been asked; once B is asked, either may still say no.
          return (intro.state === 'asked-a' ? [a] : [a, b]).map((p) =>
            this.step(`${p.name} declined`, to, p.id),
          );
        case 'cancelled':
          return [this.step('Cancel introduction', to)];
        default:
          return [];
      }
    });
    return html`<div class="row" role="group" aria-label="Next step">${buttons}</div>`;
  }

  private step(label: string, to: IntroState, declinedBy?: string, primary = false) {
    return html`<button
      class=${primary ? 'primary' : ''}
      @click=${() => this.advance(to, declinedBy, label)}
    >
      ${label}
    </button>`;
  }

  private renderMade(nb: Notebook, intro: Intro, a: Person, b: Person) {
    if (intro.state !== 'introduced') return nothing;
    const tie = intro.tieId ? getTie(nb, intro.tieId) : undefined;
    const by = intro.by === nb.ownerId ? 'you' : (getPerson(nb, intro.by)?.name ?? 'someone');
    return html`
      ${
        tie
          ? html`<p class="tie">Tie made: ${a.name} — ${b.name}, introduced by ${by}.</p>`
          : nothing
      }
      <div class="row" role="group" aria-label="Outcome">
        ${INTRO_OUTCOMES.map(
          (o) =>
            html`<button
              aria-pressed=${(this.pendingBad ?? intro.outcome) === o ? 'true' : 'false'}
              @click=${() => this.outcome(o)}
            >
              ${OUTCOME_LABELS[o]}
            </button>`,
        )}
      </div>
      ${this.renderBlame(intro, a, b)}
      ${
        intro.outcome
          ? html`<label class="follow"
              ><span>Outcome note</span>
              <input
                .value=${intro.outcomeNote ?? ''}
                placeholder="What happened"
                @change=${(e: Event) =>
                  this.outcomeNote(intro, (e.target as HTMLInputElement).value)}
            /></label>`
          : nothing
      }
      <label class="follow"
        ><span>Follow up on</span>
        <input
          type="date"
          .value=${dayOf(intro.followUpAt) ?? ''}
          @change=${(e: Event) => this.followUp((e.target as HTMLInputElement).value)}
      /></label>
    `;
  }

  /**
   * Who a flaked or difficult outcome is held against: asked before it is recorded, and
   * changeable after. Only the side chosen gets "think twice" next time.
   */
  private renderBlame(intro: Intro, a: Person, b: Person) {
    const bad =
      this.pendingBad ??
      (intro.outcome && BAD_OUTCOMES.has(intro.outcome) ? intro.outcome : undefined);
    if (!bad) return nothing;
    const question = bad === 'flaked' ? 'Who flaked?' : 'Who was difficult?';
    const choices: [IntroBlame, string][] = [
      ['a', a.name],
      ['b', b.name],
      ['both', 'Both'],
      ['neither', 'Neither'],
    ];
    const current = this.pendingBad ? undefined : intro.blame;
    return html`<div class="row" role="group" aria-label=${question}>
      <span>${question}</span>
      ${choices.map(
        ([blame, label]) =>
          html`<button
            aria-pressed=${current === blame ? 'true' : 'false'}
            @click=${() => this.blame(bad, blame, intro)}
          >
            ${label}
          </button>`,
      )}
      ${
        this.pendingBad
          ? html`<span class="hint">Only who you pick is flagged next time.</span>`
          : nothing
      }
    </div>`;
  }

  private renderDrafts(nb: Notebook, intro: Intro) {
    const drafts = draftIntro(nb, intro, this.share);
    if (!drafts) return nothing;
    const open = NEXT_DRAFT[intro.state] ?? (intro.state === 'introduced' ? 'intro' : undefined);
    const tick = (key: keyof DraftPrivate, label: string) =>
      html`<label
        ><input
          type="checkbox"
          .checked=${!!this.share[key]}
          @change=${(e: Event) => {
            this.share = { ...this.share, [key]: (e.target as HTMLInputElement).checked };
          }}
        />
        ${label}</label
      >`;
    return html`<fieldset class="share">
        <legend>Put in the drafts (private, off unless ticked)</legend>
        ${tick('howWeMet', 'How we met')} ${tick('notes', 'Notes')} ${tick('vetting', 'Vetting')}
      </fieldset>
      ${(['askA', 'askB', 'intro'] as const).map((key) =>
        this.renderDraft(intro, key, drafts[key], key === open),
      )}`;
  }

  private renderDraft(intro: Intro, key: DraftKey, drafted: Draft, open: boolean) {
    const editKey = `${intro.id}:${key}`;
    const draft = this.edits.get(editKey) ?? drafted;
    const title = DRAFT_TITLES[key];
    const edit = (patch: Partial<Draft>) => {
      const next = new Map(this.edits);
      next.set(editKey, { ...draft, ...patch });
      this.edits = next;
      if (this.copied === editKey) this.copied = '';
    };
    return html`<details ?open=${open}>
      <summary>Draft: ${title}</summary>
      <div class="draft">
        <span class="to">To: ${draft.to.length ? draft.to.join(', ') : 'no email on file'}</span>
        <label for=${`${key}-subject`}>${title}: subject</label>
        <input
          id=${`${key}-subject`}
          .value=${draft.subject}
          @input=${(e: Event) => edit({ subject: (e.target as HTMLInputElement).value })}
        />
        <label for=${`${key}-body`}>${title}: message</label>
        <textarea
          id=${`${key}-body`}
          .value=${draft.body}
          @input=${(e: Event) => edit({ body: (e.target as HTMLTextAreaElement).value })}
        ></textarea>
        <div class="buttons">
          <button
            @click=${() => this.copy(editKey, draft)}
            aria-label=${`Copy ${title.toLowerCase()}`}
          >
            ${this.copied === editKey ? 'Copied ✓' : 'Copy'}
          </button>
          <!-- The name comes from the text (axe: label and name agree): the draft is hidden. -->
          <a class="button" href=${mailtoUrl(draft)}
            >Open<span class="visually-hidden"> ${title.toLowerCase()}</span> in mail</a
          >
          ${
            this.edits.has(editKey)
              ? html`<button class="quiet" @click=${() => this.resetDraft(editKey)}>
                  Redraft
                </button>`
              : nothing
          }
        </div>
      </div>
    </details>`;
  }

  private run(fn: (nb: Notebook) => void, done = ''): void {
    const nb = this.intro.nb;
    if (!nb) return;
    try {
      fn(nb);
      this.error = '';
      this.status = done;
    } catch (err) {
      // Nothing changed: the keyboard stays on the button pressed.
      focusAfterStep = null;
      this.error = errorText(err);
    }
  }

  private advance(to: IntroState, declinedBy: string | undefined, label: string): void {
    focusAfterStep = this.introId;
    this.run(
      (nb) => advanceIntro(nb, this.introId, to, declinedBy ? { declinedBy } : {}),
      `Recorded: ${label}.`,
    );
  }

  private outcome(o: IntroOutcome): void {
    if (BAD_OUTCOMES.has(o)) {
      // Not recorded until the owner says who: a blameless side must not be flagged.
      this.pendingBad = o;
      this.status = '';
      return;
    }
    this.pendingBad = undefined;
    const note = this.intro.value?.outcomeNote;
    focusAfterStep = this.introId;
    this.run(
      (nb) => recordIntroOutcome(nb, this.introId, o, { note }),
      `Outcome: ${OUTCOME_LABELS[o]}.`,
    );
  }

  private blame(o: IntroOutcome, blame: IntroBlame, intro: Intro): void {
    this.pendingBad = undefined;
    focusAfterStep = this.introId;
    this.run(
      (nb) => recordIntroOutcome(nb, this.introId, o, { blame, note: intro.outcomeNote }),
      `Outcome: ${OUTCOME_LABELS[o]}.`,
    );
  }

  private outcomeNote(intro: Intro, note: string): void {
    const o = intro.outcome!;
    this.run(
      (nb) =>
        recordIntroOutcome(nb, this.introId, o, {
          note: note.trim() || undefined,
          ...(BAD_OUTCOMES.has(o) && intro.blame ? { blame: intro.blame } : {}),
        }),
      'Outcome note saved.',
    );
  }

  private followUp(date: string): void {
    this.run(
      (nb) => updateIntro(nb, this.introId, { followUpAt: date || undefined }),
      date ? `Follow-up on ${date}.` : 'Follow-up cleared.',
    );
  }

  private resetDraft(key: string): void {
    const next = new Map(this.edits);
    next.delete(key);
    this.edits = next;
  }

  private async copy(key: string, draft: Draft): Promise<void> {
    const text = `Subject: ${draft.subject}\n\n${draft.body}`;
    try {
      await navigator.clipboard.writeText(text);
      this.copied = key;
      this.status = 'Copied to the clipboard.';
    } catch {
      // No clipboard permission (an insecure origin or a denied prompt): say so plainly,
      // the text stays selectable in the field above.
      this.status = 'Could not reach the clipboard; select the text and copy it by hand.';
    }
  }
}

customElements.define('vt-intro-card', VtIntroCard);

declare global {
  interface HTMLElementTagNameMap {
    'vt-intro-card': VtIntroCard;
  }
}
