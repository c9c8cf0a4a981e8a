import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import {
  VETTING_PARTS,
  ValidationError,
  VitrineError,
  addPerson,
  deletePerson,
  dueInfo,
  getPerson,
  refereeRecord,
  updatePerson,
  type Notebook,
  type Person,
  type PersonInput,
  type VettingEntry,
  type VettingPart,
  type VettingStatus,
} from '../../model/index.ts';
import { MAX_CADENCE_DAYS, dayOf } from '../../time/dates.ts';
import { FieldEdits } from '../controllers/app-context.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { announceRemoved } from '../shell/vt-toast.ts';
import { panelStyles, sharedStyles } from '../shell/shared-styles.ts';
import './vt-person-picker.ts';
import './vt-person-ties.ts';
import './vt-touch-timeline.ts';
import './vt-vetting-badge.ts';
import { OUTCOME_LABELS, reputationSummary } from '../intros/vt-intro-card.ts';
import { emit, errorText, states } from '../shell/component.ts';

const PART_LABELS: Record<VettingPart, string> = {
  intention: 'Intention',
  treatsOthers: 'How they treat others',
  workingStyle: 'Working style',
  character: 'Character',
};

const STATUS_LABELS: Record<VettingStatus, string> = {
  unknown: 'Unknown',
  heard: 'Heard from someone',
  'first-hand': 'First-hand',
};

function list(value: FormDataEntryValue | null): string[] {
  return String(value ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function text(value: FormDataEntryValue | null): string {
  return String(value ?? '').trim();
}

/** The form input that shows a refused model field's sentence. */
const INPUT_OF: Readonly<Record<string, string>> = {
  emails: 'emails',
  links: 'links',
  birthday: 'birthday',
  cadenceDays: 'cadence',
};

/** How long typing pauses before a field is saved. */
const SAVE_DELAY_MS = 400;

/**
 * One person: every field of the model, saved as it is typed (debounced; one undo step per
 * field edit; a visible "Saved"), their ties and their touch timeline; or, with `personId`
 * null, the form for a new person with its "Save" button.
 *
 * @fires vt-select - `detail: { id }` after a new person is saved (their id) or someone is
 *   moved to the trash (`null`).
 */
export class VtPersonPanel extends LitElement {
  static override properties = {
    personId: { attribute: false },
    ...states('message', 'fieldError', 'heard'),
  };

  /** The person shown; `null` shows the empty form for a new person. */
  personId: string | null = null;
  message: { kind: 'error' | 'ok'; text: string } | null = null;
  /** A refused value's sentence, shown next to its input (`input` is the input's name). */
  fieldError: { input: string; text: string } | null = null;
  /** Which vetting parts currently show "vouched by" (status "heard"). */
  heard: ReadonlySet<VettingPart> = new Set();
  private vouchedBy: Partial<Record<VettingPart, string | null>> = {};
  /** The field typed in and not saved yet, with whose it is. */
  private pending: { id: string; input: string } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly edits = new FieldEdits(() => this.person.services?.undo);
  private shownId: string | null | undefined = undefined;
  private readonly person = new NotebookController(this, (nb: Notebook) =>
    this.personId ? getPerson(nb, this.personId) : undefined,
  );
  /**
   * The header's derived values (last touched, due, referee record) read touches, intros
   * and settings, not just the person: a selector of their own, compared by value, so a
   * touch logged or removed re-renders the header in the same frame.
   */
  private readonly derived = new NotebookController(
    this,
    (nb: Notebook) =>
      this.personId
        ? { due: dueInfo(nb, this.personId), rec: refereeRecord(nb, this.personId) }
        : undefined,
    (a, b) => JSON.stringify(a) === JSON.stringify(b),
  );

  static override styles = [
    sharedStyles,
    panelStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--vt-space-2) var(--vt-space-3);
      }
      .full {
        grid-column: 1 / -1;
      }
      .field {
        min-width: 0;
      }
      fieldset {
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        padding: var(--vt-space-2) var(--vt-space-3) var(--vt-space-3);
        margin: var(--vt-space-3) 0 0;
      }
      legend {
        font-weight: 600;
        padding: 0 var(--vt-space-1);
      }
      .vet {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--vt-space-1) var(--vt-space-3);
        padding: var(--vt-space-2) 0;
        border-bottom: 1px dashed var(--vt-border);
      }
      .vet:last-of-type {
        border-bottom: 0;
      }
      .vet strong {
        grid-column: 1 / -1;
        font-size: var(--vt-text-sm);
        font-weight: 600;
      }
      .check {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        color: var(--vt-text);
        font-size: var(--vt-text-md);
      }
      .actions {
        display: flex;
        gap: var(--vt-space-2);
        align-items: center;
        margin-top: var(--vt-space-3);
        position: sticky;
        bottom: 0;
        background: var(--vt-surface);
        padding: var(--vt-space-2) 0;
      }
      .actions .spacer {
        flex: 1;
      }
      .msg {
        font-size: var(--vt-text-sm);
      }
      .msg.error {
        color: var(--vt-danger);
      }
      .field .msg.error {
        overflow-wrap: anywhere;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-1) var(--vt-space-3);
        margin: 0 0 var(--vt-space-3);
        padding: 0;
        list-style: none;
        font-size: var(--vt-text-sm);
      }
      .links a {
        overflow-wrap: anywhere;
      }
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-1) var(--vt-space-3);
        font-size: var(--vt-text-sm);
        color: var(--vt-text-muted);
        margin: 0 0 var(--vt-space-3);
      }
      .overdue {
        color: var(--vt-warn);
        font-weight: 600;
      }
      section {
        margin-bottom: var(--vt-space-5);
      }
      .details-h {
        margin-bottom: var(--vt-space-2);
        padding-top: var(--vt-space-3);
        border-top: 1px solid var(--vt-border);
      }
      @media (max-width: 480px) {
        .grid,
        .vet {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  override willUpdate(): void {
    const p = this.person.value;
    const id = this.personId;
    if (id !== this.shownId) {
      // Whatever was typed for the person shown until now is saved to them first.
      this.flush();
      this.edits.end();
      // A different person: start from their stored vetting, drop any message.
      this.shownId = id;
      this.message = null;
      this.fieldError = null;
      this.heard = new Set(VETTING_PARTS.filter((part) => p?.vetting[part].status === 'heard'));
      this.vouchedBy = Object.fromEntries(
        VETTING_PARTS.map((part) => [part, p?.vetting[part].vouchedBy ?? null]),
      );
    }
  }

  override render() {
    const p = this.person.value;
    if (this.personId && !p) {
      return html`<p class="muted">
        This person is no longer in the notebook (maybe in the trash).
      </p>`;
    }
    return keyed(this.personId ?? 'new', this.renderForm(p));
  }

  private renderForm(p: Person | undefined) {
    const nb = this.person.nb;
    const isOwner = !!p && p.id === nb?.ownerId;
    return html`
      <header>
        <h2>
          ${p ? p.name : 'New person'}${isOwner ? html` <span class="muted small">(you)</span>` : nothing}
        </h2>
        ${
          p && !isOwner
            ? html`<button type="button" @click=${() => this.introduce(p.id)}>Introduce…</button>`
            : nothing
        }
      </header>
      ${p ? this.renderFacts(p) : nothing} ${p ? this.renderLinks(p) : nothing}
      ${
        p
          ? html`<section><vt-touch-timeline .personId=${p.id}></vt-touch-timeline></section>
              <section><vt-person-ties .personId=${p.id}></vt-person-ties></section>
              <h3 class="details-h">Details</h3>`
          : nothing
      }
      <form
        @submit=${this.save}
        @input=${p ? this.onInput : nothing}
        @change=${p ? this.onChange : nothing}
        novalidate
        aria-label=${p ? `Details of ${p.name}` : 'New person'}
      >
        <div class="grid">
          ${this.field('name', 'Name', p?.name, { full: true, required: true })}
          ${this.field('org', 'Organisation', p?.org)} ${this.field('role', 'Role', p?.role)}
          ${this.field('emails', 'Emails (comma-separated)', p?.emails.join(', '), { type: 'email' })}
          ${this.field('phones', 'Phones (comma-separated)', p?.phones.join(', '), { type: 'tel' })}
          ${this.field('links', 'Links (comma-separated)', p?.links.join(', '), { full: true })}
          ${this.field('tags', 'Tags (comma-separated)', p?.tags.join(', '))}
          ${this.field('location', 'Location', p?.location)}
          ${this.field('howWeMet', 'How we met', p?.howWeMet)}
          ${this.field('birthday', 'Birthday', p?.birthday, { type: 'date' })}
          <div class="field full">
            <label for="notes">Notes</label>
            <textarea
              id="notes"
              name="notes"
              rows="4"
              aria-invalid=${this.fieldError?.input === 'notes' ? 'true' : 'false'}
              aria-describedby="notes-error"
              .value=${this.shown('notes', p?.notes)}
            ></textarea>
            ${this.renderFieldError('notes')}
          </div>
          <div class="field">
            <label for="cadence">Keep in touch every (days)</label>
            <input
              id="cadence"
              name="cadence"
              type="number"
              min="1"
              max=${MAX_CADENCE_DAYS}
              step="1"
              inputmode="numeric"
              aria-invalid=${this.fieldError?.input === 'cadence' ? 'true' : 'false'}
              aria-describedby="cadence-error"
              .value=${this.shown('cadence', p?.cadenceDays ? String(p.cadenceDays) : '')}
            />
            ${this.renderFieldError('cadence')}
          </div>
          <div class="field">
            <label class="check" style="margin-top:1.4em">
              <input type="checkbox" name="underGlass" .checked=${p?.underGlass ?? false} />
              Under glass (protected)
            </label>
          </div>
        </div>
        <fieldset>
          <legend>Vetting</legend>
          ${VETTING_PARTS.map((part) => this.renderVetting(part, p?.vetting[part]))}
        </fieldset>
        <div class="actions">
          ${p ? nothing : html`<button class="primary" type="submit">Save</button>`}
          <span
            class="msg ${this.message?.kind ?? ''}"
            role=${this.message?.kind === 'error' ? 'alert' : 'status'}
            >${this.message?.text ?? ''}</span
          >
          <span class="spacer"></span>
          ${
            p && !isOwner
              ? html`<button type="button" class="danger" @click=${() => this.trash(p)}>
                  Move to trash
                </button>`
              : nothing
          }
        </div>
      </form>
    `;
  }

  private renderFacts(p: Person) {
    const d = this.derived.value;
    if (!d) return nothing;
    const { due, rec } = d;
    return html`<p class="facts">
      <vt-vetting-badge .person=${p}></vt-vetting-badge>
      <span>Last touched: ${dayOf(due.lastTouched) ?? 'never'}</span>
      ${
        due.cadenceDays
          ? html`<span class=${(due.daysOverdue ?? -1) > 0 ? 'overdue' : ''}
              >${
                (due.daysOverdue ?? -1) > 0
                  ? `Overdue by ${due.daysOverdue} days`
                  : `Next touch due ${due.dueAt}`
              }</span
            >`
          : nothing
      }
      ${
        rec.total
          ? html`<span class=${rec.lastBad ? 'overdue' : ''}
              >${reputationSummary(rec)}${
                rec.lastBad
                  ? ` · last one ${OUTCOME_LABELS[rec.lastBad.outcome].toLowerCase()}`
                  : ''
              }</span
            >`
          : nothing
      }
    </p>`;
  }

  /**
   * The person's links and addresses as real links. The model only ever hands out http(s)
   * links (anything else is refused on write and ignored on read), and a new tab gets
   * neither this page (`noopener`) nor its address (`noreferrer`).
   */
  private renderLinks(p: Person) {
    if (!p.links.length && !p.emails.length) return nothing;
    return html`<ul class="links" aria-label="Links and e-mail">
      ${p.links.map(
        (href) =>
          html`<li><a href=${href} target="_blank" rel="noopener noreferrer">${href}</a></li>`,
      )}
      ${p.emails.map((e) => html`<li><a href=${`mailto:${e}`}>${e}</a></li>`)}
    </ul>`;
  }

  private renderFieldError(input: string) {
    const error = this.fieldError?.input === input ? this.fieldError.text : '';
    return html`<span class="msg error" id=${`${input}-error`} role=${error ? 'alert' : nothing}
      >${error}</span
    >`;
  }

  private field(
    name: string,
    label: string,
    value: string | undefined,
    opts: { full?: boolean; type?: string; required?: boolean } = {},
  ) {
    return html`<div class="field ${opts.full ? 'full' : ''}">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type=${opts.type === 'date' ? 'date' : 'text'}
        inputmode=${opts.type === 'email' ? 'email' : opts.type === 'tel' ? 'tel' : 'text'}
        autocomplete="off"
        ?required=${opts.required ?? false}
        aria-invalid=${this.fieldError?.input === name ? 'true' : 'false'}
        aria-describedby=${`${name}-error`}
        .value=${this.shown(name, value)}
      />
      ${this.renderFieldError(name)}
    </div>`;
  }

  private renderVetting(part: VettingPart, entry: VettingEntry | undefined) {
    // The stored status picks the option once; after that the select is the user's.
    const status = entry?.status ?? 'unknown';
    return html`<div class="vet">
      <strong id=${`vet-${part}`}>${PART_LABELS[part]}</strong>
      <div class="field">
        <label for=${`status-${part}`}>${PART_LABELS[part]}: status</label>
        <select
          id=${`status-${part}`}
          name=${`status-${part}`}
          @change=${(e: Event) => {
            const next = new Set(this.heard);
            if ((e.target as HTMLSelectElement).value === 'heard') next.add(part);
            else next.delete(part);
            this.heard = next;
          }}
        >
          ${(['unknown', 'heard', 'first-hand'] as const).map(
            (s) => html`<option value=${s} ?selected=${s === status}>${STATUS_LABELS[s]}</option>`,
          )}
        </select>
      </div>
      ${
        this.heard.has(part)
          ? html`<vt-person-picker
              label=${`${PART_LABELS[part]}: vouched by`}
              .value=${this.vouchedBy[part] ?? null}
              .exclude=${this.personId ? [this.personId] : []}
              @vt-pick=${(e: CustomEvent<{ id: string | null }>) => {
                this.vouchedBy[part] = e.detail.id;
                this.autosave(`status-${part}`);
              }}
            ></vt-person-picker>`
          : html`<span></span>`
      }
      <div class="field full" style="grid-column:1/-1">
        <label for=${`note-${part}`}>${PART_LABELS[part]}: vetting note</label>
        <input
          id=${`note-${part}`}
          name=${`note-${part}`}
          autocomplete="off"
          .value=${this.shown(`note-${part}`, entry?.note)}
        />
      </div>
    </div>`;
  }

  /**
   * What an input shows: the stored value, except in the input being typed in, which
   * keeps what was typed (a save in between must not eat a trailing space or comma).
   */
  private shown(input: string, stored: string | undefined): string {
    const active = (this.renderRoot as ShadowRoot).activeElement as HTMLInputElement | null;
    if (this.personId && active?.name === input) {
      return active.value;
    }
    return stored ?? '';
  }

  private readonly onInput = (e: Event): void => {
    const input = (e.target as HTMLInputElement).name;
    // A select, a checkbox or the picker is one decision: saved at once on change.
    if (!input || (e.target as HTMLElement).tagName === 'SELECT') return;
    if ((e.target as HTMLInputElement).type === 'checkbox') return;
    if (this.pending && this.pending.input !== input) this.flush();
    this.pending = { id: this.personId ?? '', input };
    this.message = { kind: 'ok', text: 'Saving…' };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
  };

  /** A field was left or a choice made: save now, and the next edit is a new undo step. */
  private readonly onChange = (e: Event): void => {
    const input = (e.target as HTMLInputElement).name;
    if (!input) return;
    if (this.pending?.input === input) this.flush();
    else this.autosave(input);
    this.edits.end();
  };

  /** Save what is pending now (before switching person, leaving, or after the pause). */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.autosave(pending.input, pending.id);
  }

  /** The model patch for one input of the form: that field only. */
  private patchOf(form: HTMLFormElement, input: string): PersonInput {
    const data = new FormData(form);
    const part = VETTING_PARTS.find((v) => input === `status-${v}` || input === `note-${v}`);
    if (part) return { vetting: { [part]: this.vettingOf(data, part) } };
    const v = data.get(input);
    switch (input) {
      case 'emails':
      case 'phones':
      case 'links':
      case 'tags':
        return { [input]: list(v) };
      case 'notes':
        return { notes: String(v ?? '') };
      case 'cadence':
        return { cadenceDays: text(v) ? Number(text(v)) : null };
      case 'underGlass':
        return { underGlass: v === 'on' };
      default:
        return { [input]: text(v) };
    }
  }

  private vettingOf(data: FormData, part: VettingPart): VettingEntry {
    const status = (data.get(`status-${part}`) as VettingStatus | null) ?? 'unknown';
    const note = text(data.get(`note-${part}`));
    const vouchedBy = status === 'heard' ? (this.vouchedBy[part] ?? undefined) : undefined;
    return { status, ...(note ? { note } : {}), ...(vouchedBy ? { vouchedBy } : {}) };
  }

  /** Save one input of an existing person's form (one undo step per field edit). */
  private autosave(input: string, id = this.personId): void {
    const nb = this.person.nb;
    const form = this.renderRoot.querySelector('form');
    if (!nb || !id || !form) return;
    const patch = this.patchOf(form, input);
    const undoKey = input.startsWith('status-') ? `note-${input.slice(7)}` : input;
    try {
      if ('name' in patch && !patch.name) throw new VitrineError('A person needs a name.');
      this.edits.run(`${id}:${undoKey}`, () => updatePerson(nb, id, patch));
      if (this.fieldError?.input === input) this.fieldError = null;
      this.message = { kind: 'ok', text: 'Saved' };
    } catch (err) {
      // The sentence goes next to the field it is about; nothing was saved.
      const text = errorText(err);
      this.fieldError = { input, text };
      this.message = { kind: 'error', text: 'Not saved: fix the field marked above.' };
    }
  }

  override disconnectedCallback(): void {
    this.flush();
    super.disconnectedCallback();
  }

  private save(e: SubmitEvent): void {
    e.preventDefault();
    const nb = this.person.nb;
    if (!nb) return;
    if (this.personId) {
      // Enter in a field of an existing person: it is saved as typed; save it now.
      this.flush();
      return;
    }
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const cadence = text(data.get('cadence'));
    const vetting: Partial<Record<VettingPart, VettingEntry>> = {};
    for (const part of VETTING_PARTS) vetting[part] = this.vettingOf(data, part);
    const input: PersonInput = {
      name: text(data.get('name')),
      org: text(data.get('org')),
      role: text(data.get('role')),
      emails: list(data.get('emails')),
      phones: list(data.get('phones')),
      links: list(data.get('links')),
      tags: list(data.get('tags')),
      location: text(data.get('location')),
      howWeMet: text(data.get('howWeMet')),
      birthday: text(data.get('birthday')),
      notes: String(data.get('notes') ?? ''),
      underGlass: data.get('underGlass') === 'on',
      cadenceDays: cadence ? Number(cadence) : null,
      vetting,
    };
    this.fieldError = null;
    try {
      if (!input.name) throw new VitrineError('A person needs a name.');
      const id = addPerson(nb, input as PersonInput & { name: string }, { tieToOwner: true });
      this.select(id);
    } catch (err) {
      const marked = err instanceof ValidationError ? INPUT_OF[err.field] : undefined;
      if (marked && err instanceof ValidationError) {
        // The sentence goes next to the field it is about; nothing was saved.
        this.fieldError = { input: marked, text: err.message };
        this.message = { kind: 'error', text: 'Not saved: fix the field marked above.' };
        (form.querySelector(`#${marked}`) as HTMLInputElement | null)?.focus();
        return;
      }
      this.message = { kind: 'error', text: errorText(err) };
      if (!input.name) (form.querySelector('#name') as HTMLInputElement | null)?.focus();
    }
  }

  private trash(p: Person): void {
    const nb = this.person.nb;
    if (!nb) return;
    try {
      deletePerson(nb, p.id);
      announceRemoved(this, `Moved ${p.name} to the trash`);
      this.select(null);
    } catch (err) {
      this.message = { kind: 'error', text: errorText(err) };
    }
  }

  private select(id: string | null): void {
    emit(this, 'vt-select', { id });
  }

  /** Ask the app to start an introduction with this person first (the Introductions view). */
  private introduce(id: string): void {
    emit(this, 'vt-introduce', { id });
  }

  /** Put the keyboard in the name field (after "Add person"). */
  focusName(): void {
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('#name') as HTMLInputElement | null)?.focus(),
    );
  }

  /** Put the keyboard on the person's name heading (after Save, or opening them). */
  focusHeading(): void {
    void this.updateComplete.then(() => {
      const h = this.renderRoot.querySelector('h2');
      h?.setAttribute('tabindex', '-1');
      h?.focus();
    });
  }

  /** Open the touch form (the `t` shortcut). */
  logTouch(): void {
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector('vt-touch-timeline')?.openForm(),
    );
  }
}

customElements.define('vt-person-panel', VtPersonPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vt-person-panel': VtPersonPanel;
  }
}
