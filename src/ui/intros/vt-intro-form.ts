import { LitElement, css, html, nothing } from 'lit';
import {
  UnderGlassError,
  createIntro,
  getPerson,
  refereeRecord,
  tieBetween,
  underGlassGaps,
  type Notebook,
  type Person,
  type Stakes,
} from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import {
  BAD_OUTCOMES,
  OUTCOME_LABELS,
  feedbackStyles,
  reputationSummary,
} from './vt-intro-card.ts';
import '../people/vt-person-picker.ts';
import '../people/vt-vetting-badge.ts';
import { emit, errorText, states } from '../shell/component.ts';

/** A labelled one-line text input of the form, read back by its `name` (= its `id`). */
function textField(id: string, label: string, placeholder: string, required = false) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${id}
      autocomplete="off"
      ?required=${required}
      placeholder=${placeholder}
    />
  </div>`;
}

/**
 * Start an introduction between two people: person pickers, purpose, stakes and the
 * expectations set. Each picked person shows how well the owner knows them and their
 * referral reputation, with a warning after a flake or a difficult outcome. When one of
 * the two is under glass and the other is not vetted first-hand on all four parts, the
 * form lists what is missing and starts only after an explicit "Override" with a reason,
 * which is recorded on the introduction. "Someone else made this introduction" records an
 * inbound one instead (made by someone else, already introduced; no under-glass check).
 *
 * @fires vt-intro-created - `detail: { id }` after the introduction is recorded.
 * @fires vt-cancel - when "Cancel" is pressed.
 */
export class VtIntroForm extends LitElement {
  static override properties = {
    a: { attribute: false },
    b: { attribute: false },
    ...states('overriding', 'inbound', 'by', 'error'),
  };

  /** The first person (the one asked first), preset by "Introduce…" on a person. */
  a: string | null = null;
  b: string | null = null;
  /** The owner chose "Override" on an under-glass warning. */
  overriding = false;
  /** Recording an introduction someone else made (to the owner or between others). */
  inbound = false;
  /** Who made it, when {@link inbound}. */
  by: string | null = null;
  error = '';
  // Re-render when people (vetting, under glass) or introductions (reputation) change.
  private readonly versions = new NotebookController(
    this,
    (nb: Notebook) => `${nb.versions.people}:${nb.versions.intros}`,
  );

  static override styles = [
    sharedStyles,
    feedbackStyles,
    css`
      form {
        display: grid;
        gap: var(--vt-space-2);
        padding: var(--vt-space-3);
        background: var(--vt-surface-2);
        border-radius: var(--vt-radius);
      }
      .person {
        display: grid;
        gap: 2px;
      }
      .rep {
        font-size: var(--vt-text-xs);
        color: var(--vt-text-muted);
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-1);
        align-items: center;
      }
      .warn {
        color: var(--vt-warn);
        font-weight: 600;
      }
      .glass {
        border: 1px solid var(--vt-warn);
        border-radius: var(--vt-radius-sm);
        padding: var(--vt-space-2) var(--vt-space-3);
        background: var(--vt-surface);
        font-size: var(--vt-text-sm);
      }
      .glass ul {
        margin: var(--vt-space-1) 0;
        padding-left: 1.2em;
      }
      .glass strong {
        color: var(--vt-warn);
      }
      .two {
        display: grid;
        grid-template-columns: 1fr 2fr;
        gap: var(--vt-space-2);
      }
      .buttons {
        display: flex;
        gap: var(--vt-space-2);
        align-items: center;
      }
      .check {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        color: var(--vt-text);
      }
    `,
  ];

  override render() {
    const nb = this.versions.nb;
    void this.versions.value;
    if (!nb) return nothing;
    const a = this.a ? getPerson(nb, this.a) : undefined;
    const b = this.b ? getPerson(nb, this.b) : undefined;
    // The under-glass rule guards the owner's own referrals; an introduction someone else
    // made is a fact to record, not a referral to approve.
    const gaps = a && b && !this.inbound ? underGlassGaps(nb, a.id, b.id) : [];
    const tied = a && b ? !!tieBetween(nb, a.id, b.id) : false;
    return html`<form
      @submit=${this.submit}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        this.cancel();
      }}
      novalidate
      aria-label="Start an introduction"
    >
      <h3>Start an introduction</h3>
      ${this.renderPerson(nb, 'a', 'First person (asked first)', a, b)}
      ${this.renderPerson(nb, 'b', 'Second person', b, a)}
      ${tied ? html`<p class="small muted">These two are already tied in your notebook.</p>` : nothing}
      <label class="check">
        <input
          type="checkbox"
          .checked=${this.inbound}
          @change=${(e: Event) => {
            this.inbound = (e.target as HTMLInputElement).checked;
            this.error = '';
          }}
        />
        Someone else made this introduction (already introduced)
      </label>
      ${
        this.inbound
          ? html`<vt-person-picker
              label="Introduced by"
              .value=${this.by}
              .exclude=${[a?.id, b?.id].filter((x): x is string => !!x)}
              @vt-pick=${(e: CustomEvent<{ id: string | null }>) => (this.by = e.detail.id)}
            ></vt-person-picker>`
          : nothing
      }
      ${gaps.length ? this.renderGaps(gaps) : nothing}
      ${textField('purpose', 'Purpose', 'Why these two should talk')}
      <div class="two">
        <div class="field">
          <label for="stakes">Stakes</label>
          <select id="stakes" name="stakes">
            <option value="low">Low</option>
            <option value="high">High</option>
          </select>
        </div>
        ${textField('expectations', 'Expectations', 'e.g. a 30-minute call, no obligation')}
      </div>
      <p class="error" role="alert">${this.error}</p>
      <div class="buttons">
        <button class="primary" type="submit" ?disabled=${gaps.length > 0 && !this.overriding}>
          ${this.inbound ? 'Record introduction' : 'Start introduction'}
        </button>
        <button type="button" @click=${this.cancel}>Cancel</button>
      </div>
    </form>`;
  }

  private renderPerson(
    nb: Notebook,
    side: 'a' | 'b',
    label: string,
    p: Person | undefined,
    other: Person | undefined,
  ) {
    const rec = p ? refereeRecord(nb, p.id) : undefined;
    const bad = rec?.lastBad && BAD_OUTCOMES.has(rec.lastBad.outcome) ? rec.lastBad : undefined;
    return html`<div class="person">
      <vt-person-picker
        label=${label}
        .value=${p?.id ?? null}
        .exclude=${other ? [other.id] : []}
        @vt-pick=${(e: CustomEvent<{ id: string | null }>) => {
          this[side] = e.detail.id;
          this.overriding = false;
          this.error = '';
        }}
      ></vt-person-picker>
      ${
        p && rec
          ? html`<div class="rep" aria-label=${`Referral reputation of ${p.name}`} role="group">
              <vt-vetting-badge .person=${p}></vt-vetting-badge>
              ${p.underGlass ? html`<span class="warn">◆ under glass</span>` : nothing}
              <span>${reputationSummary(rec)}</span>
              ${
                bad
                  ? html`<span class="warn" role="note"
                      >⚠ Last introduction ${OUTCOME_LABELS[bad.outcome].toLowerCase()}: think twice
                      before referring ${p.name} again.</span
                    >`
                  : nothing
              }
            </div>`
          : nothing
      }
    </div>`;
  }

  private renderGaps(gaps: readonly string[]) {
    return html`<div class="glass" role="group" aria-label="Under glass">
      <strong>Under glass: this introduction needs what is missing, or an override.</strong>
      <ul aria-label="What is missing">
        ${gaps.map((g) => html`<li>${g}</li>`)}
      </ul>
      ${
        this.overriding
          ? textField('reason', 'Reason for the override', 'Recorded on the introduction', true)
          : html`<button type="button" @click=${this.startOverride}>Override…</button>`
      }
    </div>`;
  }

  private startOverride(): void {
    this.overriding = true;
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('#reason') as HTMLInputElement | null)?.focus(),
    );
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const nb = this.versions.nb;
    if (!nb) return;
    if (!this.a || !this.b) {
      this.error = 'Pick both people to introduce.';
      return;
    }
    if (this.inbound && !this.by) {
      this.error = 'Pick who made the introduction.';
      return;
    }
    const data = new FormData(e.target as HTMLFormElement);
    const reason = String(data.get('reason') ?? '').trim();
    if (this.overriding && !reason) {
      this.error = 'An override needs a reason; it is recorded on the introduction.';
      (this.renderRoot.querySelector('#reason') as HTMLInputElement | null)?.focus();
      return;
    }
    try {
      const id = createIntro(nb, {
        a: this.a,
        b: this.b,
        purpose: String(data.get('purpose') ?? '').trim() || undefined,
        stakes: (String(data.get('stakes') ?? 'low') as Stakes) || 'low',
        expectations: String(data.get('expectations') ?? '').trim() || undefined,
        overrideReason: this.overriding && !this.inbound ? reason : undefined,
        ...(this.inbound && this.by ? { by: this.by, state: 'introduced' as const } : {}),
      });
      this.reset();
      emit(this, 'vt-intro-created', { id });
    } catch (err) {
      // Someone changed the vetting meanwhile (another device): show the fresh gaps.
      if (err instanceof UnderGlassError) this.overriding = false;
      this.error = errorText(err);
    }
  }

  private reset(): void {
    this.a = null;
    this.b = null;
    this.overriding = false;
    this.inbound = false;
    this.by = null;
    this.error = '';
    this.renderRoot.querySelector('form')?.reset();
    this.renderRoot.querySelectorAll('vt-person-picker').forEach((p) => p.clear());
  }

  private cancel(): void {
    this.reset();
    emit(this, 'vt-cancel');
  }
}

customElements.define('vt-intro-form', VtIntroForm);

declare global {
  interface HTMLElementTagNameMap {
    'vt-intro-form': VtIntroForm;
  }
}
