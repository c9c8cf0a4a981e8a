import { LitElement, css, html, nothing } from 'lit';
import '@lit-labs/virtualizer';
import { listPeople, type Notebook, type Person } from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { searchPeople, sortByName } from './people-search.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import './vt-vetting-badge.ts';
import { emit } from '../shell/component.ts';

/** Rows a Page Up / Page Down moves by. */
const PAGE = 10;

/** The virtualizer's own API (lit-labs/virtualizer 2). */
type Virtualizer = HTMLElement & {
  element(i: number): { scrollIntoView(o?: ScrollIntoViewOptions): void } | undefined;
};

/**
 * The people list: everyone not in the trash, sorted by name, filtered by the search
 * query, virtualised so 10,000 rows cost what a screenful costs.
 *
 * Keyboard: the list is one tab stop (a roving tabindex on the selected or last focused
 * row); the arrows, Page Up/Down, Home and End move the keyboard (scrolling as needed),
 * Enter or Space opens the person, the up arrow on the first row goes back to the search
 * box. When the row with the tab stop is scrolled out of the rendered range, the list
 * itself takes the tab stop (and the keyboard, if it was on that row), and hands it back
 * to the row on the next key.
 *
 * @fires vt-select - `detail: { id }` when a person is chosen.
 * @fires vt-search-exit - the up arrow on the first row: the app focuses the search box.
 */
export class VtPeopleList extends LitElement {
  static override properties = {
    query: { type: String },
    selectedId: { attribute: false },
  };

  query = '';
  selectedId: string | null = null;
  private readonly people = new NotebookController(this, (nb: Notebook) => listPeople(nb));
  private shownFor: { people?: readonly Person[]; query?: string; rows: readonly Person[] } = {
    rows: [],
  };
  /** The person whose row holds the tab stop (else the selected one, else the first). */
  private activeId: string | null = null;
  /** Id of the row holding the tab stop in this render. */
  private tabStop: string | undefined;
  /** The rendered range of rows (from the virtualizer's `rangeChanged`). */
  private range = { first: 0, last: -1 };
  /** The row that last had the keyboard. */
  private lastRow: HTMLElement | undefined;

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: 100%;
      }
      .count {
        padding: var(--vt-space-2) var(--vt-space-3);
        font-size: var(--vt-text-xs);
        color: var(--vt-text-muted);
        border-bottom: 1px solid var(--vt-border);
      }
      lit-virtualizer {
        flex: 1;
        min-height: 0;
        height: 100%;
      }
      lit-virtualizer:focus-visible {
        outline-offset: -2px;
      }
      .row {
        display: block;
        width: 100%;
        text-align: left;
        border: 0;
        border-radius: 0;
        border-bottom: 1px solid var(--vt-border);
        background: transparent;
        padding: var(--vt-space-2) var(--vt-space-3);
        min-height: 44px;
      }
      .row[aria-current='true'] {
        background: var(--vt-accent-soft);
        box-shadow: inset 3px 0 0 var(--vt-accent);
      }
      .row:focus-visible {
        outline-offset: -2px;
      }
      .name {
        font-weight: 550;
      }
      .meta {
        display: block;
        font-size: var(--vt-text-xs);
        color: var(--vt-text-muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .glass {
        font-size: var(--vt-text-xs);
        color: var(--vt-warn);
        margin-left: var(--vt-space-1);
      }
      .empty {
        padding: var(--vt-space-4);
        color: var(--vt-text-muted);
      }
    `,
  ];

  /** The rows currently shown (for the graph filter and tests). */
  get rows(): readonly Person[] {
    const people = this.people.value ?? [];
    const s = this.shownFor;
    if (s.people !== people || s.query !== this.query) {
      this.shownFor = {
        people,
        query: this.query,
        rows: searchPeople(sortByName(people), this.query),
      };
    }
    return this.shownFor.rows;
  }

  /** Index of the row holding the tab stop. */
  private get activeIndex(): number {
    const rows = this.rows;
    for (const id of [this.activeId, this.selectedId]) {
      const i = id ? rows.findIndex((p) => p.id === id) : -1;
      if (i >= 0) return i;
    }
    return 0;
  }

  override render() {
    const rows = this.rows;
    const active = this.activeIndex;
    this.tabStop = rows[active]?.id;
    const rendered = active >= this.range.first && active <= this.range.last;
    const total = this.people.value?.length ?? 0;
    return html`
      <div class="count" aria-live="polite">
        ${
          this.query
            ? `${rows.length} of ${total} ${total === 1 ? 'person' : 'people'}`
            : `${total} ${total === 1 ? 'person' : 'people'}`
        }
      </div>
      ${
        rows.length
          ? html`<lit-virtualizer
              scroller
              role="list"
              aria-label="People"
              tabindex=${rendered ? '-1' : '0'}
              .items=${rows}
              .renderItem=${(p: Person | undefined) => (p ? this.renderRow(p) : nothing)}
              @keydown=${this.onKey}
              @focusin=${this.onFocusIn}
              @rangeChanged=${this.onRange}
            ></lit-virtualizer>`
          : html`<p class="empty">
              ${this.query ? 'Nobody matches that search.' : 'No people yet.'}
            </p>`
      }
    `;
  }

  /**
   * One row. The virtualizer may still ask for an index past the end of a list a search has
   * just narrowed while it was scrolled down (issue 14: "reading 'role'"), hence the guard
   * above: such a row renders nothing until its next layout.
   */
  private renderRow(p: Person) {
    const meta = [p.role, p.org].filter(Boolean).join(' · ') || p.tags.join(', ');
    return html`<div role="listitem" style="width:100%">
      <button
        class="row"
        tabindex=${p.id === this.tabStop ? '0' : '-1'}
        aria-current=${p.id === this.selectedId ? 'true' : 'false'}
        data-id=${p.id}
        @click=${() => this.choose(p.id)}
      >
        <span class="name">${p.name}</span
        ><vt-vetting-badge compact .person=${p}></vt-vetting-badge>${
          p.underGlass ? html`<span class="glass" title="Under glass">◆ under glass</span>` : ''
        }
        <span class="meta">${meta || '\u00a0'}</span>
      </button>
    </div>`;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A person chosen anywhere (the graph, the search's Enter) takes the tab stop.
    if (changed.has('selectedId') && this.selectedId) this.activeId = null;
  }

  /** Keep the selected person in view when the selection comes from elsewhere (the graph). */
  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (!(changed.has('selectedId') || changed.has('query')) || !this.selectedId) return;
    const index = this.rows.findIndex((p) => p.id === this.selectedId);
    if (index < 0) return;
    const v = this.renderRoot.querySelector('lit-virtualizer') as
      | (HTMLElement & { element(i: number): { scrollIntoView(o?: object): void } | undefined })
      | null;
    // After a new search the virtualizer lays out its rows in the next frame; scroll then.
    requestAnimationFrame(() => v?.element(index)?.scrollIntoView({ block: 'center' }));
  }

  private choose(id: string): void {
    emit(this, 'vt-select', { id });
  }

  /** Put the keyboard on row `index` (scrolling it into the rendered range first). */
  async focusRow(index: number): Promise<void> {
    const p = this.rows[index];
    if (!p) return;
    this.activeId = p.id;
    this.requestUpdate();
    await this.updateComplete;
    const v = this.renderRoot.querySelector('lit-virtualizer') as Virtualizer | null;
    if (!v) return;
    const find = () =>
      this.renderRoot.querySelector<HTMLElement>(`button[data-id="${CSS.escape(p.id)}"]`);
    v.element(index)?.scrollIntoView({ block: 'nearest' });
    // A row scrolled to from far away is rendered after the virtualizer's next layout.
    for (let frame = 0; frame < 30 && !find(); frame++) {
      await new Promise((ok) => requestAnimationFrame(ok));
    }
    if (this.activeId === p.id) find()?.focus();
  }

  /** Put the keyboard on a person's row (or the first row if the search hides them). */
  focusPerson(id: string): Promise<void> {
    return this.focusRow(
      Math.max(
        0,
        this.rows.findIndex((p) => p.id === id),
      ),
    );
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const rows = this.rows;
    if (!rows.length || e.altKey || e.ctrlKey || e.metaKey) return;
    const i = this.activeIndex;
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = i + 1;
        break;
      case 'ArrowUp':
        if (i === 0) {
          e.preventDefault();
          emit(this, 'vt-search-exit');
          return;
        }
        next = i - 1;
        break;
      case 'PageDown':
        next = i + PAGE;
        break;
      case 'PageUp':
        next = i - PAGE;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    void this.focusRow(Math.max(0, Math.min(rows.length - 1, next)));
  };

  private readonly onFocusIn = (e: FocusEvent): void => {
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement && target.classList.contains('row')) {
      this.lastRow = target;
      // A click or a Tab onto a row: it holds the tab stop from now on.
      if (this.activeId !== target.dataset.id) {
        this.activeId = target.dataset.id ?? null;
        this.requestUpdate();
      }
    } else if (target === e.currentTarget && !this.parking) {
      // Tabbed onto the list while its row was scrolled away: back to that row.
      void this.focusRow(this.activeIndex);
    }
  };

  /** Focus parked on the list itself because its row was scrolled out of the rendered range. */
  private parking = false;

  private readonly onRange = (e: Event): void => {
    const { first, last } = e as Event & { first: number; last: number };
    const i = this.activeIndex;
    const inside = (r: { first: number; last: number }) => i >= r.first && i <= r.last;
    // Re-render only when the tab stop moves between its row and the list itself.
    if (inside(this.range) !== inside({ first, last })) this.requestUpdate();
    this.range = { first, last };
    void this.updateComplete.then(() =>
      requestAnimationFrame(() => {
        // The focused row left the rendered range (scrolled away with the wheel) and the
        // keyboard fell to the page: keep it in the list instead.
        const row = this.lastRow;
        if (!row || row.isConnected || document.activeElement !== document.body) return;
        this.lastRow = undefined;
        this.parking = true;
        this.renderRoot
          .querySelector<HTMLElement>('lit-virtualizer')
          ?.focus({ preventScroll: true });
        this.parking = false;
      }),
    );
  };
}

customElements.define('vt-people-list', VtPeopleList);

declare global {
  interface HTMLElementTagNameMap {
    'vt-people-list': VtPeopleList;
  }
}
