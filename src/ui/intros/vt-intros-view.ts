import { LitElement, css, html, nothing, svg } from 'lit';
import { dayOf } from '../../time/dates.ts';
import {
  OPEN_STATES,
  getPerson,
  introSuggestions,
  ASK_WAIT_DAYS,
  introsDue,
  listIntros,
  type DueIntro,
  type Intro,
  type IntroState,
  type Notebook,
} from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { panelStyles, sharedStyles } from '../shell/shared-styles.ts';
import { BAD_OUTCOMES, OUTCOME_LABELS } from './vt-intro-card.ts';
import { WHO_SHOWS_UP, introduceButton, suggestedPairs } from './suggestions.ts';
import './vt-intro-card.ts';
import './vt-intro-form.ts';
import '../analysis/vt-reciprocity.ts';
import '../people/vt-vetting-badge.ts';
import { states } from '../shell/component.ts';

/** A 16px icon for the "Introductions" header button on a phone (two people, one link). */
export const INTROS_ICON = svg`<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"><circle cx="3.5" cy="8" r="2"/><circle cx="12.5" cy="8" r="2"/><path d="M5.5 8h5M8.5 6l2 2-2 2"/></svg>`;

/** Which part of the view is shown. */
export type IntrosTab = 'open' | 'done' | 'reciprocity';

const TABS: readonly [IntrosTab, string][] = [
  ['open', 'Open'],
  ['done', 'Done'],
  ['reciprocity', 'Give and take'],
];

const OPEN_HEADINGS: Record<(typeof OPEN_STATES)[number], string> = {
  idea: 'Ideas',
  'asked-a': 'Waiting on the first person',
  'asked-b': 'Waiting on the second person',
};

const DONE_HEADINGS: Partial<Record<IntroState, string>> = {
  introduced: 'Made',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

function tabOf(state: IntroState): IntrosTab {
  return (OPEN_STATES as readonly string[]).includes(state) ? 'open' : 'done';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The "Introductions" view: what is due (asks waiting, ideas to ask, follow-ups whose
 * date has come, outcomes to record), open introductions grouped by state, people the
 * owner could introduce, done ones with their outcomes, inbound ones, and the give and
 * take ({@link VtReciprocity}). Each introduction opens into a {@link VtIntroCard}; "Start
 * an introduction" opens a {@link VtIntroForm}.
 *
 * @fires vt-select - `detail: { id }` when a person's name is clicked (from a card).
 */
export class VtIntrosView extends LitElement {
  static override properties = states('tab', 'openId', 'formOpen', 'presetA', 'presetB');

  tab: IntrosTab = 'open';
  /** The introduction shown as a card. */
  openId: string | null = null;
  formOpen = false;
  presetA: string | null = null;
  presetB: string | null = null;
  private readonly intros = new NotebookController(this, (nb: Notebook) => listIntros(nb));
  private readonly peopleVersion = new NotebookController(
    this,
    (nb: Notebook) => nb.versions.people,
  );

  static override styles = [
    sharedStyles,
    panelStyles,
    css`
      header {
        align-items: center;
      }
      [role='tablist'] {
        display: flex;
        gap: var(--vt-space-1);
        border-bottom: 1px solid var(--vt-border);
        margin: var(--vt-space-3) 0;
      }
      [role='tab'] {
        border: 0;
        border-radius: 0;
        background: transparent;
        border-bottom: 2px solid transparent;
        padding: var(--vt-space-1) var(--vt-space-2);
      }
      [role='tab'][aria-selected='true'] {
        border-bottom-color: var(--vt-accent);
        font-weight: 600;
      }
      section {
        margin-bottom: var(--vt-space-4);
      }
      h3 {
        margin-bottom: var(--vt-space-1);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        border-bottom: 1px solid var(--vt-border);
      }
      .row {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0 var(--vt-space-2);
        width: 100%;
        text-align: left;
        border: 0;
        border-radius: 0;
        background: transparent;
        padding: var(--vt-space-2) var(--vt-space-1);
      }
      .row[aria-expanded='true'] {
        background: var(--vt-accent-soft);
      }
      .names {
        font-weight: 550;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .sub {
        grid-column: 1 / -1;
        font-size: var(--vt-text-xs);
        color: var(--vt-text-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .chip {
        font-size: var(--vt-text-xs);
        padding: 0 8px;
        border-radius: 999px;
        background: var(--vt-surface-2);
        align-self: center;
      }
      .chip.bad {
        color: var(--vt-danger);
      }
      .chip.good {
        color: var(--vt-accent);
      }
      .due .chip {
        color: var(--vt-warn);
      }
      vt-intro-card {
        padding: var(--vt-space-2) var(--vt-space-1) var(--vt-space-3);
      }
      .suggest li {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        padding: var(--vt-space-1) 0;
      }
      .suggest span {
        flex: 1;
        min-width: 0;
      }
      .empty {
        color: var(--vt-text-muted);
        font-size: var(--vt-text-sm);
      }
    `,
  ];

  /** Open the form to start an introduction, with the first (and second) person preset. */
  startIntro(a: string | null = null, b: string | null = null): void {
    this.presetA = a;
    this.presetB = b;
    this.formOpen = true;
    this.tab = 'open';
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('vt-intro-form') as HTMLElement | null)?.scrollIntoView?.({
        block: 'nearest',
      }),
    );
  }

  /** Show one introduction's card (on the tab it belongs to). */
  openIntro(id: string): void {
    const intro = (this.intros.value ?? []).find((i) => i.id === id);
    if (intro) this.tab = tabOf(intro.state);
    this.openId = id;
    this.openFromDue = false;
  }

  /** The open card's state when last rendered, to follow it when a step moves it. */
  private openState: IntroState | undefined;

  override willUpdate(): void {
    const intro = this.openId
      ? (this.intros.value ?? []).find((i) => i.id === this.openId)
      : undefined;
    if (intro && this.openState !== undefined && intro.state !== this.openState) {
      // A step on the card moved it (say, to "introduced"): follow it to its new group and
      // tab rather than let it vanish under the owner's cursor.
      this.tab = tabOf(intro.state);
      this.openFromDue = false;
    }
    this.openState = intro?.state;
  }

  override render() {
    const nb = this.intros.nb;
    const intros = this.intros.value ?? [];
    void this.peopleVersion.value;
    if (!nb) return nothing;
    const owner = nb.ownerId;
    const open = intros.filter((i) => (OPEN_STATES as readonly string[]).includes(i.state));
    const done = intros.filter((i) => !(OPEN_STATES as readonly string[]).includes(i.state));
    return html`
      <header>
        <h2>Introductions</h2>
        <button
          class="primary"
          aria-expanded=${this.formOpen ? 'true' : 'false'}
          @click=${() => (this.formOpen ? (this.formOpen = false) : this.startIntro())}
        >
          Start an introduction
        </button>
      </header>
      ${
        this.formOpen
          ? html`<vt-intro-form
              .a=${this.presetA}
              .b=${this.presetB}
              @vt-intro-created=${(e: CustomEvent<{ id: string }>) => {
                this.formOpen = false;
                this.openIntro(e.detail.id);
              }}
              @vt-cancel=${() => {
                this.formOpen = false;
                // Back to the button that opened the form.
                void this.updateComplete.then(() =>
                  this.renderRoot.querySelector<HTMLElement>('header button.primary')?.focus(),
                );
              }}
            ></vt-intro-form>`
          : nothing
      }
      <div role="tablist" aria-label="Introductions">
        ${TABS.map(
          ([tab, label]) =>
            html`<button
              role="tab"
              aria-selected=${this.tab === tab ? 'true' : 'false'}
              @click=${() => (this.tab = tab)}
            >
              ${label}${
                tab === 'open' ? ` (${open.length})` : tab === 'done' ? ` (${done.length})` : ''
              }
            </button>`,
        )}
      </div>
      <div role="tabpanel">
        ${
          this.tab === 'open'
            ? this.renderOpen(nb, open)
            : this.tab === 'done'
              ? this.renderDone(nb, done, owner)
              : html`<vt-reciprocity></vt-reciprocity>`
        }
      </div>
    `;
  }

  private renderOpen(nb: Notebook, open: readonly Intro[]) {
    const due = introsDue(nb);
    const dueIds = new Set(due.map((d) => d.intro.id));
    return html`
      <section class="due" aria-label="Due">
        <h3>Due</h3>
        ${
          due.length
            ? html`<ul>
                ${due.map((d) => this.renderRow(nb, d.intro, this.dueText(nb, d)))}
              </ul>`
            : html`<p class="empty">
                Nothing due. Asks unanswered for ${ASK_WAIT_DAYS} days and follow-ups show up here.
              </p>`
        }
      </section>
      ${OPEN_STATES.map((state) => {
        // Each introduction under one heading: one listed as due is not repeated below.
        const list = open.filter((i) => i.state === state && !dueIds.has(i.id));
        return this.renderGroup(nb, OPEN_HEADINGS[state], OPEN_HEADINGS[state], list);
      })}
      ${this.renderSuggestions(nb)}
    `;
  }

  private renderDone(nb: Notebook, done: readonly Intro[], owner: string | undefined) {
    const mine = done.filter((i) => i.by === owner);
    const inbound = done.filter((i) => i.by !== owner);
    const groups = (['introduced', 'declined', 'cancelled'] as const).map((state) =>
      this.renderGroup(
        nb,
        DONE_HEADINGS[state]!,
        DONE_HEADINGS[state]!,
        mine.filter((i) => i.state === state),
      ),
    );
    return html`${groups}
    ${this.renderGroup(nb, 'Introduced to you', 'Introduced by others', inbound, 'None recorded.')}`;
  }

  /** One group of introductions: its heading with the count, the rows, or `empty`. */
  private renderGroup(
    nb: Notebook,
    label: string,
    heading: string,
    list: readonly Intro[],
    empty = 'None.',
  ) {
    return html`<section aria-label=${label}>
      <h3>${heading} (${list.length})</h3>
      ${
        list.length
          ? html`<ul>
              ${list.map((i) => this.renderRow(nb, i))}
            </ul>`
          : html`<p class="empty">${empty}</p>`
      }
    </section>`;
  }

  private renderRow(nb: Notebook, intro: Intro, due?: string) {
    const a = getPerson(nb, intro.a);
    const b = getPerson(nb, intro.b);
    if (!a || !b) return nothing;
    const expanded = this.openId === intro.id && (!due || this.openFromDue);
    const chip = this.chip(intro);
    const by = intro.by !== nb.ownerId ? getPerson(nb, intro.by)?.name : undefined;
    const sub = due ?? [by ? `by ${by}` : '', intro.purpose ?? ''].filter(Boolean).join(' · ');
    return html`<li>
      <button
        class="row"
        aria-expanded=${expanded ? 'true' : 'false'}
        @click=${() => this.toggle(intro.id, !!due)}
      >
        <span class="names">${a.name} ↔ ${b.name}</span>
        <span class="chip ${chip.kind}">${chip.text}</span>
        ${sub ? html`<span class="sub">${sub}</span>` : nothing}
      </button>
      ${expanded ? html`<vt-intro-card .introId=${intro.id}></vt-intro-card>` : nothing}
    </li>`;
  }

  /** Whether the open card sits under the "Due" list (else under its state group). */
  private openFromDue = false;

  private toggle(id: string, fromDue: boolean): void {
    if (this.openId === id && this.openFromDue === fromDue) {
      this.openId = null;
    } else {
      this.openId = id;
      this.openFromDue = fromDue;
      this.requestUpdate();
    }
  }

  private chip(intro: Intro): { text: string; kind: string } {
    if (intro.state === 'introduced') {
      if (!intro.outcome) return { text: 'No outcome yet', kind: '' };
      return {
        text: OUTCOME_LABELS[intro.outcome],
        kind: BAD_OUTCOMES.has(intro.outcome)
          ? 'bad'
          : intro.outcome === 'no-response'
            ? ''
            : 'good',
      };
    }
    if (intro.state === 'declined') return { text: 'Declined', kind: '' };
    if (intro.state === 'cancelled') return { text: 'Cancelled', kind: '' };
    return { text: intro.stakes === 'high' ? 'High stakes' : 'Low stakes', kind: '' };
  }

  private dueText(nb: Notebook, d: DueIntro): string {
    const i = d.intro;
    const name = (id: string) => getPerson(nb, id)?.name ?? 'them';
    switch (d.reason) {
      case 'ask-waiting':
        return `Waiting ${plural(d.days, 'day')} for ${name(i.state === 'asked-a' ? i.a : i.b)} to answer`;
      case 'follow-up':
        return `Follow up: due ${dayOf(i.followUpAt)}`;
      case 'outcome':
        return `How did it go? Introduced ${plural(d.days, 'day')} ago`;
    }
  }

  private renderSuggestions(nb: Notebook) {
    const suggestions = introSuggestions(nb, { limit: 8 });
    return html`<section class="suggest" aria-label="People you could introduce">
      <h3>People you could introduce</h3>
      ${
        suggestions.length
          ? html`<ul>
              ${suggestedPairs(nb, suggestions).map(({ s, a, b }) => {
                return html`<li>
                  <span
                    ><span class="names">${a.name} ↔ ${b.name}</span><br /><span class="sub"
                      >Both: ${s.sharedTags.join(', ')}</span
                    ></span
                  >
                  ${introduceButton(a, b, () => this.startIntro(a.id, b.id))}
                </li>`;
              })}
            </ul>`
          : html`<p class="empty">Vet people and tag them: ${WHO_SHOWS_UP}</p>`
      }
    </section>`;
  }
}

customElements.define('vt-intros-view', VtIntrosView);

declare global {
  interface HTMLElementTagNameMap {
    'vt-intros-view': VtIntrosView;
  }
}
