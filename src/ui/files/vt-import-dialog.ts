import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { states } from '../shell/component.ts';
import { ContextConsumer } from '@lit/context';
import type { ImportSummary } from '../../io/json.ts';
import type { ImportFormat, ImportPlan, ImportProgress } from '../../io/formats.ts';
import * as Comlink from 'comlink';
import type {
  ActivityImportPreview,
  ImportRequest,
  ImportService,
  PlanAnswer,
  PreparedBatch,
} from '../../app/import.worker.ts';
import type { ActivityFormat, ActivityImportResult } from '../../io/activity-import.ts';
import type { ActivityChoices } from '../../io/activity.ts';
import type { ActivityBatch, ImportedTouch } from '../../model/index.ts';
import { appContext } from '../controllers/app-context.ts';
import { settingsSectionStyles, sharedStyles } from '../shell/shared-styles.ts';
import { PERSON_LABELS, keepEventTitles, setKeepEventTitles } from '../../model/index.ts';

/**
 * The import formats as the picker names them. Typed by `ImportFormat`, so a format added
 * to `src/io` fails the type check here until it has a label. Kept local (not read from
 * `IMPORTERS`) so the settings panel does not load the parsers before they are needed.
 */
const FORMAT_LABELS: Record<ImportFormat, string> = {
  linkedin: 'LinkedIn (Connections.csv)',
  google: 'Google Contacts CSV',
  vcard: 'vCard (.vcf)',
  json: 'Vitrine JSON',
};

/** The activity formats as the picker names them (typed, as above). */
const ACTIVITY_LABELS: Record<ActivityFormat, string> = {
  calendar: 'Calendar (.ics)',
  'linkedin-archive': 'LinkedIn data export (.zip)',
  'linkedin-messages': 'LinkedIn messages or invitations (.csv)',
  mbox: 'Mailbox (.mbox)',
  eml: 'One e-mail (.eml)',
};

const ALL_LABELS: Record<ImportFormat | ActivityFormat, string> = {
  ...FORMAT_LABELS,
  ...ACTIVITY_LABELS,
};

/**
 * What the preview shows: a contacts plan, or an activity import's preview (its plan stays
 * in the import worker; it may carry the archive's contacts).
 */
export type AnyImportPlan = ImportPlan | ActivityImportPreview;

/** Is this the preview of a calendar, a LinkedIn archive / messages file or mail? */
export function isActivityPlan(p: AnyImportPlan): p is ActivityImportPreview {
  return 'activity' in p;
}

/** Touches fetched from the worker per message on Apply (each a short task to receive). */
const TOUCH_SLICE = 2000;

/** People shown per list in the preview; the rest are counted ("and 9,900 more"). */
const LIST_LIMIT = 100;

/** Each person field in words: the labels of the model's person description. */
const FIELD_LABELS: Readonly<Record<string, string>> = PERSON_LABELS;

const RULE_LABELS: Record<string, string> = {
  email: 'same email',
  link: 'same profile link',
  phone: 'same phone and first name',
  'name+org': 'same name and organisation',
  name: 'same name',
  owner: 'the file’s owner is you',
  id: 'same id',
};

/** A planning failure: `refused` when the file was turned down with a sentence for a person. */
class PlanError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}

/**
 * Plans one import at a time in a module Web Worker (bundled by Vite from
 * `import.worker.ts`), spoken to through Comlink. Where no worker can start, the same
 * {@link ImportService} runs on the main thread. `destroy()` ends the worker, which is also
 * how a planning run is cancelled.
 */
export class ImportPlanner {
  private worker: Worker | undefined;
  private service: Comlink.Remote<ImportService> | ImportService | undefined;
  private cancelCurrent: (() => void) | undefined;

  /** Plan `req`; rejects with a `PlanError` when the file is refused. */
  async plan(req: ImportRequest, onProgress: (p: ImportProgress) => void): Promise<AnyImportPlan> {
    // The worker is busy with an older file: end it rather than queue behind it.
    if (this.cancelCurrent) this.destroy();
    if (!this.service) {
      try {
        // Written literally so Vite sees it and bundles the worker with its imports.
        this.worker = new Worker(new URL('../../app/import.worker.ts', import.meta.url), {
          type: 'module',
        });
        this.service = Comlink.wrap<ImportService>(this.worker);
      } catch {
        this.service = await this.inline();
      }
    }
    const service = this.service;
    const worker = this.worker;
    const answer = await new Promise<PlanAnswer>((resolve, reject) => {
      const onError = (e: ErrorEvent) => {
        // A worker that cannot load (a CSP without worker-src, say) must not leave the
        // owner without imports: plan this file on the main thread instead.
        e.preventDefault();
        done();
        this.destroy();
        void this.inline().then((s) => {
          this.service = s;
          return s.plan(req, onProgress).then(resolve, reject);
        });
      };
      const done = () => {
        worker?.removeEventListener('error', onError);
        this.cancelCurrent = undefined;
      };
      this.cancelCurrent = () => {
        done();
        reject(new PlanError('Cancelled.', false));
      };
      worker?.addEventListener('error', onError);
      const progress = worker ? Comlink.proxy(onProgress) : onProgress;
      void Promise.resolve(service.plan(req, progress)).then(
        (a) => {
          done();
          resolve(a);
        },
        (err: unknown) => {
          done();
          reject(err);
        },
      );
    });
    if (answer.type === 'error') throw new PlanError(answer.message, answer.refused);
    return answer.type === 'plan' ? answer.plan : answer.preview;
  }

  private async inline(): Promise<ImportService> {
    const { ImportService } = await import('../../app/import.worker.ts');
    return new ImportService();
  }

  private get ready(): Comlink.Remote<ImportService> | ImportService {
    if (!this.service) throw new Error('Nothing is planned.');
    return this.service;
  }

  /** The activity preview again for the owner's choices. */
  async preview(choices: ActivityChoices): Promise<ActivityImportPreview> {
    return this.ready.preview(choices);
  }

  /**
   * The batch to apply for the owner's choices, its touches fetched in slices so that no
   * single message takes long to receive.
   */
  async batch(choices: ActivityChoices): Promise<PreparedBatch & { batch: ActivityBatch }> {
    const service = this.ready;
    const head = await service.prepare(choices);
    const touches: ImportedTouch[] = [];
    for (let from = 0; from < head.touches; from += TOUCH_SLICE) {
      for (const t of await service.touches(from, TOUCH_SLICE)) touches.push(t);
    }
    return { ...head, batch: { ...head.batch, touches } };
  }

  /** Stop any planning run and end the worker. */
  destroy(): void {
    this.cancelCurrent?.();
    if (this.service && this.worker)
      (this.service as Comlink.Remote<ImportService>)[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = undefined;
    this.service = undefined;
  }
}

type Step =
  | { kind: 'closed' }
  | { kind: 'planning'; progress?: ImportProgress }
  | { kind: 'preview'; plan: AnyImportPlan }
  | { kind: 'refused'; message: string }
  | { kind: 'applying'; plan: AnyImportPlan };

function fraction(p: ImportProgress | undefined): number {
  if (!p || p.total <= 0) return 0;
  // Reading (characters) is the first half of the bar, matching (rows) the second.
  const f = Math.min(1, p.done / p.total);
  return p.phase === 'read' ? f / 2 : 0.5 + f / 2;
}

const count = (n: number) => n.toLocaleString('en');

function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** Does applying this plan change the notebook at all? */
function changesSomething(plan: AnyImportPlan): boolean {
  if (isActivityPlan(plan)) {
    const a = plan.activity;
    return (
      (plan.contacts ? changesSomething(plan.contacts) : false) ||
      a.touches + a.totals.ties + a.nextMeetings + a.totals.candidates > 0 ||
      a.invitations
    );
  }
  if (plan.json) {
    const j = plan.json;
    return (
      plan.added.length + plan.merged.length > 0 ||
      j.ties.length + j.touches.length + j.intros.length > 0
    );
  }
  return plan.added.length + plan.merged.length + plan.ties.length > 0;
}

function describe(s: ImportSummary, file: string): string {
  const parts = [`${count(s.added)} new`, `${count(s.merged)} merged`];
  if (s.unchanged) parts.push(`${count(s.unchanged)} unchanged`);
  parts.push(plural(s.ties, 'tie'));
  if (s.touches) parts.push(plural(s.touches, 'touch', 'touches'));
  if (s.intros) parts.push(plural(s.intros, 'introduction'));
  if (s.skipped.length) parts.push(`${count(s.skipped.length)} skipped`);
  return `Imported ${file}: ${parts.join(', ')}. Undo (Ctrl+Z) takes the whole import back.`;
}

function describeActivity(r: ActivityImportResult, file: string): string {
  const a = r.activity;
  const parts: string[] = [];
  if (r.contacts) parts.push(`${count(r.contacts.added)} new from Connections.csv`);
  if (a.people) parts.push(`${plural(a.people, 'person', 'people')} added`);
  parts.push(plural(a.touches, 'touch', 'touches'));
  parts.push(`${plural(a.tiesInferred, 'tie')} inferred`);
  if (a.nextMeetings) parts.push(plural(a.nextMeetings, 'next meeting'));
  return `Imported ${file}: ${parts.join(', ')}. Undo (Ctrl+Z) takes the whole import back.`;
}

/**
 * Resolves once what was rendered has been painted (a frame, then a task after it). A hidden
 * tab gets no frames, so a timeout stands in: the import must not wait for the tab's return.
 */
const afterPaint = () =>
  new Promise<void>((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 250);
  });

/**
 * "Import contacts…": picks a file (LinkedIn `Connections.csv`, Google Contacts CSV, vCard,
 * Vitrine JSON), plans the import in a Web Worker with a progress bar, and shows a preview
 * (new people, merged people with what changes, unchanged, skipped rows with their line and
 * reason). "Import" applies the plan as one transaction, so one Undo takes it all back;
 * "Cancel" writes nothing. A refused file shows why, and nothing is written either.
 *
 * Renders its own Settings section (heading, explanation, button) and a modal `<dialog>`.
 *
 * @fires vt-imported - after an import was applied; `detail` is `{ file, summary }` (contacts)
 *   or `{ file, activity }` (a calendar or LinkedIn activity).
 * @fires vt-suggest-owner - `detail: { address }`, a calendar's most frequent organizer, when
 *   the owner's own addresses are not known yet.
 */
export class VtImportDialog extends LitElement {
  static override properties = states(
    'step',
    'format',
    'status',
    'add',
    'keepTitles',
    'useSuggestedMe',
  );

  step: Step = { kind: 'closed' };
  /** The format the owner chose, or `auto` to detect it from the file. */
  format: ImportFormat | ActivityFormat | 'auto' = 'auto';
  /** Candidate keys of an activity preview ticked "add as people" (none by default). */
  add: ReadonlySet<string> = new Set();
  /** Keep calendar event titles as the touches' notes (off unless the notebook keeps them). */
  keepTitles = false;
  /** Plan with the suggested organizer address as the owner's own. */
  useSuggestedMe = false;
  private suggestedMe: string | undefined;
  /** The outcome of the last import, shown under the button. */
  status = '';
  /**
   * The chosen file and its first 64 kB (to tell whether the notebook's activity snapshot
   * must go with it). The worker reads the file itself: its bytes are not copied here.
   */
  private file: { name: string; head: Uint8Array; blob: Blob } | undefined;
  private planner: ImportPlanner | undefined;
  private readonly services = new ContextConsumer(this, { context: appContext, subscribe: true });

  static override styles = [
    sharedStyles,
    settingsSectionStyles,
    css`
      :host {
        display: block;
      }
      dialog {
        width: min(40rem, calc(100vw - 2 * var(--vt-space-3)));
        max-height: calc(100dvh - 2 * var(--vt-space-4));
        padding: 0;
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        background: var(--vt-surface);
        color: var(--vt-text);
        box-shadow: var(--vt-shadow);
      }
      dialog[open] {
        display: flex;
        flex-direction: column;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      .head,
      .foot {
        padding: var(--vt-space-3) var(--vt-space-4);
      }
      .head {
        border-bottom: 1px solid var(--vt-border);
      }
      .body {
        padding: var(--vt-space-3) var(--vt-space-4);
        overflow: auto;
        min-height: 0;
      }
      .foot {
        display: flex;
        justify-content: flex-end;
        gap: var(--vt-space-2);
        border-top: 1px solid var(--vt-border);
      }
      .file {
        font-family: var(--vt-font-mono);
        font-size: var(--vt-text-sm);
        word-break: break-all;
      }
      .format {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vt-space-2);
        margin-top: var(--vt-space-2);
      }
      .format label {
        white-space: nowrap;
      }
      .format select {
        width: auto;
        max-width: 100%;
        min-width: 0;
      }
      progress {
        width: 100%;
        height: 0.75rem;
        accent-color: var(--vt-accent);
      }
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-2);
        list-style: none;
        margin: 0 0 var(--vt-space-3);
        padding: 0;
      }
      .counts li {
        padding: 2px 10px;
        border-radius: 999px;
        background: var(--vt-surface-2);
        font-size: var(--vt-text-sm);
      }
      .counts strong {
        font-variant-numeric: tabular-nums;
      }
      details {
        border-top: 1px solid var(--vt-border);
        padding: var(--vt-space-2) 0;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      details ul {
        margin: var(--vt-space-2) 0 0;
        padding-left: var(--vt-space-4);
        font-size: var(--vt-text-sm);
      }
      details li {
        margin: 2px 0;
      }
      .changes {
        list-style: '– ';
        color: var(--vt-text-muted);
      }
      .ref {
        color: var(--vt-text-muted);
        font-variant-numeric: tabular-nums;
      }
      .error {
        color: var(--vt-danger);
      }
      .note {
        color: var(--vt-text-muted);
        font-size: var(--vt-text-sm);
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.planner?.destroy();
    this.planner = undefined;
  }

  override render() {
    const nb = this.services.value?.nb;
    if (!nb) return nothing;
    return html`<section aria-labelledby="import-h">
        <h3 id="import-h">Import contacts</h3>
        <p class="small muted">
          Bring people in from LinkedIn (<code>Connections.csv</code>), Google Contacts (CSV), a
          vCard file (<code>.vcf</code>) or Vitrine JSON. You see what would change before anything
          is written; people already here are merged, not duplicated.
        </p>
        <p class="small muted">
          Activity too: a calendar (<code>.ics</code>), a mailbox (<code>.mbox</code>,
          <code>.eml</code>; only headers are read, bulk mail left out), LinkedIn’s data export
          (<code>.zip</code>) or its <code>messages.csv</code> / <code>Invitations.csv</code> become
          touches with the people you met, and ties between people who meet together. Nothing leaves
          this device.
        </p>
        <div class="row">
          <button ?disabled=${!!nb.readOnlyReason} @click=${this.chooseFile}>
            Import contacts…
          </button>
          <input
            id="import-file"
            type="file"
            aria-label="Contacts file to import"
            accept=".csv,.tsv,.txt,.vcf,.vcard,.json,.ics,.ical,.zip,.mbox,.mbx,.eml,text/csv,text/vcard,text/x-vcard,text/calendar,application/json,application/zip,application/mbox,message/rfc822"
            hidden
            @change=${this.onFile}
          />
        </div>
        ${
          this.status
            ? html`<p role="status" class="small" data-testid="import-summary">${this.status}</p>`
            : nothing
        }
      </section>
      <dialog
        aria-labelledby="import-title"
        @cancel=${this.onEscape}
        @close=${() => this.close()}
        @keydown=${(e: KeyboardEvent) => {
          // The app's shortcuts (Ctrl+Z, "t", "/") act on what is behind the dialog.
          e.stopPropagation();
        }}
      >
        ${this.step.kind === 'closed' ? nothing : this.renderDialog()}
      </dialog>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog) return;
    if (this.step.kind !== 'closed' && !dialog.open) dialog.showModal();
    else if (this.step.kind === 'closed' && dialog.open) dialog.close();
  }

  private renderDialog() {
    const step = this.step;
    const plan = step.kind === 'preview' || step.kind === 'applying' ? step.plan : undefined;
    const busy = step.kind === 'planning' || step.kind === 'applying';
    return html`<div class="head">
        <h2 id="import-title">Import contacts</h2>
        <div class="file">${this.file?.name}</div>
        <div class="format">
          <label for="import-format">Read as</label>
          <select
            id="import-format"
            ?disabled=${busy}
            .value=${this.format === 'auto' && plan ? plan.format : this.format}
            @change=${(e: Event) => {
              this.format = (e.target as HTMLSelectElement).value as
                ImportFormat | ActivityFormat | 'auto';
              void this.plan();
            }}
          >
            <option value="auto" ?selected=${this.format === 'auto' && !plan}>
              Detect automatically
            </option>
            ${(Object.keys(ALL_LABELS) as (ImportFormat | ActivityFormat)[]).map(
              (f) =>
                html`<option
                  value=${f}
                  ?selected=${(this.format === 'auto' && plan ? plan.format : this.format) === f}
                >
                  ${ALL_LABELS[f]}
                </option>`,
            )}
          </select>
          ${
            this.format === 'auto' && plan
              ? html`<span class="note">detected from the content</span>`
              : nothing
          }
        </div>
      </div>
      <div class="body">${this.renderBody()}</div>
      <div class="foot">${this.renderButtons()}</div>`;
  }

  private renderBody() {
    const step = this.step;
    switch (step.kind) {
      case 'planning': {
        const f = fraction(step.progress);
        const what = step.progress?.phase === 'match' ? 'Matching people' : 'Reading the file';
        return html`<p id="import-progress-label">${what}… ${Math.round(f * 100)}%</p>
          <progress aria-labelledby="import-progress-label" max="1" .value=${f}></progress>`;
      }
      case 'refused':
        return html`<p role="alert" class="error" data-testid="import-error">${step.message}</p>
          ${
            /nothing was imported/i.test(step.message)
              ? nothing
              : html`<p class="note">Nothing was imported.</p>`
          }`;
      case 'preview':
      case 'applying':
        return this.renderPreview(step.plan, step.kind === 'applying');
      case 'closed':
        return nothing;
    }
  }

  private renderPreview(plan: AnyImportPlan, applying: boolean) {
    if (isActivityPlan(plan)) return this.renderActivityPreview(plan, applying);
    const json = plan.json;
    const ties = json ? json.ties.length : plan.ties.filter((t) => !t.existingId).length;
    return html`<ul class="counts" data-testid="import-counts" aria-label="What importing does">
        <li><strong>${count(plan.added.length)}</strong> new</li>
        <li><strong>${count(plan.merged.length)}</strong> merged</li>
        <li><strong>${count(plan.unchanged.length)}</strong> unchanged</li>
        <li><strong>${count(plan.skipped.length)}</strong> skipped</li>
        <li><strong>${count(ties)}</strong> ${ties === 1 ? 'tie' : 'ties'}</li>
        ${
          json
            ? html`<li><strong>${count(json.touches.length)}</strong> touches</li>
                <li><strong>${count(json.intros.length)}</strong> introductions</li>`
            : nothing
        }
      </ul>
      ${
        applying
          ? html`<p role="status">Importing…</p>`
          : changesSomething(plan)
            ? nothing
            : html`<p role="status" class="note">
                Nothing new in this file: everyone in it is already in your notebook.
              </p>`
      }
      ${this.renderList(
        'New people',
        plan.added,
        (a) =>
          html`${a.person.name}${
            a.person.org || a.person.role
              ? html` <span class="muted"
                  >· ${[a.person.role, a.person.org].filter(Boolean).join(', ')}</span
                >`
              : nothing
          }`,
        true,
      )}
      ${this.renderList(
        'Merged into people already here',
        plan.merged,
        (m) =>
          html`${m.name} <span class="muted">(${RULE_LABELS[m.rule] ?? m.rule})</span>
            <ul class="changes">
              ${m.changes.map(
                (c) =>
                  html`<li>
                    ${FIELD_LABELS[c.field] ?? c.field}:
                    ${c.before ? html`“${c.before}” → ` : 'adds '}“${c.after}”
                  </li>`,
              )}
            </ul>`,
        true,
      )}
      ${this.renderList(
        'Rows taken for the same person',
        plan.inFile,
        (m) =>
          html`<span class="ref">${m.ref}</span> = <span class="ref">${m.intoRef}</span>: ${m.name}
            <span class="muted">(${RULE_LABELS[m.rule] ?? m.rule})</span>`,
        true,
      )}
      ${this.renderList(
        'Already here, unchanged',
        plan.unchanged,
        (u) => html`${u.name} <span class="muted">(${RULE_LABELS[u.rule] ?? u.rule})</span>`,
        false,
      )}
      ${this.renderList(
        'Skipped',
        plan.skipped,
        (s) => html`<span class="ref">${s.ref}:</span> ${s.reason}`,
        true,
      )}
      ${this.renderList(
        'Notes',
        plan.warnings,
        (w) => html`<span class="ref">${w.ref}:</span> ${w.reason}`,
        false,
      )}`;
  }

  private renderActivityPreview(plan: ActivityImportPreview, applying: boolean) {
    const a = plan.activity;
    const c = plan.contacts;
    const others = a.unmatchedOthers;
    return html`${
        c
          ? html`<p class="note">
              Connections.csv: ${plural(c.added.length, 'new person', 'new people')},
              ${count(c.merged.length)} merged, ${count(c.unchanged.length)} unchanged.
            </p>`
          : nothing
      }
      <ul class="counts" data-testid="import-counts" aria-label="What importing does">
        <li><strong>${count(a.touches)}</strong> new ${a.touches === 1 ? 'touch' : 'touches'}</li>
        <li><strong>${count(a.totals.matched)}</strong> people matched</li>
        <li>
          <strong>${count(a.totals.ties)}</strong> ${a.totals.ties === 1 ? 'tie' : 'ties'} inferred
        </li>
        <li><strong>${count(a.nextMeetings)}</strong> next meetings</li>
        ${a.known ? html`<li><strong>${count(a.known)}</strong> already imported</li>` : nothing}
        ${
          plan.mail
            ? html`<li>
                <strong>${count(plan.mail.counted)}</strong> of ${count(plan.mail.messages)}
                messages counted
              </li>`
            : html`<li><strong>${count(a.totals.warnings)}</strong> skipped</li>`
        }
      </ul>
      ${
        applying
          ? html`<p role="status">Importing…</p>`
          : changesSomething(plan)
            ? nothing
            : html`<p role="status" class="note">
                Nothing new in this file: its activity is already in your notebook.
              </p>`
      }
      ${
        this.suggestedMe
          ? html`<p class="note" data-testid="suggested-me">
              ${this.replanBox(
                this.useSuggestedMe,
                applying,
                (on) => (this.useSuggestedMe = on),
                html`<span class="file">${this.suggestedMe}</span> is my address`,
              )}
              — ${plan.mail ? 'it is in the most messages' : 'it organised the most events'}. Your
              own addresses are never matched as a contact (Settings, “Your own addresses”).
            </p>`
          : nothing
      }
      ${
        a.meetings
          ? html`<p class="note">
              ${this.replanBox(
                this.keepTitles,
                applying,
                (on) => (this.keepTitles = on),
                'Keep event titles',
              )}
              as the touches’ notes (off: only the date and who was there are kept).
            </p>`
          : nothing
      }
      ${this.renderList(
        'New touches per person',
        a.matched,
        (m) =>
          html`${m.name} <span class="muted">· ${plural(m.touches, 'touch', 'touches')}</span>`,
        true,
        a.totals.matched,
      )}
      ${this.renderList(
        'Ties inferred',
        a.ties,
        (t) =>
          html`${t.aName} — ${t.bName}
            <span class="muted"
              >·
              ${t.meetings ? plural(t.meetings, 'meeting') : ''}${
                t.meetings && t.conversations ? ', ' : ''
              }${t.conversations ? plural(t.conversations, 'conversation') : ''},
              last ${t.last.slice(0, 10)}</span
            >`,
        true,
        a.totals.ties,
      )}
      ${
        a.totals.candidates || others.people
          ? html`<details open data-testid="import-candidates">
              <summary>
                Not in your notebook (${count(a.totals.candidates + others.people)})
              </summary>
              <ul>
                ${a.candidates.slice(0, LIST_LIMIT).map(
                  (k) =>
                    html`<li>
                      <label
                        ><input
                          type="checkbox"
                          .checked=${this.add.has(k.key)}
                          ?disabled=${applying}
                          @change=${(e: Event) => {
                            const next = new Set(this.add);
                            if ((e.target as HTMLInputElement).checked) next.add(k.key);
                            else next.delete(k.key);
                            this.add = next;
                            void this.refreshPreview();
                          }}
                        />
                        Add ${k.name} as a person</label
                      >
                      <span class="muted"
                        >· ${k.email ?? k.url ?? ''} · ${plural(k.count, 'time')}, last
                        ${k.last.slice(0, 10)}</span
                      >
                    </li>`,
                )}
                ${
                  a.totals.candidates > LIST_LIMIT
                    ? html`<li class="muted">
                        … and ${count(a.totals.candidates - LIST_LIMIT)} more seen as often
                      </li>`
                    : nothing
                }
                ${
                  others.people
                    ? html`<li class="muted">
                        ${plural(others.people, 'other participant')} seen less often
                        (${plural(others.occurrences, 'occurrence')}), not added.
                      </li>`
                    : nothing
                }
              </ul>
            </details>`
          : nothing
      }
      ${c ? this.renderList('New people from Connections.csv', c.added, (x) => x.person.name, false) : nothing}
      ${
        plan.mail
          ? this.renderList(
              'Messages left out',
              plan.mail.skipped,
              (s) =>
                html`${plural(s.count, 'message')}: ${s.text}
                  <span class="muted">(first: ${s.first})</span>`,
              false,
            )
          : nothing
      }
      ${this.renderList(
        'Skipped',
        a.warnings,
        (w) => html`<span class="ref">${w.ref}:</span> ${w.reason}`,
        false,
        a.totals.warnings,
      )}`;
  }

  /** A checkbox for a choice the plan depends on: changing it plans the file again. */
  private replanBox(
    checked: boolean,
    applying: boolean,
    set: (on: boolean) => void,
    label: unknown,
  ) {
    return html`<label
      ><input
        type="checkbox"
        .checked=${checked}
        ?disabled=${applying}
        @change=${(e: Event) => {
          set((e.target as HTMLInputElement).checked);
          void this.plan();
        }}
      />
      ${label}</label
    >`;
  }

  private renderList<T>(
    title: string,
    items: readonly T[],
    item: (t: T) => unknown,
    open: boolean,
    /** The full list's length, when `items` is its first part (an activity preview's). */
    total = items.length,
  ) {
    if (!total) return nothing;
    const shown = items.slice(0, LIST_LIMIT);
    return html`<details ?open=${open}>
      <summary>${title} (${count(total)})</summary>
      <ul>
        ${shown.map((t) => html`<li>${item(t)}</li>`)}
        ${
          total > shown.length
            ? html`<li class="muted">… and ${count(total - shown.length)} more</li>`
            : nothing
        }
      </ul>
    </details>`;
  }

  private renderButtons() {
    const step = this.step;
    switch (step.kind) {
      case 'planning':
        return html`<button @click=${() => this.close()}>Cancel</button>`;
      case 'refused':
        return html`<button @click=${this.chooseFile}>Choose another file…</button>
          <button class="primary" @click=${() => this.close()}>Close</button>`;
      case 'preview':
        return changesSomething(step.plan)
          ? html`<button @click=${() => this.close()}>Cancel</button>
              <button class="primary" @click=${() => this.apply(step.plan)}>Import</button>`
          : html`<button class="primary" @click=${() => this.close()}>Close</button>`;
      case 'applying':
        return html`<button disabled>Cancel</button>
          <button class="primary" disabled>Importing…</button>`;
      case 'closed':
        return nothing;
    }
  }

  private chooseFile(): void {
    (this.renderRoot.querySelector('#import-file') as HTMLInputElement).click();
    // Load the import code while the owner is still choosing a file, so that its start-up
    // cost does not land in the middle of planning.
    void import('../../io/plan.ts');
  }

  private async onFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again (after an edit, say) fires `change`.
    input.value = '';
    if (!file) return;
    // The worker reads (or, for mail, streams) the file: only its head is read here.
    const head = new Uint8Array(await file.slice(0, 65536).arrayBuffer());
    this.file = { name: file.name, head, blob: file };
    this.format = 'auto';
    this.status = '';
    this.add = new Set();
    this.useSuggestedMe = false;
    this.suggestedMe = undefined;
    this.keepTitles = this.services.value ? keepEventTitles(this.services.value.nb) : false;
    await this.plan();
  }

  private async plan(): Promise<void> {
    const nb = this.services.value?.nb;
    const file = this.file;
    if (!nb || !file) return;
    this.step = { kind: 'planning' };
    const planner = (this.planner ??= new ImportPlanner());
    const { existingPeople } = await import('../../io/plan.ts');
    const { detectActivityFormat, activityImportSnapshot, ACTIVITY_FORMATS } =
      await import('../../io/activity-import.ts');
    const format = this.format;
    // Detection reads the first 64 kB: cheap here. The notebook's snapshot is taken only
    // for a file of activity, and sent to the worker as plain data.
    const activityFormat =
      format === 'auto'
        ? detectActivityFormat(file.head, file.name)
        : (ACTIVITY_FORMATS as readonly string[]).includes(format)
          ? format
          : undefined;
    let extra: Pick<ImportRequest, 'existing' | 'activity' | 'me'>;
    if (activityFormat) {
      const snap = activityImportSnapshot(nb);
      const me = this.useSuggestedMe && this.suggestedMe ? [this.suggestedMe] : [];
      extra = {
        existing: snap.people,
        activity: { ...snap, activity: { ...snap.activity, keepTitles: this.keepTitles } },
        me,
      };
    } else {
      extra = { existing: existingPeople(nb) };
    }
    try {
      const plan = await planner.plan(
        {
          file: file.blob,
          name: file.name,
          ...extra,
          ...(format === 'auto' ? {} : { format }),
        },
        (progress) => {
          if (this.step.kind === 'planning') this.step = { kind: 'planning', progress };
        },
      );
      if (this.file === file && this.step.kind === 'planning') {
        // Remembered so that ticking "is my address" (which re-plans) keeps the offer shown.
        if (isActivityPlan(plan) && plan.activity.suggestedMe) {
          this.suggestedMe = plan.activity.suggestedMe;
          // Settings offers it under "Your own addresses" too.
          this.dispatchEvent(
            new CustomEvent('vt-suggest-owner', {
              detail: { address: plan.activity.suggestedMe },
              bubbles: true,
              composed: true,
            }),
          );
        }
        this.step = { kind: 'preview', plan };
      }
    } catch (err) {
      if (this.file !== file || this.step.kind !== 'planning') return;
      if (err instanceof PlanError && !err.refused && err.message === 'Cancelled.') return;
      this.step = { kind: 'refused', message: err instanceof Error ? err.message : String(err) };
      // A bug (not a refusal) should still reach the console and the tests.
      if (!(err instanceof PlanError && err.refused)) console.error(err);
    }
  }

  private async apply(plan: AnyImportPlan): Promise<void> {
    const s = this.services.value;
    if (!s) return;
    this.step = { kind: 'applying', plan };
    // Let "Importing…" paint: the transaction below holds the main thread until it ends.
    await this.updateComplete;
    await afterPaint();
    if (isActivityPlan(plan)) return this.applyActivity(plan);
    const { applyImport } = await import('../../io/plan.ts');
    const file = plan.file;
    try {
      const summary = applyImport(s.nb, plan);
      this.status = describe(summary, file);
      this.close(true);
      this.dispatchEvent(
        new CustomEvent('vt-imported', {
          detail: { file, summary },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      // `applyImport` checks everything before its one transaction, so nothing was written.
      this.step = { kind: 'refused', message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Ask the worker for the preview again after a change of who is added (their ties). */
  private async refreshPreview(): Promise<void> {
    const step = this.step;
    const planner = this.planner;
    if (step.kind !== 'preview' || !isActivityPlan(step.plan) || !planner) return;
    const add = this.add;
    const preview = await planner.preview({ add: [...add] });
    // Only if nothing changed meanwhile (another tick, a re-plan, Apply, Close).
    if (this.step === step && this.add === add) this.step = { kind: 'preview', plan: preview };
  }

  private async applyActivity(plan: ActivityImportPreview): Promise<void> {
    const s = this.services.value;
    const planner = this.planner;
    if (!s || !planner) return;
    const { applyActivityBatch } = await import('../../io/activity-import.ts');
    const nb = s.nb;
    const file = plan.file;
    try {
      const { batch, contacts } = await planner.batch({ add: [...this.add] });
      // One transaction, so one Undo takes the import and the titles choice back together.
      const result = nb.write(() => {
        const done = applyActivityBatch(nb, batch, contacts);
        if (keepEventTitles(nb) !== this.keepTitles) setKeepEventTitles(nb, this.keepTitles);
        return done;
      });
      this.status = describeActivity(result, file);
      this.close(true);
      this.dispatchEvent(
        new CustomEvent('vt-imported', {
          detail: { file, activity: result },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      this.step = { kind: 'refused', message: err instanceof Error ? err.message : String(err) };
    }
  }

  private onEscape(e: Event): void {
    // Escape cancels, except while the import is being written (it cannot be stopped).
    if (this.step.kind === 'applying') e.preventDefault();
  }

  /**
   * Close the dialog; a planning run still going is cancelled and nothing is written.
   * While an import is being written only `force` (the end of that write) closes it.
   */
  close(force = false): void {
    if (this.step.kind === 'applying' && !force) return;
    if (this.step.kind === 'planning') {
      // Ending the worker is the only way to stop `planImport` mid-file.
      this.planner?.destroy();
      this.planner = undefined;
    }
    this.step = { kind: 'closed' };
    this.file = undefined;
  }
}

customElements.define('vt-import-dialog', VtImportDialog);

declare global {
  interface HTMLElementTagNameMap {
    'vt-import-dialog': VtImportDialog;
  }
}
