import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import {
  TODAY_KINDS,
  dismissTodayItem,
  getPerson,
  logTouch,
  parseTodayKey,
  snoozeEnd,
  snoozeTodayItem,
  type Notebook,
  type TodayItem,
  type TodayKind,
} from '../../model/index.ts';
import { formatDay, parseDay } from '../../time/dates.ts';
import { appContext, type AppServices } from '../controllers/app-context.ts';
import { downloadBytes } from '../shell/download.ts';
import { todayFeed, type TodayFeed } from '../../app/reminders.ts';
import { remindersIcs } from '../../app/reminders-ics.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { dueItemStyles, whoButton } from './due-item.ts';
import './vt-today-cadences.ts';
import './vt-today-digest.ts';

/** Each kind's heading, in the model's order. */
export const KIND_HEADINGS: Record<TodayKind, string> = {
  overdue: 'Overdue for a touch',
  waiting: 'Waiting for an answer',
  'follow-up': 'Follow-ups due',
  outcome: 'Outcomes to record',
  birthday: 'Birthdays this week',
  meeting: 'Meetings with a cooling tie',
};

/** Items shown per kind before "Show more". */
const PAGE = 10;

/**
 * Items drawn in the first frame after Today opens (about a screenful); the rest follow in
 * a task of their own, so opening Today is never one long task.
 */
const FIRST_SCREEN = 6;

const SHORT_DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

/** "9 Dec" for an ISO date. */
function shortDay(iso: string): string {
  const t = parseDay(iso.slice(0, 10));
  return t === undefined ? iso : SHORT_DAY.format(t);
}

/** The people a "Log touch" on an item is with: an unanswered ask's asked person, else all. */
function touchPeople(item: TodayItem): readonly string[] {
  if (item.kind === 'waiting') {
    const asked = parseTodayKey(item.key)?.occurrence.startsWith('asked-b') ? 1 : 0;
    return [item.personIds[asked] ?? item.personIds[0]!];
  }
  return item.personIds;
}

function isTyping(e: KeyboardEvent): boolean {
  const el = e.composedPath()[0];
  return (
    el instanceof HTMLInputElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement ||
    (el instanceof HTMLElement && el.isContentEditable)
  );
}

/**
 * Today, the app's home: what needs the owner now (src/model/today.ts), grouped by kind in
 * the model's order, each item with its reason in words and three actions: Log touch (or
 * the `L` key on the focused item), Snooze (a week, a month, until a date) and Dismiss.
 * Snoozes and dismissals are model commands: they live in the notebook (every tab and
 * device agrees) and Undo takes them back. After an action the keyboard moves to the next
 * item. Also: the calendar file download, suggested cadences and the daily digest.
 *
 * @fires vt-select - `detail: { id }` when a person's name is clicked.
 */
export class VtToday extends LitElement {
  static override properties = {
    snoozing: { state: true },
    status: { state: true },
    error: { state: true },
    shown: { state: true },
    cadencesOpen: { state: true },
    digestOpen: { state: true },
  };

  /** "Daily digest" is open. */
  digestOpen = false;

  /** "Suggested cadences" is open (they are computed only then). */
  cadencesOpen = false;

  /** The key of the item whose snooze choices are open. */
  snoozing: string | undefined;
  status = '';
  error = '';
  /** Items shown per kind (grows with "Show more"). */
  shown: Partial<Record<TodayKind, number>> = {};
  /** Only the first screenful is drawn (just opened); the rest follows. */
  private firstScreen = true;
  private rest: ReturnType<typeof setTimeout> | undefined;
  /** Items acted on here, hidden until the feed drops them (it does within a moment). */
  private actedOn = new Set<string>();
  /** After an action: the position in the list whose item gets the keyboard. */
  private focusAt: number | undefined;
  private feed: TodayFeed | undefined;
  private readonly onFeed = () => this.requestUpdate();
  private readonly services = new ContextConsumer(this, {
    context: appContext,
    subscribe: true,
    callback: (s) => this.attach(s),
  });

  static override styles = [
    sharedStyles,
    dueItemStyles,
    css`
      :host {
        display: block;
        padding: var(--vt-space-4) var(--vt-space-4) var(--vt-space-5);
        max-width: 44rem;
      }
      .top {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        flex-wrap: wrap;
        gap: var(--vt-space-2);
      }
      .lede {
        margin: var(--vt-space-1) 0 var(--vt-space-3);
      }
      section {
        margin-top: var(--vt-space-4);
      }
      h3 {
        font-size: var(--vt-text-sm);
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--vt-text-muted);
        font-weight: 600;
      }
      h3 .n {
        font-weight: 400;
      }
      ul {
        list-style: none;
        margin: var(--vt-space-2) 0 0;
        padding: 0;
      }
      li {
        padding: var(--vt-space-3);
        margin: 0 calc(-1 * var(--vt-space-3));
        border-radius: var(--vt-radius-sm);
        border-bottom: 1px solid var(--vt-border);
      }
      li:focus-visible,
      li:focus-within {
        background: var(--vt-surface-2);
      }
      li:focus-visible {
        outline-offset: -2px;
      }
      .names {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0 var(--vt-space-2);
      }
      .reason {
        margin: var(--vt-space-1) 0 var(--vt-space-2);
        line-height: 1.45;
      }
      .acts,
      .snooze {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-2);
        align-items: center;
      }
      .acts button {
        min-height: 2.5rem;
      }
      .acts button.quiet {
        color: var(--vt-text-muted);
      }
      .snooze {
        margin-top: var(--vt-space-2);
        padding: var(--vt-space-2);
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius-sm);
        background: var(--vt-surface);
      }
      .snooze input {
        width: auto;
      }
      .until {
        display: inline-flex;
        align-items: center;
        gap: var(--vt-space-1);
      }
      .empty {
        padding: var(--vt-space-4) 0;
      }
      .error {
        color: var(--vt-danger);
      }
      details {
        margin-top: var(--vt-space-5);
        border-top: 1px solid var(--vt-border);
        padding-top: var(--vt-space-3);
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        padding: var(--vt-space-1) 0;
      }
    `,
  ];

  private attach(s: AppServices | undefined): void {
    this.feed?.removeEventListener('change', this.onFeed);
    this.feed = s ? todayFeed(s) : undefined;
    this.feed?.addEventListener('change', this.onFeed);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.feed?.addEventListener('change', this.onFeed);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.feed?.removeEventListener('change', this.onFeed);
    clearTimeout(this.rest);
    this.rest = undefined;
    this.firstScreen = true;
  }

  /** The items listed, in order (the feed's, less what was just acted on). */
  private items(): TodayItem[] {
    const all = this.feed?.result?.items ?? [];
    if (this.actedOn.size) {
      const present = new Set(all.map((i) => i.key));
      for (const k of this.actedOn) if (!present.has(k)) this.actedOn.delete(k);
    }
    return all.filter((i) => !this.actedOn.has(i.key));
  }

  override render() {
    const nb = this.services.value?.nb;
    const result = this.feed?.result;
    if (!nb) return nothing;
    const items = this.items();
    const groups = TODAY_KINDS.map((kind) => ({
      kind,
      list: items.filter((i) => i.kind === kind),
    })).filter((g) => g.list.length);
    const later = result ? result.snoozed : 0;
    return html`<div class="top">
        <h2 id="today-h">Today</h2>
        <button @click=${() => this.downloadIcs(nb)} title="Check-ins and follow-ups, with alarms">
          Download calendar (.ics)
        </button>
      </div>
      <p class="lede small muted" data-testid="today-summary">
        ${
          !result
            ? 'Looking at your network…'
            : items.length
              ? `${items.length} ${items.length === 1 ? 'thing needs' : 'things need'} you${later ? `; ${later} snoozed` : ''}.`
              : `Nothing needs you today${later ? ` (${later} snoozed)` : ''}. Ties with a keep-in-touch cadence show up here before they go cold.`
        }
      </p>
      <p class="small" role="status">${this.status}</p>
      ${this.error ? html`<p class="error small" role="alert">${this.error}</p>` : nothing}
      <div @keydown=${this.onKey}>${this.renderGroups(nb, groups)}</div>
      <details @toggle=${(e: Event) => (this.cadencesOpen = (e.target as HTMLDetailsElement).open)}>
        <summary>Suggested cadences</summary>
        ${this.cadencesOpen ? html`<vt-today-cadences active></vt-today-cadences>` : nothing}
      </details>
      <details @toggle=${(e: Event) => (this.digestOpen = (e.target as HTMLDetailsElement).open)}>
        <summary>Daily digest</summary>
        ${this.digestOpen ? html`<vt-today-digest></vt-today-digest>` : nothing}
      </details>`;
  }

  /** The groups; just after opening, only as many items as fill the first screen. */
  private renderGroups(nb: Notebook, groups: { kind: TodayKind; list: TodayItem[] }[]) {
    let room = this.firstScreen ? FIRST_SCREEN : Infinity;
    return groups.map((g) => {
      const shown = this.shown[g.kind] ?? PAGE;
      const drawn = Math.min(shown, room);
      room -= drawn;
      return this.renderGroup(nb, g.kind, g.list, shown, drawn);
    });
  }

  private renderGroup(
    nb: Notebook,
    kind: TodayKind,
    list: TodayItem[],
    shown: number,
    drawn: number,
  ) {
    const id = `k-${kind}`;
    return html`<section aria-labelledby=${id}>
      <h3 id=${id}>${KIND_HEADINGS[kind]} <span class="n">· ${list.length}</span></h3>
      <ul aria-labelledby=${id}>
        ${list.slice(0, drawn).map((item) => this.renderItem(nb, item))}
      </ul>
      ${
        list.length > shown && drawn === shown
          ? html`<button
              class="quiet"
              @click=${() => (this.shown = { ...this.shown, [kind]: shown + PAGE * 3 })}
            >
              Show ${Math.min(PAGE * 3, list.length - shown)} more
            </button>`
          : nothing
      }
    </section>`;
  }

  private renderItem(nb: Notebook, item: TodayItem) {
    const names = item.personIds.map((id) => ({ id, name: getPerson(nb, id)?.name ?? id }));
    const n = item.neglect;
    // An overdue item's text repeats the name; the name is already its heading.
    const text = item.kind === 'overdue' && n ? n.reason : item.text;
    const label = names.map((p) => p.name).join(' and ');
    const open = this.snoozing === item.key;
    return html`<li tabindex="0" data-key=${item.key} aria-label=${`${label}: ${text}`}>
      <div class="names">${names.map((p) => whoButton(this, p.id, p.name))}</div>
      <p class="reason small">${text}</p>
      <div class="acts">
        <button
          aria-label=${`Log touch with ${label}`}
          aria-keyshortcuts="L"
          title="Log a touch today (L)"
          @click=${() => this.touch(nb, item)}
        >
          Log touch
        </button>
        <button
          class="quiet"
          aria-label=${`Snooze ${label}`}
          aria-expanded=${open ? 'true' : 'false'}
          data-snooze
          @click=${() => this.toggleSnooze(item.key)}
        >
          Snooze…
        </button>
        <button
          class="quiet"
          aria-label=${`Dismiss ${label}`}
          @click=${() => this.dismiss(nb, item, label)}
        >
          Dismiss
        </button>
      </div>
      ${open ? this.renderSnooze(nb, item, label) : nothing}
    </li>`;
  }

  private renderSnooze(nb: Notebook, item: TodayItem, label: string) {
    const now = nb.now();
    const week = snoozeEnd(now, 'week');
    const month = snoozeEnd(now, 'month');
    const min = formatDay(now.getTime() + 86_400_000);
    return html`<div
      class="snooze"
      role="group"
      aria-label=${`Snooze ${label} until`}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        this.closeSnooze(item.key);
      }}
    >
      <button @click=${() => this.snooze(nb, item, label, week)}>
        A week <span class="muted">(${shortDay(week)})</span>
      </button>
      <button @click=${() => this.snooze(nb, item, label, month)}>
        A month <span class="muted">(${shortDay(month)})</span>
      </button>
      <span class="until">
        <label for="snooze-date">Until</label>
        <input id="snooze-date" type="date" min=${min} value=${week} />
      </span>
      <button
        @click=${() => {
          const input = this.renderRoot.querySelector<HTMLInputElement>('#snooze-date');
          this.snooze(nb, item, label, input?.value ?? '');
        }}
      >
        Snooze until date
      </button>
      <button class="quiet" @click=${() => this.closeSnooze(item.key)}>Cancel</button>
    </div>`;
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.firstScreen && this.feed?.result && this.rest === undefined) {
      // The first screenful is drawn in this frame; the rest in a task after it.
      this.rest = setTimeout(() => {
        this.firstScreen = false;
        this.requestUpdate();
      }, 0);
    }
    if (this.focusAt !== undefined) {
      const at = this.focusAt;
      this.focusAt = undefined;
      const lis = [...this.renderRoot.querySelectorAll<HTMLElement>('li[data-key]')];
      const next = lis[Math.min(at, lis.length - 1)];
      if (next) next.focus();
      else this.renderRoot.querySelector<HTMLElement>('#today-h')?.setAttribute('tabindex', '-1');
      if (!next) this.renderRoot.querySelector<HTMLElement>('#today-h')?.focus();
    }
  }

  /** `L` on a focused item (or anything in it) logs a touch. */
  private onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e)) return;
    if (e.key !== 'l' && e.key !== 'L') return;
    const li = e
      .composedPath()
      .find((el): el is HTMLElement => el instanceof HTMLElement && el.matches('li[data-key]'));
    const key = li?.dataset.key;
    const item = key ? this.items().find((i) => i.key === key) : undefined;
    const nb = this.services.value?.nb;
    if (!item || !nb) return;
    e.preventDefault();
    e.stopPropagation();
    this.touch(nb, item);
  }

  /** Position of an item in the list as shown. */
  private indexOf(key: string): number {
    const lis = [...this.renderRoot.querySelectorAll<HTMLElement>('li[data-key]')];
    return Math.max(
      0,
      lis.findIndex((li) => li.dataset.key === key),
    );
  }

  /** Run a command on an item; on success it leaves the list and the next item gets the keyboard. */
  private act(item: TodayItem, run: () => string, leaves = true): void {
    this.error = '';
    const at = this.indexOf(item.key);
    try {
      this.status = run();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      return;
    }
    if (this.snoozing === item.key) this.snoozing = undefined;
    if (leaves) this.actedOn.add(item.key);
    this.focusAt = at;
    this.requestUpdate();
  }

  private touch(nb: Notebook, item: TodayItem): void {
    const ids = touchPeople(item);
    const who = ids.map((id) => getPerson(nb, id)?.name ?? id).join(' and ');
    // A touch ends an overdue period (and a meeting's or birthday's cooling tie); an
    // introduction's item stays until its ask is answered or its outcome recorded.
    const leaves = item.kind === 'overdue' || item.kind === 'meeting';
    this.act(
      item,
      () => {
        logTouch(nb, { personIds: ids });
        return `Touch logged with ${who}.`;
      },
      leaves,
    );
  }

  private snooze(nb: Notebook, item: TodayItem, label: string, until: string): void {
    this.act(item, () => {
      snoozeTodayItem(nb, item.key, until);
      return `Snoozed ${label} until ${shortDay(until)}. Undo with Ctrl+Z.`;
    });
  }

  private dismiss(nb: Notebook, item: TodayItem, label: string): void {
    this.act(item, () => {
      dismissTodayItem(nb, item.key);
      return `Dismissed ${label}. Undo with Ctrl+Z.`;
    });
  }

  private toggleSnooze(key: string): void {
    if (this.snoozing === key) return this.closeSnooze(key);
    this.snoozing = key;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('.snooze button')?.focus(),
    );
  }

  /** Close the snooze choices and give the keyboard back to their "Snooze" button. */
  private closeSnooze(key: string): void {
    this.snoozing = undefined;
    void this.updateComplete.then(() => {
      const li = [...this.renderRoot.querySelectorAll<HTMLElement>('li[data-key]')].find(
        (el) => el.dataset.key === key,
      );
      li?.querySelector<HTMLElement>('[data-snooze]')?.focus();
    });
  }

  private async downloadIcs(nb: Notebook): Promise<void> {
    this.error = '';
    this.status = 'Making the calendar file…';
    try {
      // Made in a worker from the stored notebook: at 10,000 people it is seconds of work.
      const storage = this.services.value?.storage;
      const [ics, { exportFileName }] = await Promise.all([
        remindersIcs(nb, storage?.status === 'ready' ? storage.name : undefined),
        import('../files/vt-export.ts'),
      ]);
      downloadBytes(ics, exportFileName(nb, 'ics'), 'text/calendar');
      this.status = 'Calendar file saved: import it into your calendar; a newer one updates it.';
    } catch (err) {
      this.status = '';
      this.error = `The calendar file could not be made: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

customElements.define('vt-today', VtToday);

declare global {
  interface HTMLElementTagNameMap {
    'vt-today': VtToday;
  }
}
