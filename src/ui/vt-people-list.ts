import { LitElement, css, html, nothing } from 'lit';
import '@lit-labs/virtualizer';
import { listPeople, type Notebook, type Person } from '../model/index.ts';
import { NotebookController } from './notebook-controller.ts';
import { searchPeople, sortByName } from './people-search.ts';
import { sharedStyles } from './shared-styles.ts';
import './vt-vetting-badge.ts';

/**
 * The people list: everyone not in the trash, sorted by name, filtered by the search
 * query, virtualised so 10,000 rows cost what a screenful costs.
 *
 * @fires vt-select - `detail: { id }` when a person is chosen.
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
      .row {
        display: block;
        width: 100%;
        text-align: left;
        border: 0;
        border-radius: 0;
        border-bottom: 1px solid var(--vt-border);
        background: transparent;
        padding: var(--vt-space-2) var(--vt-space-3);
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

  override render() {
    const rows = this.rows;
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
              .items=${rows}
              .renderItem=${(p: Person | undefined) => (p ? this.renderRow(p) : nothing)}
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
        aria-current=${p.id === this.selectedId ? 'true' : 'false'}
        data-id=${p.id}
        @click=${() => this.choose(p.id)}
        @keydown=${(e: KeyboardEvent) => this.onKey(e, p.id)}
      >
        <span class="name">${p.name}</span
        ><vt-vetting-badge compact .person=${p}></vt-vetting-badge>${
          p.underGlass ? html`<span class="glass" title="Under glass">◆ under glass</span>` : ''
        }
        <span class="meta">${meta || '\u00a0'}</span>
      </button>
    </div>`;
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
    this.dispatchEvent(
      new CustomEvent('vt-select', { detail: { id }, bubbles: true, composed: true }),
    );
  }

  /** Arrow keys move through the list without tabbing through every row. */
  private onKey(e: KeyboardEvent, id: string): void {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const rows = this.rows;
    const i = rows.findIndex((p) => p.id === id);
    const next = rows[i + (e.key === 'ArrowDown' ? 1 : -1)];
    if (!next) return;
    this.choose(next.id);
    const v = this.renderRoot.querySelector('lit-virtualizer') as
      | (HTMLElement & { element(i: number): { scrollIntoView(o?: object): void } | undefined })
      | null;
    v?.element(rows.indexOf(next))?.scrollIntoView({ block: 'nearest' });
    requestAnimationFrame(() =>
      (
        this.renderRoot.querySelector(`button[data-id="${next.id}"]`) as HTMLElement | null
      )?.focus(),
    );
  }
}

customElements.define('vt-people-list', VtPeopleList);

declare global {
  interface HTMLElementTagNameMap {
    'vt-people-list': VtPeopleList;
  }
}
