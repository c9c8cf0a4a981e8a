import { LitElement, css, html, nothing, svg } from 'lit';
import { ContextProvider } from '@lit/context';
import { initNotebook } from '../../model/index.ts';
import { appContext, type AppServices } from '../controllers/app-context.ts';
import { loadSampleNetwork } from '../../app/sample-network.ts';
import { sharedStyles, visuallyHidden } from './shared-styles.ts';
import type { VtPeopleList } from '../people/vt-people-list.ts';
import type { VtPersonPanel } from '../people/vt-person-panel.ts';
import type { VtSettings } from '../settings/vt-settings.ts';
import '../graph/vt-graph.ts';
import '../people/vt-people-list.ts';
import '../people/vt-person-panel.ts';
import './vt-toast.ts';
import '../settings/vt-settings.ts';
import '../sync/vt-sync-indicator.ts';
import '../people/vt-trash.ts';
import './vt-welcome.ts';
import '../analysis/vt-analysis-panel.ts';
import { INTROS_ICON, type VtIntrosView } from '../intros/vt-intros-view.ts';
import '../today/vt-today.ts';
import { todayFeed, type TodayFeed } from '../../app/reminders.ts';
import { startReminders } from '../../app/reminders-app.ts';
import { states } from './component.ts';

/** What the right-hand panel shows. */
export type PanelMode = 'today' | 'person' | 'new' | 'trash' | 'settings' | 'intros' | 'clusters';
/** On a phone-sized screen, which of the three columns is shown. */
export type Tab = 'people' | 'graph' | 'details';

const TRASH_ICON = svg`<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"><path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.7 6.5v4.5M9.3 6.5v4.5"/></svg>`;
const CLUSTERS_ICON = svg`<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5"><circle cx="4.5" cy="5" r="2.5"/><circle cx="11.5" cy="4.5" r="2"/><circle cx="8.5" cy="11.5" r="2.5"/></svg>`;
const TODAY_ICON = svg`<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"><rect x="2.5" y="3.5" width="11" height="10" rx="1.5"/><path d="M2.5 6.5h11M5.5 2v3M10.5 2v3"/></svg>`;
const SETTINGS_ICON = svg`<svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"><path d="M2 4h7M12 4h2M2 12h2M7 12h7"/><circle cx="10.5" cy="4" r="1.5"/><circle cx="5.5" cy="12" r="1.5"/></svg>`;

/** The header's panel toggles, in order; icon-only ones show their label as a tooltip. */
const PANEL_BUTTONS: readonly {
  panel: PanelMode;
  label: string;
  icon: unknown;
  iconOnly?: boolean;
}[] = [
  { panel: 'intros', label: 'Introductions', icon: INTROS_ICON },
  { panel: 'clusters', label: 'Clusters', icon: CLUSTERS_ICON },
  { panel: 'trash', label: 'Trash', icon: TRASH_ICON, iconOnly: true },
  { panel: 'settings', label: 'Settings', icon: SETTINGS_ICON, iconOnly: true },
];

/** The third tab on a phone is named after what it shows (issue 14: not always "Details"). */
const PANEL_TAB_LABELS: Record<PanelMode, string> = {
  today: 'Today',
  person: 'Person',
  new: 'New person',
  trash: 'Trash',
  settings: 'Settings',
  intros: 'Introductions',
  clusters: 'Clusters',
};

function isEditable(e: Event): boolean {
  const el = e.composedPath()[0];
  if (!(el instanceof HTMLElement)) return false;
  return (
    el.isContentEditable ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement ||
    (el instanceof HTMLInputElement &&
      !['checkbox', 'radio', 'button', 'submit', 'file'].includes(el.type))
  );
}

/**
 * The app shell: header (search, undo/redo, "Add person", trash, settings), the people
 * list, the graph and the person panel; one column with tabs on a phone. Provides the
 * notebook to every component through `appContext`. Selection, search and open panel are
 * session state here, never written to the notebook.
 *
 * Keys: Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redo, `t` log a touch with the open
 * person, `/` search. Ignored while typing in a field, so text undo keeps working there.
 */
export class VtApp extends LitElement {
  static override properties = {
    services: { attribute: false },
    ...states('selectedId', 'panel', 'query', 'tab'),
  };

  services: AppServices | undefined;
  selectedId: string | null = null;
  /** Today is the home: what opens first once a notebook exists. */
  panel: PanelMode = 'today';
  query = '';
  tab: Tab = 'details';
  private readonly provider = new ContextProvider(this, { context: appContext });
  private readonly onKey = (e: KeyboardEvent) => this.handleKey(e);
  private readonly onStack = () => this.requestUpdate();
  private readonly onDoc = () => {
    // Only the owner (first-run check) is read from the notebook here.
    if (this.hasOwner !== !!this.services?.nb.ownerId) this.requestUpdate();
  };
  private hasOwner = false;
  private today: TodayFeed | undefined;
  private readonly onToday = () => this.requestUpdate();

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr;
        height: 100dvh;
        background: var(--vt-bg);
      }
      header {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        padding: var(--vt-space-2) var(--vt-space-4);
        background: var(--vt-surface);
        border-bottom: 1px solid var(--vt-border);
      }
      h1 {
        font-size: var(--vt-text-lg);
        margin: 0 var(--vt-space-3) 0 0;
        letter-spacing: 0.02em;
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
      }
      h1 img {
        width: 22px;
        height: 22px;
      }
      .search {
        flex: 1;
        min-width: 14rem;
        max-width: 26rem;
      }
      /* Trash and settings are icons on every screen: the header keeps room for search. */
      .icon-only .label-long {
        ${visuallyHidden}
      }
      .icon-only .label-short {
        display: inline-flex;
        vertical-align: middle;
      }
      .plus {
        font-size: 1.25rem;
        line-height: 1;
        font-weight: 600;
      }
      .search input {
        border-radius: 999px;
        padding-left: var(--vt-space-3);
      }
      .spacer {
        flex: 1;
      }
      .today .count {
        display: inline-block;
        min-width: 1.4em;
        margin-left: var(--vt-space-1);
        padding: 0 5px;
        border-radius: 999px;
        background: var(--vt-accent);
        color: var(--vt-on-accent);
        font-size: var(--vt-text-xs);
        font-weight: 600;
        text-align: center;
        line-height: 1.5;
      }
      .tools {
        display: flex;
        gap: var(--vt-space-1);
      }
      main {
        display: grid;
        grid-template-columns: minmax(240px, 300px) 1fr minmax(360px, 440px);
        min-height: 0;
      }
      .col {
        min-height: 0;
        min-width: 0;
        background: var(--vt-surface);
      }
      .list {
        border-right: 1px solid var(--vt-border);
      }
      .graph {
        background: var(--vt-bg);
      }
      .panel {
        border-left: 1px solid var(--vt-border);
        overflow: auto;
      }
      .hint {
        padding: var(--vt-space-5);
        color: var(--vt-text-muted);
      }
      kbd {
        font-family: var(--vt-font-mono);
        font-size: var(--vt-text-xs);
        border: 1px solid var(--vt-border);
        border-radius: 4px;
        padding: 0 4px;
      }
      [role='tablist'] {
        display: none;
      }
      .label-short {
        display: none;
      }
      /* The skip link: out of sight until it has the keyboard (the first Tab). */
      .skip {
        position: absolute;
        left: var(--vt-space-2);
        top: -100px;
        z-index: 100;
        padding: var(--vt-space-2) var(--vt-space-3);
        background: var(--vt-surface);
        color: var(--vt-text);
        border-radius: var(--vt-radius-sm);
        box-shadow: var(--vt-shadow);
      }
      .skip:focus {
        top: var(--vt-space-2);
      }
      main:focus {
        outline: none;
      }
      @media (max-width: 720px) {
        :host {
          grid-template-rows: auto auto 1fr;
        }
        header {
          flex-wrap: wrap;
          padding: var(--vt-space-2);
        }
        h1 {
          margin-right: 0;
        }
        /* The logo stands for the title on a phone; the name stays for screen readers. */
        h1 .title {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        /* Row one: logo and tools; row two: search and the sync indicator beside it. */
        .search {
          order: 5;
          flex: 1 1 calc(100% - 44px - var(--vt-space-1));
          max-width: none;
        }
        vt-sync-indicator {
          order: 6;
        }
        .spacer {
          display: none;
        }
        .tools {
          margin-left: auto;
        }
        .label-long {
          /* Hidden from sight but kept as the accessible name ("Trash", "Undo"). */
          ${visuallyHidden}
        }
        header {
          gap: var(--vt-space-1);
        }
        /* Touch targets of at least 44 px (WCAG 2.5.5), names kept for screen readers. */
        .tools {
          flex-wrap: wrap;
          justify-content: flex-end;
        }
        .tools button {
          padding: 5px 9px;
          min-width: 44px;
          min-height: 44px;
        }
        .search input {
          min-height: 44px;
        }
        .label-short {
          display: inline-flex;
          vertical-align: middle;
        }
        [role='tablist'] {
          display: flex;
          background: var(--vt-surface);
          border-bottom: 1px solid var(--vt-border);
        }
        [role='tab'] {
          flex: 1;
          min-height: 44px;
          border: 0;
          border-radius: 0;
          padding: var(--vt-space-2);
          border-bottom: 2px solid transparent;
          background: transparent;
        }
        [role='tab'][aria-selected='true'] {
          border-bottom-color: var(--vt-accent);
          font-weight: 600;
        }
        main {
          grid-template-columns: 1fr;
          grid-template-rows: 1fr;
        }
        /* Every column keeps its box (so the graph keeps its size); only one is visible. */
        .col {
          grid-area: 1 / 1;
          border: 0;
        }
        .col[data-inactive] {
          visibility: hidden;
        }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
    this.unwatch();
  }

  private watched: AppServices | undefined;
  private readonly stopWatching: (() => void)[] = [];

  private unwatch(): void {
    const s = this.watched;
    if (!s) return;
    for (const stop of this.stopWatching.splice(0)) stop();
    this.today?.removeEventListener('change', this.onToday);
    this.watched = undefined;
  }

  override willUpdate(): void {
    if (this.services && this.services !== this.watched) {
      this.unwatch();
      const s = (this.watched = this.services);
      this.provider.setValue(s);
      this.stopWatching.push(s.undo.onChange(this.onStack), s.nb.onChange(this.onDoc));
      this.today = todayFeed(s);
      this.today.addEventListener('change', this.onToday);
      startReminders(s);
    }
    this.hasOwner = !!this.services?.nb.ownerId;
  }

  override render() {
    const s = this.services;
    if (!s) return html`<p class="hint">Opening your notebook…</p>`;
    if (!this.hasOwner) return html`<vt-welcome @vt-start=${this.start}></vt-welcome>`;
    const undo = s.undo;
    return html`
      <a class="skip" href="#main" @click=${this.skip}>Skip to main content</a>
      <header>
        <h1><img src="/icon.svg" alt="" /><span class="title">Vitrine</span></h1>
        <div class="search">
          <label for="search" class="visually-hidden">Search</label>
          <input
            id="search"
            type="search"
            placeholder="Search people, organisations, tags, notes  ( / )"
            autocomplete="off"
            .value=${this.query}
            @input=${(e: Event) => {
              this.query = (e.target as HTMLInputElement).value;
              this.tab = 'people';
            }}
            @keydown=${this.onSearchKey}
          />
        </div>
        <span class="spacer"></span>
        <vt-sync-indicator @vt-sync-open=${this.openSync}></vt-sync-indicator>
        <div class="tools">
          ${this.renderTodayButton()}
          <button
            class="quiet"
            aria-keyshortcuts="Control+Z Meta+Z"
            ?disabled=${!undo.canUndo()}
            @click=${() => undo.undo()}
            title="Undo (Ctrl+Z)"
          >
            <span class="label-long">Undo</span
            ><span class="label-short" aria-hidden="true">↶</span>
          </button>
          <button
            class="quiet"
            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
            ?disabled=${!undo.canRedo()}
            @click=${() => undo.redo()}
            title="Redo (Shift+Ctrl+Z)"
          >
            <span class="label-long">Redo</span
            ><span class="label-short" aria-hidden="true">↷</span>
          </button>
          <button class="primary" data-panel="new" @click=${this.addPerson} title="Add person">
            <span class="label-long">Add person</span
            ><span class="label-short plus" aria-hidden="true">+</span>
          </button>
          ${PANEL_BUTTONS.map(
            ({ panel, label, icon, iconOnly }) =>
              html`<button
                data-panel=${panel}
                class=${iconOnly ? 'icon-only' : ''}
                title=${iconOnly ? label : nothing}
                aria-pressed=${this.panel === panel ? 'true' : 'false'}
                @click=${() => this.showPanel(panel)}
              >
                <span class="label-long">${label}</span
                ><span class="label-short" aria-hidden="true">${icon}</span>
              </button>`,
          )}
        </div>
      </header>
      <nav role="tablist" aria-label="Views">
        ${(
          [
            ['people', 'People'],
            ['graph', 'Graph'],
            [
              'details',
              this.panel === 'person' && !this.selectedId
                ? 'Details'
                : PANEL_TAB_LABELS[this.panel],
            ],
          ] as const
        ).map(
          ([tab, label]) =>
            html`<button
              role="tab"
              aria-selected=${this.tab === tab ? 'true' : 'false'}
              @click=${() => (this.tab = tab)}
            >
              ${label}
            </button>`,
        )}
      </nav>
      <main
        id="main"
        tabindex="-1"
        @vt-select=${this.onSelect}
        @vt-introduce=${this.onIntroduce}
        @vt-search-exit=${this.focusSearch}
      >
        <div class="col list" ?data-inactive=${this.tab !== 'people'}>
          <vt-people-list .query=${this.query} .selectedId=${this.selectedId}></vt-people-list>
        </div>
        <div class="col graph" ?data-inactive=${this.tab !== 'graph'}>
          <vt-graph .selectedId=${this.selectedId} .query=${this.query}></vt-graph>
        </div>
        <div class="col panel" ?data-inactive=${this.tab !== 'details'} @keydown=${this.onPanelKey}>
          ${this.renderPanel()}
        </div>
      </main>
      <vt-toast></vt-toast>
    `;
  }

  private renderPanel() {
    switch (this.panel) {
      case 'new':
        return html`<vt-person-panel .personId=${null}></vt-person-panel>`;
      case 'trash':
        return html`<vt-trash></vt-trash>`;
      case 'today':
        return html`<vt-today></vt-today>`;
      case 'settings':
        return html`<vt-settings></vt-settings>`;
      case 'intros':
        return html`<vt-intros-view></vt-intros-view>`;
      case 'clusters':
        // "Clusters" and "Needs attention" are the panel's two tabs.
        return html`<vt-analysis-panel></vt-analysis-panel>`;
      case 'person':
        return this.selectedId
          ? html`<vt-person-panel .personId=${this.selectedId}></vt-person-panel>`
          : html`<div class="hint">
              <p>Pick someone in the list or the graph, or add a person.</p>
              <p class="small">
                <kbd>/</kbd> search · <kbd>t</kbd> log a touch with the open person ·
                <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo
              </p>
            </div>`;
    }
    return nothing;
  }

  /** The header's way home: "Today" with a badge of how many items it lists. */
  private renderTodayButton() {
    const n = this.today?.result ? this.today.count : undefined;
    return html`<button
      class="today"
      aria-label=${n === undefined ? 'Today' : `Today ${n} due`}
      aria-pressed=${this.panel === 'today' ? 'true' : 'false'}
      title="Today"
      @click=${() => this.showPanel('today')}
    >
      <span class="label-long">Today</span
      ><span class="label-short" aria-hidden="true">${TODAY_ICON}</span>${
        // The name starts with what is seen ("Today 5"): axe's label-content-name-mismatch.
        n ? html` <span class="count" aria-hidden="true">${n}</span>` : nothing
      }
    </button>`;
  }

  private start(e: CustomEvent<{ sample: boolean; name: string }>): void {
    const s = this.services;
    if (!s) return;
    if (e.detail.sample) {
      loadSampleNetwork(s.nb, { ownerName: e.detail.name });
    } else {
      initNotebook(s.nb, e.detail.name);
    }
    // Setting up the notebook is not something to undo into an empty first-run screen.
    s.undo.clear();
    this.requestUpdate();
  }

  private onSelect(e: CustomEvent<{ id: string | null }>): void {
    e.stopPropagation();
    const fromPanel = e.composedPath().some((n) => n instanceof HTMLElement && n.matches('.panel'));
    const tab = this.tab;
    this.select(e.detail.id);
    // The keyboard follows the person when what it was on went away: the new-person form
    // after Save, a name clicked in the panel, the list hidden on a phone.
    if (e.detail.id && (fromPanel || this.tab !== tab)) this.focusPanelHeading();
  }

  private focusPanelHeading(): void {
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('vt-person-panel') as VtPersonPanel | null)?.focusHeading(),
    );
  }

  /** The skip link: past the header to the list, graph and panel. */
  private skip(e: Event): void {
    // Not a fragment navigation: the address's fragment carries pairing links.
    e.preventDefault();
    (this.renderRoot.querySelector('main') as HTMLElement | null)?.focus();
  }

  /** The sync indicator: Settings, scrolled to the sync section, keyboard on "Pair a device". */
  private openSync(): void {
    this.panel = 'settings';
    this.tab = 'details';
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('vt-settings') as VtSettings | null)?.showSync(),
    );
  }

  /** In the search box: Enter opens the top hit, the down arrow goes into the results. */
  private onSearchKey(e: KeyboardEvent): void {
    const list = this.renderRoot.querySelector('vt-people-list') as VtPeopleList | null;
    if (!list) return;
    if (e.key === 'Enter') {
      const top = list.rows[0];
      if (!top) return;
      e.preventDefault();
      this.select(top.id);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      this.tab = 'people';
      void list.focusRow(0);
    }
  }

  private focusSearch(): void {
    (this.renderRoot.querySelector('#search') as HTMLInputElement | null)?.focus();
  }

  /**
   * Escape in the right-hand panel closes it: the person (the keyboard goes back to them in
   * the list) or another panel (back to the button that opened it). Forms and pickers inside
   * handle their own Escape first (and mark it handled); a dialog closes itself.
   */
  private onPanelKey(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (e.composedPath().some((n) => n instanceof HTMLDialogElement)) return;
    e.preventDefault();
    const was = this.panel;
    if (was === 'person') {
      const id = this.selectedId;
      if (!id) return;
      this.selectedId = null;
      this.tab = 'people';
      void this.updateComplete.then(() =>
        (this.renderRoot.querySelector('vt-people-list') as VtPeopleList | null)?.focusPerson(id),
      );
      return;
    }
    this.panel = 'person';
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector(`button[data-panel="${was}"]`) as HTMLElement | null)?.focus(),
    );
  }

  /**
   * "Introduce…" on a person (or on a suggested pair): open the Introductions view with
   * them as the first person (and `other` as the second).
   */
  private onIntroduce(e: CustomEvent<{ id: string; other?: string }>): void {
    e.stopPropagation();
    this.panel = 'intros';
    this.tab = 'details';
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('vt-intros-view') as VtIntrosView | null)?.startIntro(
        e.detail.id,
        e.detail.other ?? null,
      ),
    );
  }

  /** Open a person (or nobody) in the panel, the list and the graph. */
  select(id: string | null): void {
    this.selectedId = id;
    this.panel = 'person';
    // On a phone, choosing someone from the list shows them; from the graph, stay on it.
    if (id && this.tab === 'people') this.tab = 'details';
  }

  private showPanel(mode: PanelMode): void {
    this.panel = this.panel === mode && mode !== 'new' ? 'person' : mode;
    this.tab = 'details';
  }

  private addPerson(): void {
    this.showPanel('new');
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('vt-person-panel') as VtPersonPanel | null)?.focusName(),
    );
  }

  private handleKey(e: KeyboardEvent): void {
    const s = this.services;
    if (!s || !this.hasOwner) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
      // In a text field the browser's own text undo applies.
      if (isEditable(e)) return;
      e.preventDefault();
      if (e.key === 'y' || e.shiftKey) s.undo.redo();
      else s.undo.undo();
      return;
    }
    if (mod || e.altKey || isEditable(e)) return;
    if (e.key === '/') {
      e.preventDefault();
      (this.renderRoot.querySelector('#search') as HTMLInputElement | null)?.focus();
    } else if (e.key === 't' && this.panel === 'person' && this.selectedId) {
      e.preventDefault();
      this.tab = 'details';
      (this.renderRoot.querySelector('vt-person-panel') as VtPersonPanel | null)?.logTouch();
    }
  }
}

customElements.define('vt-app', VtApp);

declare global {
  interface HTMLElementTagNameMap {
    'vt-app': VtApp;
  }
}
