/**
 * The adapter between the model's visible people and ties and one Cytoscape instance.
 * It owns the diff (by object identity: the model's selectors return the same object for
 * an unchanged entity), the position cache, layouts and selection highlighting. It never
 * creates Cytoscape itself — `createCy` does, with a container in the browser
 * (`graph-view.ts`) or headless in Node (`headless.ts`) — so the same code is tested in
 * Node and drawn in the browser.
 */
import type { Core, ElementDefinition, NodeSingular, Collection } from 'cytoscape';
import type { Person, Tie } from '../model/index.ts';
import {
  assignClusterColors,
  clusterColor,
  degreeImportance,
  degrees,
  edgeData,
  nodeData,
  overlayData,
  roundImportance,
  sameData,
  type EdgeData,
  type NodeData,
  type OverlayData,
} from './elements.ts';
import {
  loadPositions,
  extentOf,
  placeNearNeighbours,
  savePositions,
  spiralPoint,
  type Point,
  type PositionStorage,
} from './positions.ts';
import { mainThreadRunner, type LayoutRunner } from './layout.ts';
import { LARGE_GRAPH } from './style.ts';

/** What the view draws: the visible people and ties and what styles them. */
export interface GraphInput {
  /** Visible people (model objects; the same object for an unchanged person). */
  readonly people: readonly Person[];
  /** Visible ties; a tie whose end is not among `people` is not drawn. */
  readonly ties: readonly Tie[];
  readonly ownerId?: string;
  /** Ties drawn as neglected. */
  readonly overdueTieIds?: ReadonlySet<string>;
  /** personId → cluster id, for colour. */
  readonly clusterOf?: ReadonlyMap<string, string>;
  /** personId → 0..1, for node size (default: from degree). */
  readonly importance?: ReadonlyMap<string, number>;
  /**
   * Introductions under way (idea, asked A, asked B): drawn as dashed violet lines between
   * the two people. They are not ties: no layout, degree or importance counts them.
   */
  readonly pendingIntros?: readonly PendingIntro[];
  /** Pairs the owner could introduce: drawn dotted, and like pending ones never laid out. */
  readonly suggestedPairs?: readonly { readonly a: string; readonly b: string }[];
}

/** An introduction under way, as the graph draws it. */
export interface PendingIntro {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly state: string;
}

/** Elements to emphasise with {@link GraphView.highlight}. */
export interface GraphHighlight {
  readonly nodes?: Iterable<string>;
  readonly edges?: Iterable<string>;
}

/** The graph view the app mounts (see `createGraphView`). */
export interface GraphView {
  /**
   * Show `input`. Diffs it against the previous input by object identity and patches
   * only what changed inside one `cy.batch()`; never a full rebuild for a small change.
   */
  update(input: GraphInput): void;
  /** Highlight a person and their ties and pan to them gently; does not call `onSelect`. */
  select(id: string | null): void;
  /**
   * Emphasise some people (by person id) and ties (by tie id) — a class toggle inside one
   * `cy.batch()`, no data change, no rebuild; `null` clears it. Kept across updates, so
   * an element added later that is named here is emphasised too.
   */
  highlight(ids: GraphHighlight | null): void;
  /** Number of nodes drawn. */
  nodeCount(): number;
  /** Resolves when no layout is running (at once when none is). */
  whenLayoutDone(): Promise<void>;
  /** Stop drawing, save positions, end the layout worker. */
  destroy(): void;
  /** The Cytoscape instance, once the first update created it (for tests and benches). */
  readonly cy?: Core;
  /** Counters a test or bench can read. */
  readonly stats?: GraphStats;
}

/** What the adapter has done, for tests and benches. */
export interface GraphStats {
  /** Full layouts started. */
  layouts: number;
  /** Times the Cytoscape instance was (re)built with every element. */
  builds: number;
  /** Nodes placed near their neighbours instead of by a layout. */
  placedNearNeighbours: number;
}

/** Options every graph view takes. */
export interface GraphViewOptions {
  /** Called when the user taps a person (their id) or the background (`null`). */
  onSelect(personId: string | null): void;
  /** Storage key of this notebook's cached positions on this device. */
  positionsKey?: string;
  /** Where positions are cached; defaults to `localStorage` when there is one. */
  storage?: PositionStorage;
}

/** How the adapter gets its Cytoscape instance and runs layouts. */
export interface AdapterOptions extends GraphViewOptions {
  /** Create the instance with these elements; `large` selects the large-graph settings. */
  createCy(init: { elements: ElementDefinition[]; large: boolean }): Core;
  /** Defaults to running layouts on the calling thread. */
  layoutRunner?: LayoutRunner;
  /** Whether the instance draws (pan/fit/animate only make sense then). */
  rendered?: boolean;
  /** Debounce of position saves after drags and placements. */
  saveDelayMs?: number;
}

/** When a bulk change adds more than this share of the graph, a full layout runs. */
const RELAYOUT_SHARE = 0.25;
/** ...but never for fewer new people than this: they are placed near their neighbours. */
const RELAYOUT_MIN = 20;

const NODE_KEYS = ['label', 'importance', 'color', 'cluster', 'owner', 'underGlass'] as const;
const EDGE_KEYS = ['strength', 'overdue', 'intro'] as const;
const OVERLAY_KEYS = ['state'] as const;
/** Class of every edge that is not a tie (pending or suggested introductions). */
const OVERLAY_CLASS = 'vt-overlay';
/** Class of elements emphasised by `highlight()`. */
const EMPHASIS_CLASS = 'vt-hl';

/** Build a graph view on top of `options.createCy`. */
export function createGraphAdapter(options: AdapterOptions): GraphView {
  return new Adapter(options);
}

class Adapter implements GraphView {
  cy: Core | undefined;
  readonly stats: GraphStats = { layouts: 0, builds: 0, placedNearNeighbours: 0 };
  private readonly opts: AdapterOptions;
  private readonly runner: LayoutRunner;
  private readonly storage: PositionStorage | undefined;
  private large = false;
  private lastInput: GraphInput | undefined;
  private people = new Map<string, Person>();
  private nodeDatas = new Map<string, NodeData>();
  private ties = new Map<string, Tie>();
  private edgeDatas = new Map<string, EdgeData>();
  /** Pending and suggested introductions drawn, by edge id. */
  private overlayDatas = new Map<string, OverlayData>();
  private emphasis: { nodes: Set<string>; edges: Set<string> } | undefined;
  private emphasised: Collection | undefined;
  private layoutRun: Promise<void> | undefined;
  private layoutSeq = 0;
  /** Nodes added while a layout ran: the layout does not know them. */
  private addedDuringLayout = new Set<string>();
  private selected: string | null = null;
  private highlighted: Collection | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private endGone: () => void = () => {};
  /** Settles when the view is destroyed (see `whenLayoutDone`). */
  private readonly gone = new Promise<void>((ok) => (this.endGone = ok));

  constructor(opts: AdapterOptions) {
    this.opts = opts;
    this.runner = opts.layoutRunner ?? mainThreadRunner();
    this.storage =
      opts.storage ??
      (typeof globalThis.localStorage !== 'undefined' ? globalThis.localStorage : undefined);
  }

  update(input: GraphInput): void {
    if (this.destroyed) return;
    // The model memoises its lists per collection version: a re-render after an edit
    // elsewhere (a touch, an intro) passes the very same arrays, so nothing can differ.
    const last = this.lastInput;
    if (
      last &&
      this.cy &&
      last.people === input.people &&
      last.ties === input.ties &&
      last.ownerId === input.ownerId &&
      last.overdueTieIds === input.overdueTieIds &&
      last.clusterOf === input.clusterOf &&
      last.importance === input.importance
    ) {
      if (
        last.pendingIntros === input.pendingIntros &&
        last.suggestedPairs === input.suggestedPairs
      ) {
        return;
      }
      // Only introduction lines changed: no person or tie needs a look (at 10,000 people
      // that diff is most of an update's cost).
      this.lastInput = input;
      const overlays = this.overlaysOf(input, this.people);
      this.patchOverlays(overlays);
      this.overlayDatas = overlays;
      if (this.emphasis) this.applyEmphasis();
      return;
    }
    if (input.clusterOf !== last?.clusterOf) assignClusterColors(input.clusterOf?.values() ?? []);
    this.lastInput = input;
    const people = new Map<string, Person>();
    for (const p of input.people) people.set(p.id, p);
    const deg = input.importance ? undefined : degrees(input.people, input.ties);
    const nodes = new Map<string, NodeData>();
    for (const p of input.people) {
      const prev = this.nodeDatas.get(p.id);
      const importance = roundImportance(
        input.importance?.get(p.id) ?? degreeImportance(deg?.get(p.id) ?? 0),
      );
      const cluster = input.clusterOf?.get(p.id);
      const owner = p.id === input.ownerId;
      // Same person object and same derived values: reuse the data without allocating,
      // which keeps a one-person edit at 10,000 people cheap.
      if (
        prev &&
        this.people.get(p.id) === p &&
        prev.importance === importance &&
        prev.cluster === (cluster ?? '') &&
        prev.owner === (owner ? 1 : 0) &&
        (owner || prev.color === clusterColor(cluster))
      ) {
        nodes.set(p.id, prev);
        continue;
      }
      const next = nodeData(p, { importance, cluster, owner });
      // Keep the previous object when nothing changed, so the next diff is cheap too.
      nodes.set(p.id, prev && sameData(prev, next) ? prev : next);
    }
    const overdue = input.overdueTieIds;
    const ties = new Map<string, Tie>();
    const edges = new Map<string, EdgeData>();
    for (const t of input.ties) {
      if (!people.has(t.from) || !people.has(t.to) || t.from === t.to) continue;
      const isOverdue = overdue?.has(t.id) ?? false;
      const prevTie = this.ties.get(t.id);
      const prev = this.edgeDatas.get(t.id);
      ties.set(t.id, t);
      if (prev && prevTie === t && (prev.overdue === 1) === isOverdue) {
        edges.set(t.id, prev);
        continue;
      }
      const next = edgeData(t, isOverdue);
      edges.set(t.id, prev && sameData(prev, next) ? prev : next);
    }

    const overlays = this.overlaysOf(input, people);

    if (!this.cy) this.build(nodes, edges, overlays);
    else if (!this.large && nodes.size > LARGE_GRAPH) {
      // Crossing into the large-graph settings needs renderer options that are fixed at
      // creation (pixel ratio, texture on viewport): rebuild once, keeping positions.
      this.rebuildLarge(nodes, edges, overlays);
    } else {
      this.patch(nodes, edges);
      this.patchOverlays(overlays);
    }

    this.people = people;
    this.ties = ties;
    this.nodeDatas = nodes;
    this.edgeDatas = edges;
    this.overlayDatas = overlays;
    if (this.selected !== null) this.markSelected(this.selected);
    if (this.emphasis) this.applyEmphasis();
  }

  /**
   * Edge data of the pending and suggested introductions whose two people are drawn,
   * reusing the previous object when nothing changed (the same cheap diff as ties).
   */
  private overlaysOf(input: GraphInput, people: ReadonlyMap<string, Person>) {
    const out = new Map<string, OverlayData>();
    const add = (next: OverlayData) => {
      if (!people.has(next.source) || !people.has(next.target) || next.source === next.target) {
        return;
      }
      const prev = this.overlayDatas.get(next.id);
      out.set(next.id, prev && sameData(prev, next) ? prev : next);
    };
    for (const i of input.pendingIntros ?? []) add(overlayData('pending', i.id, i.a, i.b, i.state));
    for (const s of input.suggestedPairs ?? []) {
      const [a, b] = s.a < s.b ? [s.a, s.b] : [s.b, s.a];
      add(overlayData('suggested', `${a}|${b}`, a, b, ''));
    }
    return out;
  }

  /** Remove, add and re-data the overlay edges that changed, in one batch. */
  private patchOverlays(next: Map<string, OverlayData>): void {
    const cy = this.cy!;
    const gone: string[] = [];
    for (const [id, prev] of this.overlayDatas) {
      const n = next.get(id);
      if (!n || n.source !== prev.source || n.target !== prev.target) gone.push(id);
    }
    const added: OverlayData[] = [];
    const changed: [string, Partial<OverlayData>][] = [];
    for (const [id, n] of next) {
      const prev = this.overlayDatas.get(id);
      if (!prev || prev.source !== n.source || prev.target !== n.target) added.push(n);
      else if (prev !== n) changed.push([id, changedKeys(prev, n, OVERLAY_KEYS)]);
    }
    if (!gone.length && !added.length && !changed.length) return;
    cy.batch(() => {
      if (gone.length) {
        const col = cy.collection();
        for (const id of gone) col.merge(cy.getElementById(id));
        cy.remove(col);
      }
      if (added.length) cy.add(added.map(overlayElement));
      for (const [id, change] of changed) cy.getElementById(id).data(change);
    });
  }

  highlight(ids: GraphHighlight | null): void {
    this.emphasis = ids
      ? { nodes: new Set(ids.nodes ?? []), edges: new Set(ids.edges ?? []) }
      : undefined;
    this.applyEmphasis();
  }

  /** Move the emphasis class to the elements named by `this.emphasis` (one batch). */
  private applyEmphasis(): void {
    const cy = this.cy;
    if (!cy) return;
    const want = this.emphasis;
    cy.batch(() => {
      const col = cy.collection();
      if (want) {
        for (const id of want.nodes) {
          const n = cy.getElementById(id);
          if (n.nonempty() && n.isNode()) col.merge(n);
        }
        for (const id of want.edges) {
          const e = cy.getElementById(id);
          if (e.nonempty() && e.isEdge()) col.merge(e);
        }
      }
      // Only the difference changes class: re-applying the same emphasis after an
      // unrelated update restyles nothing.
      if (this.emphasised) this.emphasised.difference(col).removeClass(EMPHASIS_CLASS);
      col.addClass(EMPHASIS_CLASS);
      this.emphasised = col.nonempty() ? col : undefined;
    });
  }

  /** First draw: one Cytoscape instance with every element, at cached positions if any. */
  private build(
    nodes: Map<string, NodeData>,
    edges: Map<string, EdgeData>,
    overlays: Map<string, OverlayData>,
    cached = loadPositions(this.storage, this.opts.positionsKey),
  ): void {
    const known = new Map<string, Point>();
    const missing: string[] = [];
    for (const id of nodes.keys()) {
      const p = cached.get(id);
      if (p) known.set(id, p);
      else missing.push(id);
    }
    const relayout = missing.length > 0 && needsLayout(missing.length, nodes.size, known.size);
    const positions = relayout
      ? placeholderPositions(nodes.keys())
      : this.placeMissing(missing, known, edges);
    this.large = nodes.size > LARGE_GRAPH;
    this.cy = this.opts.createCy({
      large: this.large,
      elements: [
        ...toElements(nodes, edges, positions),
        ...[...overlays.values()].map(overlayElement),
      ],
    });
    this.stats.builds++;
    this.listen(this.cy);
    if (relayout) this.startLayout();
    else if (missing.length) this.scheduleSave();
    if (!relayout && this.opts.rendered && nodes.size) fitCapped(this.cy);
  }

  private rebuildLarge(
    nodes: Map<string, NodeData>,
    edges: Map<string, EdgeData>,
    overlays: Map<string, OverlayData>,
  ): void {
    const old = this.cy!;
    const positions = new Map<string, Point>();
    old.nodes().forEach((n) => {
      positions.set(n.id(), { ...n.position() });
    });
    old.destroy();
    this.highlighted = undefined;
    this.emphasised = undefined;
    this.cy = undefined;
    // While the first layout is still running the positions are placeholders: lay out anew.
    this.build(nodes, edges, overlays, this.layoutRun ? new Map() : positions);
  }

  /** A later update: remove, add and re-data only what changed, in one batch. */
  private patch(nodes: Map<string, NodeData>, edges: Map<string, EdgeData>): void {
    const cy = this.cy!;
    const removeIds: string[] = [];
    for (const id of this.nodeDatas.keys()) if (!nodes.has(id)) removeIds.push(id);
    for (const [id, prev] of this.edgeDatas) {
      const next = edges.get(id);
      // Cytoscape edges cannot change ends in place; a tie re-pointed by a merge is re-added.
      if (!next || next.source !== prev.source || next.target !== prev.target) {
        removeIds.push(id);
      }
    }
    const addedNodes: string[] = [];
    const nodeChanges: [string, Partial<NodeData>][] = [];
    for (const [id, next] of nodes) {
      const prev = this.nodeDatas.get(id);
      if (!prev) addedNodes.push(id);
      else if (prev !== next) nodeChanges.push([id, changedKeys(prev, next, NODE_KEYS)]);
    }
    const addedEdges: EdgeData[] = [];
    const edgeChanges: [string, Partial<EdgeData>][] = [];
    for (const [id, next] of edges) {
      const prev = this.edgeDatas.get(id);
      if (!prev || prev.source !== next.source || prev.target !== next.target) {
        addedEdges.push(next);
      } else if (prev !== next) edgeChanges.push([id, changedKeys(prev, next, EDGE_KEYS)]);
    }
    if (!removeIds.length && !addedNodes.length && !addedEdges.length) {
      if (!nodeChanges.length && !edgeChanges.length) return;
    }

    const bulk =
      addedNodes.length > RELAYOUT_MIN && addedNodes.length > nodes.size * RELAYOUT_SHARE;
    let positions = new Map<string, Point>();
    if (addedNodes.length && !bulk) {
      const known = new Map<string, Point>();
      const neighbours = adjacencyOf(new Set(addedNodes), edges);
      for (const list of neighbours.values()) {
        for (const nb of list) {
          if (known.has(nb)) continue;
          const n = cy.getElementById(nb);
          if (n.nonempty() && n.isNode()) known.set(nb, { ...n.position() });
        }
      }
      // The extent from positions only: boundingBox() would measure every label.
      const extent = () => extentOf(cy.nodes().map((n) => n.position()));
      positions = placeNearNeighbours(
        addedNodes,
        (id) => neighbours.get(id) ?? [],
        known,
        40,
        extent,
      );
      this.stats.placedNearNeighbours += positions.size;
    } else if (bulk) {
      positions = placeholderPositions(addedNodes);
    }

    cy.batch(() => {
      if (removeIds.length) {
        // merge() grows one collection in place; union() would copy it on every id.
        const gone = cy.collection();
        for (const id of removeIds) gone.merge(cy.getElementById(id));
        cy.remove(gone);
      }
      const add: ElementDefinition[] = [];
      for (const id of addedNodes) {
        add.push({ group: 'nodes', data: { ...nodes.get(id)! }, position: positions.get(id) });
      }
      for (const e of addedEdges) add.push({ group: 'edges', data: { ...e } });
      if (add.length) cy.add(add);
      for (const [id, change] of nodeChanges) cy.getElementById(id).data(change);
      for (const [id, change] of edgeChanges) cy.getElementById(id).data(change);
    });

    if (bulk) this.startLayout();
    else if (addedNodes.length) {
      if (this.layoutRun) for (const id of addedNodes) this.addedDuringLayout.add(id);
      this.scheduleSave();
    }
  }

  private placeMissing(
    missing: readonly string[],
    known: Map<string, Point>,
    edges: Map<string, EdgeData>,
  ): Map<string, Point> {
    if (!missing.length) return known;
    const neighbours = adjacencyOf(new Set(missing), edges);
    const placed = placeNearNeighbours(missing, (id) => neighbours.get(id) ?? [], known);
    this.stats.placedNearNeighbours += placed.size;
    return known;
  }

  private startLayout(): void {
    const cy = this.cy!;
    const seq = ++this.layoutSeq;
    this.stats.layouts++;
    this.addedDuringLayout.clear();
    const nodes = cy.nodes().map((n) => n.id());
    // Introductions under way or suggested are not ties: they must not pull people together.
    const edges = cy
      .edges()
      .not(`.${OVERLAY_CLASS}`)
      .map(
        (e) =>
          [
            e.data('source') as string,
            e.data('target') as string,
            e.data('strength') as number,
          ] as const,
      );
    const run = this.runner
      .run({ nodes, edges })
      .then((res) => {
        // A newer layout (or destroy) superseded this one: its positions are stale.
        if (seq !== this.layoutSeq || this.destroyed || this.cy !== cy) return;
        cy.batch(() => {
          for (let i = 0; i < res.ids.length; i++) {
            const n = cy.getElementById(res.ids[i]!);
            if (n.nonempty()) n.position({ x: res.xy[2 * i]!, y: res.xy[2 * i + 1]! });
          }
        });
        this.replaceLate(cy);
        if (this.opts.rendered) fitCapped(cy);
        this.saveNow();
      })
      .catch((err: unknown) => {
        // The graph stays drawn at its placeholder positions; the next open tries again.
        console.warn('Vitrine: the graph layout failed', err);
      })
      .finally(() => {
        if (this.layoutRun === run) this.layoutRun = undefined;
      });
    this.layoutRun = run;
  }

  /** People added while the layout ran go next to their (now laid out) neighbours. */
  private replaceLate(cy: Core): void {
    if (!this.addedDuringLayout.size) return;
    const late = [...this.addedDuringLayout].filter((id) => cy.getElementById(id).nonempty());
    this.addedDuringLayout.clear();
    const lateSet = new Set(late);
    const known = new Map<string, Point>();
    cy.nodes().forEach((n) => {
      if (!lateSet.has(n.id())) known.set(n.id(), { ...n.position() });
    });
    const neighbours = adjacencyOf(lateSet, this.edgeDatas);
    const placed = placeNearNeighbours(late, (id) => neighbours.get(id) ?? [], known);
    cy.batch(() => {
      for (const [id, p] of placed) cy.getElementById(id).position(p);
    });
  }

  select(id: string | null): void {
    this.selected = id;
    if (!this.cy) return;
    this.markSelected(id);
    if (id !== null && this.opts.rendered) this.centerGently(id);
  }

  private markSelected(id: string | null): void {
    const cy = this.cy;
    if (!cy) return;
    const node = id === null ? undefined : cy.getElementById(id);
    const target = node && node.nonempty() ? node : undefined;
    cy.batch(() => {
      if (this.highlighted) {
        this.highlighted.removeClass('vt-selected vt-near');
        this.highlighted = undefined;
      }
      if (!target) return;
      const near = target.neighborhood();
      target.addClass('vt-selected');
      near.addClass('vt-near');
      this.highlighted = near.union(target);
    });
  }

  /** Pan (never zoom) so the person is in view; only when they are near the edge or out. */
  private centerGently(id: string): void {
    const cy = this.cy!;
    const node = cy.getElementById(id) as NodeSingular;
    if (node.empty()) return;
    const p = node.renderedPosition();
    const w = cy.width();
    const h = cy.height();
    const inside = p.x > w * 0.15 && p.x < w * 0.85 && p.y > h * 0.15 && p.y < h * 0.85;
    if (inside) return;
    if (this.large) cy.center(node);
    else {
      cy.stop(true);
      cy.animate({ center: { eles: node } }, { duration: 250, easing: 'ease-in-out-sine' });
    }
  }

  nodeCount(): number {
    // The applied node data mirrors the drawn nodes; `cy.nodes()` would scan ~60k elements.
    return this.cy ? this.nodeDatas.size : 0;
  }

  whenLayoutDone(): Promise<void> {
    // A view destroyed mid-layout (e.g. the app switched scenes) ends its worker, whose
    // pending run then never settles: whoever waits must not wait forever.
    return this.layoutRun ? Promise.race([this.layoutRun, this.gone]) : Promise.resolve();
  }

  destroy(): void {
    if (this.destroyed) return;
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saveNow();
    }
    this.destroyed = true;
    this.endGone();
    this.layoutSeq++;
    this.runner.dispose();
    this.cy?.destroy();
    this.cy = undefined;
  }

  private listen(cy: Core): void {
    cy.on('tap', 'node', (e) => {
      const id = (e.target as NodeSingular).id();
      this.selected = id;
      this.markSelected(id);
      this.opts.onSelect(id);
    });
    cy.on('tap', (e) => {
      if (e.target !== cy) return;
      this.selected = null;
      this.markSelected(null);
      this.opts.onSelect(null);
    });
    cy.on('dragfree', 'node', () => this.scheduleSave());
  }

  private scheduleSave(): void {
    if (!this.opts.positionsKey || this.destroyed) return;
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, this.opts.saveDelayMs ?? 800);
  }

  private saveNow(positions?: Map<string, Point>): void {
    if (!this.opts.positionsKey) return;
    if (!positions) {
      positions = new Map();
      const map = positions;
      this.cy?.nodes().forEach((n) => {
        map.set(n.id(), n.position());
      });
    }
    savePositions(this.storage, this.opts.positionsKey, positions);
  }
}

/** Whether a first draw with this much of the cache missing should run a full layout. */
function needsLayout(missing: number, total: number, cached: number): boolean {
  if (cached === 0) return true;
  return missing > RELAYOUT_MIN && missing > total * RELAYOUT_SHARE;
}

/** Sunflower-spiral placeholders shown until the first layout lands. */
function placeholderPositions(ids: Iterable<string>): Map<string, Point> {
  const out = new Map<string, Point>();
  let i = 0;
  for (const id of ids) out.set(id, spiralPoint(i++, 0, 0, 30));
  return out;
}

/** Neighbour lists of the given nodes only (one pass over the edges). */
function adjacencyOf(of: ReadonlySet<string>, edges: Map<string, EdgeData>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const push = (a: string, b: string) => {
    let list = out.get(a);
    if (!list) out.set(a, (list = []));
    list.push(b);
  };
  for (const e of edges.values()) {
    if (of.has(e.source)) push(e.source, e.target);
    if (of.has(e.target)) push(e.target, e.source);
  }
  return out;
}

function changedKeys<T extends object, K extends keyof T>(
  prev: T,
  next: T,
  keys: readonly K[],
): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (prev[k] !== next[k]) out[k] = next[k];
  return out;
}

function toElements(
  nodes: Map<string, NodeData>,
  edges: Map<string, EdgeData>,
  positions: Map<string, Point>,
): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const [id, d] of nodes) {
    out.push({ group: 'nodes', data: { ...d }, position: positions.get(id) ?? { x: 0, y: 0 } });
  }
  for (const d of edges.values()) out.push({ group: 'edges', data: { ...d } });
  return out;
}

/** An overlay edge as Cytoscape takes it: its kind is a class, so styles select on it. */
function overlayElement(d: OverlayData): ElementDefinition {
  return {
    group: 'edges',
    data: { ...d },
    classes: `${OVERLAY_CLASS} ${d.kind === 'pending' ? 'vt-pending-intro' : 'vt-suggested-intro'}`,
  };
}

/** Largest zoom a fit may choose: a notebook of one or two people should not fill the screen. */
const FIT_MAX_ZOOM = 1.5;

/** Fit the whole graph with a margin, but never zoom in past {@link FIT_MAX_ZOOM}. */
function fitCapped(cy: Core): void {
  cy.fit(undefined, 30);
  if (cy.zoom() > FIT_MAX_ZOOM) {
    cy.zoom(FIT_MAX_ZOOM);
    cy.center();
  }
}
