import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import type { ClusterLike } from '../../analysis/clusters.ts';
import {
  getPerson,
  graphSnapshot,
  introSuggestions,
  listPeople,
  listTies,
  tiesOf,
  type IntroSuggestion,
  type Notebook,
} from '../../model/index.ts';
import { legendItems, type LegendItem } from '../../graph/legend.ts';
import { assignClusterColors, type GroupColours } from '../../graph/elements.ts';
import { analysisGraphInput, mergingPositionStore } from '../../app/analysis-client.ts';
import { groupDisplay, groupLabel, groupLegend, starOffer } from '../../app/group-display.ts';
import { AnalysisController } from '../controllers/analysis-controller.ts';
import { overdueTieIds, pendingIntros } from './graph-input.ts';
import { directionOfKey, navigate, nearest, type NodePoint } from './graph-keys.ts';
import '../analysis/vt-analysis-bar.ts';
import {
  loadGraphView,
  type CreateGraphView,
  type GraphInput,
  type GraphView,
} from '../../graph/loader.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { searchPeople } from '../people/people-search.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

/** Above this many people, clusters are not computed on the main thread. */
const CLUSTER_LIMIT = 3000;

/**
 * The network graph region: hosts the graph view from `src/graph/` and feeds it the
 * notebook's visible people and ties; the view patches itself from what changed.
 * Exposes `data-node-count` (nodes drawn) and `data-ready` (first draw done) for tests,
 * and `data-pending-intros` / `data-suggested-pairs` (dashed and dotted introduction lines).
 *
 * @fires vt-select - `detail: { id }` when a node (or the background: `null`) is clicked.
 */
export class VtGraph extends LitElement {
  static override properties = {
    selectedId: { attribute: false },
    legend: { state: true },
    suggesting: { state: true },
    positionsKey: { type: String, attribute: 'positions-key' },
    query: { type: String },
  };

  selectedId: string | null = null;
  /** The search: its matches are marked in the graph and the rest dimmed. */
  query = '';
  /** What the search marks were last computed for (view, people, query). */
  private markedFor: readonly unknown[] = [];
  /** Legend entries (one per cluster once clusters are known). */
  legend: readonly LegendItem[] = legendItems();
  positionsKey = 'vitrine-notebook';
  /** "People I could introduce" is on: suggested people emphasised, pairs drawn dotted. */
  suggesting = false;
  private view: GraphView | undefined;
  /** What the view emphasises now, to skip re-applying the same emphasis. */
  private emphasisFor: readonly unknown[] = [];
  /** What the pending/suggested line counts were taken for. */
  private linesFor: readonly unknown[] = [];
  private clusterOf: ReadonlyMap<string, string> | undefined;
  /** Colours of the clusters found on this thread (no analysis client), shared with the legend. */
  private colours: GroupColours | undefined;
  private clusterFor: unknown;
  private lastClusters: readonly ClusterLike[] | undefined;
  private idle = 0;
  private overdue: ReadonlySet<string> | undefined;
  private decoratedFor = '';
  /** The analysis (clusters, neglected ties) and its view (filter, "Without me", overview). */
  // Only new results and view changes redraw: a status change must not re-diff 10,000 nodes.
  private readonly analysis = new AnalysisController(this, ['result']);
  /** The last draw showed clusters as nodes: a tap on one filters to it. */
  private overview = false;
  private legendFor: unknown;
  private create: CreateGraphView | undefined;
  /** What the view shows: `all`, `overview` or a cluster id (each scene has its own view). */
  private scene = 'all';
  private readonly input = new NotebookController(
    this,
    (nb: Notebook) => ({
      people: listPeople(nb),
      ties: listTies(nb),
      ownerId: nb.ownerId,
      pendingIntros: pendingIntros(nb),
      // Memoised in the notebook on what it reads: computed only while the toggle is on.
      suggestions: this.suggesting ? introSuggestions(nb, { limit: 50 }) : undefined,
    }),
    (a, b) =>
      a.people === b.people &&
      a.ties === b.ties &&
      a.ownerId === b.ownerId &&
      a.pendingIntros === b.pendingIntros &&
      a.suggestions === b.suggestions,
  );

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        position: relative;
        min-height: 0;
        height: 100%;
      }
      .canvas {
        position: absolute;
        inset: 0;
      }
      .canvas:focus-visible {
        outline-offset: -2px;
      }
      vt-analysis-bar {
        position: absolute;
        top: var(--vt-space-2);
        right: var(--vt-space-2);
        left: var(--vt-space-2);
      }
      .group-note {
        position: absolute;
        right: var(--vt-space-3);
        bottom: var(--vt-space-3);
        max-width: min(20rem, calc(100% - 9rem));
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vt-space-1) var(--vt-space-2);
        padding: var(--vt-space-2) var(--vt-space-3);
        background: var(--vt-surface);
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        box-shadow: var(--vt-shadow);
        font-size: var(--vt-text-xs);
      }
      .group-note button {
        font-size: inherit;
      }
      .legend {
        position: absolute;
        left: var(--vt-space-3);
        bottom: var(--vt-space-3);
        max-width: 15rem;
        max-height: calc(100% - 2 * var(--vt-space-3));
        overflow: auto;
        background: var(--vt-surface);
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        box-shadow: var(--vt-shadow);
        font-size: var(--vt-text-xs);
      }
      summary {
        cursor: pointer;
        padding: var(--vt-space-1) var(--vt-space-3);
        font-weight: 600;
        color: var(--vt-text-muted);
      }
      .legend ul {
        list-style: none;
        margin: 0;
        padding: 0 var(--vt-space-3) var(--vt-space-2);
      }
      .legend li {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        padding: 2px 0;
      }
      .legend svg {
        flex: none;
      }
    `,
  ];

  /** What the keyboard cursor is on, read out by screen readers. */
  private announcement = '';
  /** The cluster the keyboard is on in the overview (there, nodes are clusters). */
  private cursorCluster: string | undefined;

  private readonly onKey = (e: KeyboardEvent): void => {
    const cy = this.view?.cy;
    if (!cy || e.altKey || e.ctrlKey || e.metaKey) return;
    const direction = directionOfKey(e.key);
    const current = this.overview ? this.cursorCluster : (this.selectedId ?? undefined);
    if (direction) {
      e.preventDefault();
      const point = (n: { id(): string; position(): { x: number; y: number } }): NodePoint => ({
        id: n.id(),
        ...n.position(),
      });
      const here = current ? cy.getElementById(current) : undefined;
      const drawn = () =>
        cy
          .nodes()
          .filter((n) => n.visible())
          .map(point);
      const next = navigate(
        here?.nonempty() ? point(here) : undefined,
        direction,
        () =>
          here!
            .neighborhood('node')
            .filter((n) => n.visible())
            .map(point),
        drawn,
        () => {
          const owner = this.input.nb?.ownerId;
          const ownerNode = owner ? cy.getElementById(owner) : undefined;
          if (!this.overview && ownerNode?.nonempty() && ownerNode.visible()) {
            return point(ownerNode);
          }
          const { x1, x2, y1, y2 } = cy.extent();
          return nearest(drawn(), (x1 + x2) / 2, (y1 + y2) / 2);
        },
      );
      if (next) this.moveTo(next.id);
      return;
    }
    switch (e.key) {
      case 'Enter':
        if (this.overview && current) {
          e.preventDefault();
          this.analysis.client?.view.set({ clusterId: current });
        }
        return;
      case 'Escape':
        if (!current) return;
        e.preventDefault();
        this.cursorCluster = undefined;
        this.announcement = 'Nobody selected.';
        if (this.overview) this.view?.select(null);
        else this.selectFromGraph(null);
        this.requestUpdate();
        return;
      case '+':
      case '=':
      case '-': {
        e.preventDefault();
        const { x1, x2, y1, y2 } = cy.extent();
        const level = cy.zoom() * (e.key === '-' ? 1 / 1.25 : 1.25);
        cy.zoom({ level, position: { x: (x1 + x2) / 2, y: (y1 + y2) / 2 } });
        return;
      }
      case '0':
        e.preventDefault();
        cy.fit(undefined, 24);
        return;
      default:
    }
  };

  /** Put the keyboard cursor on a node: select the person (or, in the overview, the cluster). */
  private moveTo(id: string): void {
    const cy = this.view?.cy;
    if (!cy) return;
    const node = cy.getElementById(id);
    const { x, y } = node.position();
    const { x1, x2, y1, y2, w, h } = cy.extent();
    const margin = Math.min(w, h) * 0.08;
    if (x < x1 + margin || x > x2 - margin || y < y1 + margin || y > y2 - margin) cy.center(node);
    if (this.overview) {
      this.cursorCluster = id;
      this.view?.select(id);
      const client = this.analysis.client;
      const cluster = client?.latest
        ? groupDisplay(client.latest, client.view.groupBy).groups.find((c) => c.id === id)
        : undefined;
      const nb = this.input.nb;
      const name = cluster && nb ? groupLabel(cluster, (p) => getPerson(nb, p)?.name ?? p) : id;
      this.announcement = `${name}: ${cluster?.size ?? 0} people. Enter opens the cluster.`;
    } else {
      const nb = this.input.nb;
      const person = nb ? getPerson(nb, id) : undefined;
      const ties = nb ? tiesOf(nb, id).length : 0;
      this.announcement = `${person?.name ?? id}: ${ties} ${ties === 1 ? 'tie' : 'ties'}.`;
      this.selectFromGraph(id);
    }
    this.requestUpdate();
  }

  /** The person a click or the keyboard chose in the graph, for the app to open. */
  private selectFromGraph(id: string | null): void {
    this.dispatchEvent(
      new CustomEvent('vt-select', { detail: { id }, bubbles: true, composed: true }),
    );
  }

  /** The graph view, once created (for tests and the benchmark). */
  get graphView(): GraphView | undefined {
    return this.view;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'region');
    this.setAttribute('aria-label', 'Network graph');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelIdle(this.idle);
    this.view?.destroy();
    this.view = undefined;
  }

  override render() {
    return html`<div
        class="canvas"
        part="canvas"
        tabindex="0"
        role="application"
        aria-roledescription="network graph"
        aria-label="People in the network"
        aria-describedby="graph-keys"
        @keydown=${this.onKey}
      ></div>
      <p id="graph-keys" class="visually-hidden">
        Arrow keys move to the person that way, preferring people they know; Enter opens a cluster;
        Escape clears; plus and minus zoom; 0 fits everything.
      </p>
      <p class="visually-hidden" aria-live="polite">${this.announcement}</p>
      <vt-analysis-bar
        .suggesting=${this.suggesting}
        .suggestions=${this.input.value?.suggestions ?? []}
        @vt-suggestions-toggle=${() => (this.suggesting = !this.suggesting)}
      ></vt-analysis-bar>
      ${this.renderGroupNote()}
      <details class="legend">
        <summary>Legend</summary>
        <ul>
          ${this.legend.map(
            (item) =>
              html`<li title=${item.description} data-legend=${item.id}>
                ${swatch(item)}<span>${item.label}</span>
              </li>`,
          )}
        </ul>
      </details>`;
  }

  /**
   * Issue 12: in a star-shaped notebook (most ties run through the owner) the graph offers
   * grouping by organisation (or tag), the same choice as the Clusters panel's; once
   * grouped, it says so and offers the clusters back.
   */
  private renderGroupNote() {
    const client = this.analysis.client;
    const latest = client?.latest;
    if (!client || !latest) return nothing;
    const by = client.view.groupBy;
    const offer = by === 'clusters' ? starOffer(latest) : undefined;
    if (by === 'clusters' && !offer) return nothing;
    const word = (b: 'org' | 'tag') => (b === 'org' ? 'organisation' : 'tag');
    return by === 'clusters'
      ? html`<div class="group-note" data-testid="graph-group-offer">
          <span>Most ties run through you.</span>
          <button @click=${() => client.view.set({ groupBy: offer })}>
            Group by ${word(offer!)}
          </button>
        </div>`
      : html`<div class="group-note">
          <span>Grouped by ${word(by)}.</span>
          <button @click=${() => client.view.set({ groupBy: 'clusters' })}>Show clusters</button>
        </div>`;
  }

  override async firstUpdated(): Promise<void> {
    const create = await loadGraphView();
    if (!this.isConnected) return;
    this.create = create;
    this.view = this.makeView('all');
    this.draw();
    this.view.select(this.selectedId);
    await this.view.whenLayoutDone();
    // Drawn = the frame after the layout settled; the mark is what the benchmark reads.
    await new Promise((ok) => requestAnimationFrame(ok));
    performance.mark('vitrine:graph-drawn');
    this.dataset.ready = 'true';
  }

  /**
   * A graph view for one scene; switching scenes (filter, overview, grouping) makes a new
   * one. `layer` is the grouping's own set of positions: '' for clusters, `:group:org` or
   * `:group:tag` (people laid out by organisation or tag stay where that layout put them).
   */
  private makeView(scene: string, layer = ''): GraphView {
    this.scene = `${scene}${layer}`;
    const container = this.renderRoot.querySelector('.canvas') as HTMLElement;
    const key = `${this.positionsKey}${layer}`;
    return this.create!(container, {
      // A cluster's view fits to it and adds to the whole graph's cached positions (never
      // replaces them); the overview of clusters keeps positions of its own.
      positionsKey: scene === 'overview' ? `${key}:overview` : key,
      ...(scene !== 'all' && scene !== 'overview' ? { storage: mergingPositionStore() } : {}),
      onSelect: (id) => {
        const client = this.analysis.client;
        const latest = client?.latest;
        if (
          this.overview &&
          client &&
          latest &&
          groupDisplay(latest, client.view.groupBy).groups.some((c) => c.id === id)
        ) {
          // In the overview a node is a cluster: open it in the graph, not as a person.
          client.view.set({ clusterId: id });
          return;
        }
        this.selectFromGraph(id);
      },
    });
  }

  override willUpdate(): void {
    // The legend names the largest clusters (or the groups) of the newest analysis, in the
    // colours the graph draws them with: both come from the one `groupDisplay`.
    const latest = this.analysis.latest;
    const nb = this.input.nb;
    const by = this.analysis.client?.view.groupBy ?? 'clusters';
    const display = latest ? groupDisplay(latest, by) : undefined;
    if (display && nb && display !== this.legendFor) {
      this.legendFor = display;
      this.legend = groupLegend(display, (id) => getPerson(nb, id)?.name ?? id);
      this.dataset.groupBy = display.by;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.view) return;
    this.draw();
    this.markSearch();
    if (changed.has('selectedId')) {
      this.view.select(this.selectedId);
      // For tests: who the graph shows as selected.
      if (this.selectedId) this.dataset.selected = this.selectedId;
      else delete this.dataset.selected;
    }
  }

  private draw(): void {
    const value = this.input.value;
    if (!this.view || !value) return;
    const client = this.analysis.client;
    const nb = this.input.nb;
    if (client && nb) {
      // Clusters, neglected ties, filters and the overview all come from the analysis.
      const input = analysisGraphInput(
        value,
        client.latest,
        client.view,
        (id) => getPerson(nb, id)?.name ?? id,
      );
      this.overview = input.overview;
      const scene = input.overview ? 'overview' : (client.view.clusterId ?? 'all');
      const layer = client.view.groupBy === 'clusters' ? '' : `:group:${client.view.groupBy}`;
      if (`${scene}${layer}` !== this.scene && this.create) {
        this.view.destroy();
        this.view = this.makeView(scene, layer);
        this.view.select(this.selectedId);
      }
      this.view.update({
        ...input,
        ...this.introOverlays(value, input.overview),
        // "Without me" re-lays out what remains (animated), leaving the saved picture alone.
        ...(client.view.withoutMe ? { arrangement: 'without-me' } : {}),
      });
      this.dataset.nodeCount = String(this.view.nodeCount());
      this.emphasise(
        value.suggestions,
        client.view.highlight && !input.overview ? client.latest : undefined,
      );
      this.dataset.clusters = String(new Set(input.clusterOf?.values()).size);
      this.toggleAttribute('data-overview', input.overview);
      return;
    }
    this.view.update({
      people: value.people,
      ties: value.ties,
      ...(value.ownerId ? { ownerId: value.ownerId } : {}),
      ...(this.overdue ? { overdueTieIds: this.overdue } : {}),
      ...(this.clusterOf ? { clusterOf: this.clusterOf } : {}),
      ...(this.colours ? { colours: this.colours } : {}),
      ...this.introOverlays(value, false),
    });
    this.dataset.nodeCount = String(this.view.nodeCount());
    this.emphasise(value.suggestions, undefined);
    this.scheduleDecorations();
  }

  /** The people the search finds (as the list does) marked, the rest dimmed; none: no marks. */
  private markSearch(): void {
    const view = this.view;
    const people = this.input.value?.people;
    if (!view || !people) return;
    const key = [view, people, this.query];
    if (key.every((k, i) => k === this.markedFor[i])) return;
    this.markedFor = key;
    const query = this.query.trim();
    view.mark(query ? new Set(searchPeople(people, query).map((p) => p.id)) : null);
    this.dataset.searchMatches = query ? String(view.cy?.nodes('.vt-match').length ?? 0) : '';
  }

  /** Introductions under way and (when asked for) suggested pairs, as the view draws them. */
  private introOverlays(
    value: {
      pendingIntros: GraphInput['pendingIntros'];
      suggestions?: GraphInput['suggestedPairs'];
    },
    overview: boolean,
  ): Pick<GraphInput, 'pendingIntros' | 'suggestedPairs'> {
    return overview
      ? {}
      : {
          pendingIntros: value.pendingIntros,
          ...(value.suggestions ? { suggestedPairs: value.suggestions } : {}),
        };
  }

  /**
   * Emphasise the people of the suggested pairs and, with "Brokers and bridges", the ties
   * that alone hold groups together. Also keeps the test hooks that count the lines.
   */
  private emphasise(
    suggestions: readonly IntroSuggestion[] | undefined,
    analysis:
      { readonly bridges: readonly { tieIds: readonly string[]; splitsOff: number }[] } | undefined,
  ): void {
    const view = this.view;
    if (!view) return;
    const cy = view.cy;
    // Test hooks; counting scans every edge (~30 ms at 50,000 ties), so only when what
    // decides the lines changed: a person added or edited leaves these inputs the same.
    const client = this.analysis.client;
    const linesKey = [
      view,
      this.input.value?.pendingIntros,
      suggestions,
      client?.view,
      client?.latest,
    ];
    if (!linesKey.every((k, i) => k === this.linesFor[i])) {
      this.linesFor = linesKey;
      this.dataset.pendingIntros = String(cy ? cy.edges('.vt-pending-intro').length : 0);
      this.dataset.suggestedPairs = String(cy ? cy.edges('.vt-suggested-intro').length : 0);
    }
    const key = [view, suggestions, analysis];
    if (key.every((k, i) => k === this.emphasisFor[i])) return;
    this.emphasisFor = key;
    const nodes = new Set<string>();
    for (const s of suggestions ?? []) nodes.add(s.a).add(s.b);
    const edges: string[] = [];
    // The same rule as the sizes "Brokers and bridges" gives their ends: a tie whose loss
    // cuts off one person is not a bridge between groups.
    for (const b of analysis?.bridges ?? []) if (b.splitsOff >= 2) edges.push(...b.tieIds);
    view.highlight(nodes.size || edges.length ? { nodes, edges } : null);
  }

  /**
   * Overdue ties and clusters only style the graph, and both scan every tie: they are
   * computed when the page is idle, so opening the notebook or adding a person never
   * waits for them. Touches change "overdue" too, hence the touch version in the key.
   */
  private scheduleDecorations(): void {
    const nb = this.input.nb;
    // With the analysis client, the worker provides clusters and neglected ties.
    if (!nb || this.analysis.client) return;
    const v = nb.versions;
    const key = `${v.people}/${v.ties}/${v.touches}/${v.meta}`;
    if (this.decoratedFor === key) return;
    this.decoratedFor = key;
    cancelIdle(this.idle);
    this.idle = requestIdle(async () => {
      if (!this.isConnected || this.decoratedFor !== key) return;
      const overdue = overdueTieIds(nb);
      // Same members, same object: the view then has nothing to restyle (and at 10,000
      // people a restyle costs a full redraw).
      const changed = !sameSet(this.overdue, overdue);
      if (changed) this.overdue = overdue;
      const people = this.input.value?.people.length ?? 0;
      let clustered = false;
      const clusterKey = `${v.people}/${v.ties}`;
      if (people <= CLUSTER_LIMIT && clusterKey !== this.clusterFor) {
        this.clusterFor = clusterKey;
        // Louvain is its own chunk: the first draw never waits for it.
        const { clusters } = await import('../../analysis/clusters.ts');
        if (this.decoratedFor !== key) return;
        const snapshot = graphSnapshot(nb);
        // Passing the previous clusters keeps their ids (and so their colours) stable.
        const result = clusters(snapshot, this.lastClusters ? { previous: this.lastClusters } : {});
        this.lastClusters = result.clusters;
        this.clusterOf = new Map(Object.entries(result.assignment));
        // One colour assignment over every cluster, for the nodes and the legend alike.
        this.colours = assignClusterColors(result.clusters.map((c) => c.id));
        clustered = true;
        const { suggestClusterName } = await import('../../analysis/naming.ts');
        // The legend names the largest clusters by what their members share.
        this.legend = legendItems(
          result.clusters.slice(0, 8).map((c) => ({
            id: c.id,
            name: suggestClusterName(snapshot, c.members)?.name ?? `Cluster of ${c.members.length}`,
          })),
          this.colours,
        );
      }
      if (changed || clustered) this.draw();
    });
  }
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): boolean {
  if (!a || a.size !== b.size) return false;
  for (const x of b) if (!a.has(x)) return false;
  return true;
}

/** A small SVG sample of what a legend entry describes. */
function swatch(item: LegendItem) {
  const s = item.swatch;
  if (s.kind === 'line') {
    return svg`<svg width="28" height="12" aria-hidden="true"><line x1="2" y1="6" x2="26" y2="6" stroke=${s.color} stroke-width=${s.width} stroke-dasharray=${s.dotted ? '1.5 2.5' : s.dashed ? '4 3' : 'none'} /></svg>`;
  }
  if (s.kind === 'palette') {
    return svg`<svg width="28" height="12" aria-hidden="true">${s.colors
      .slice(0, 6)
      .map((c, i) => svg`<rect x=${1 + i * 4.5} y="2" width="4" height="8" fill=${c} />`)}</svg>`;
  }
  const r = Math.min(6, s.size / 2);
  return svg`<svg width="28" height="14" aria-hidden="true">${
    s.shape === 'diamond'
      ? svg`<polygon points="14,${7 - r} ${14 + r},7 14,${7 + r} ${14 - r},7" fill=${s.color} stroke=${s.border ?? 'none'} stroke-width="1.5" />`
      : svg`<circle cx="14" cy="7" r=${r} fill=${s.color} stroke=${s.border ?? 'none'} />`
  }</svg>`;
}

function requestIdle(fn: () => void): number {
  return typeof requestIdleCallback === 'function'
    ? requestIdleCallback(fn, { timeout: 2000 })
    : (setTimeout(fn, 200) as unknown as number);
}

function cancelIdle(handle: number): void {
  if (typeof cancelIdleCallback === 'function') cancelIdleCallback(handle);
  else clearTimeout(handle);
}

customElements.define('vt-graph', VtGraph);

declare global {
  interface HTMLElementTagNameMap {
    'vt-graph': VtGraph;
  }
}
