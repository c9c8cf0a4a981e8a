/**
 * The adapter between the model's visible people and ties and one Cytoscape instance.
 * It owns the diff (by object identity: the model's selectors return the same object for
 * an unchanged entity), the position cache, layouts and selection highlighting. It never
 * creates Cytoscape itself — `createCy` does, with a container in the browser
 * (`graph-view.ts`) or headless in Node (`headless.ts`) — so the same code is tested in
 * Node and drawn in the browser.
 */
import type {
  Core,
  ElementDefinition,
  NodeSingular,
  Collection,
  SingularElementArgument,
} from 'cytoscape';
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
import { fastDrawOf, type FastDraw } from './fast-add.ts';
import { SelectionOverlay, type OverlayState } from './selection-overlay.ts';
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
  /**
   * Resolves when the view has no drawing work left for when the page is idle: nothing
   * added recently still waits to be folded into the main drawing, and a large drawn
   * graph's cached drawing is complete again (so the next added person shows in a frame
   * or two). At once for headless and small views. For tests and benches: a user's session
   * reaches the same state on its own by idling.
   */
  whenSettled(): Promise<void>;
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
  /** Whether this view can draw small additions on the fast path (large, drawn, canvas). */
  fastPath: boolean;
  /** Updates whose additions were drawn on the fast path (see `fast-add.ts`). */
  fastAdds: number;
  /** Times the fast path's deferred work was folded back into the main drawing. */
  folds: number;
  /** Times the cached drawing was queued for a rebuild when idle. */
  primes: number;
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
/** Classes of the selected person and of their ties and neighbours. */
const SELECTED_CLASS = 'vt-selected';
const NEAR_CLASS = 'vt-near';

/** The fast path takes an update that adds at most this many elements... */
const FAST_ADD_MAX = 50;
/** ...while at most this many elements wait on the drag canvas to be folded back. */
const FAST_PENDING_MAX = 500;
/** Quiet time after the last fast add before its deferred work is folded back. */
const FOLD_QUIET_MS = 1000;
/** Delay before checking the cached drawing after a frame was drawn. */
const SETTLE_POLL_MS = 300;
/**
 * Checks in a row without a frame drawn before polling stops until the next frame: a
 * hidden graph (another tab on a phone) draws nothing, so its cache never completes.
 */
const MAX_IDLE_SETTLE_POLLS = 100;

/** Build a graph view on top of `options.createCy`. */
export function createGraphAdapter(options: AdapterOptions): GraphView {
  return new Adapter(options);
}

class Adapter implements GraphView {
  cy: Core | undefined;
  readonly stats: GraphStats = {
    layouts: 0,
    builds: 0,
    placedNearNeighbours: 0,
    fastPath: false,
    fastAdds: 0,
    folds: 0,
    primes: 0,
  };
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
  /** Elements that carry the selection classes now (by element object). */
  private selectedEles = new Set<SingularElementArgument>();
  private nearEles = new Set<SingularElementArgument>();
  /** Cytoscape internals for drawing small additions fast (large drawn canvas graphs). */
  private fast: FastDraw | undefined;
  /**
   * Where the fast path applies (a large drawn canvas graph), the selection is drawn over
   * the graph instead of as classes, which would invalidate Cytoscape's cached drawing of
   * every element on each click (see `selection-overlay.ts`).
   */
  private overlay: SelectionOverlay | undefined;
  /** Elements drawn on the drag canvas since the last fold. */
  private onDragLayer: Collection | undefined;
  /** Node data changes held back until the fold (importance of existing neighbours). */
  private deferredData = new Map<string, Partial<NodeData>>();
  private foldTimer: ReturnType<typeof setTimeout> | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Settle checks since the last frame drawn (see MAX_IDLE_SETTLE_POLLS). */
  private settlePolls = 0;
  private settled = true;
  private settleWaiters: (() => void)[] = [];
  private unlistenFast: () => void = () => {};
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
    this.setUpFast(this.cy);
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
    this.tearDownFast();
    old.destroy();
    this.selectedEles.clear();
    this.nearEles.clear();
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

    const fast = this.fastAddable(
      bulk,
      removeIds,
      addedNodes,
      addedEdges,
      nodeChanges,
      edgeChanges,
    );
    // Anything else first puts back what earlier fast adds left on the drag canvas.
    if (!fast) this.fold();
    const zBefore = fast?.zOrder() ?? null;
    let added: Collection | undefined;
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
      if (add.length) added = cy.add(add);
      if (fast && added) {
        // Drawn on the drag canvas: the node canvas keeps its cached drawing of everyone
        // else, so this frame is that drawing plus these few elements.
        fast.toDragLayer(added);
        this.onDragLayer!.merge(added);
      }
      for (const [id, change] of nodeChanges) {
        const n = cy.getElementById(id);
        // A neighbour's new size would invalidate the cached drawing: it waits for the
        // fold (up to about a second of idle time; see `scheduleFold`).
        if (fast && !fast.inDragLayer(n)) {
          this.deferredData.set(id, { ...this.deferredData.get(id), ...change });
        } else n.data(change);
      }
      for (const [id, change] of edgeChanges) cy.getElementById(id).data(change);
    });
    if (fast && added) {
      fast.spliceZOrder(zBefore, added);
      this.stats.fastAdds++;
      this.scheduleFold();
    }

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
      .run({
        nodes,
        edges,
        ...(this.lastInput?.ownerId ? { center: this.lastInput.ownerId } : {}),
      })
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
    // A large drawn graph (the fast path's) shows the selection over its drawing, which
    // leaves every element — and so Cytoscape's cached drawing — as it is.
    if (this.overlay) {
      this.overlay.show(id);
      return;
    }
    const node = id === null ? undefined : cy.getElementById(id);
    this.applySelection(node && node.nonempty() ? node : undefined);
  }

  /**
   * Move the selection classes to `target` and its neighbourhood, changing only elements
   * whose classes differ (re-marking the same selection after an update restyles nothing)
   * and, of those, only the ones `may` allows. Returns whether any change was held back.
   */
  private applySelection(target: SingularElementArgument | undefined): void {
    const cy = this.cy!;
    const wantSel = new Set<SingularElementArgument>(target ? [target] : []);
    const wantNear = new Set<SingularElementArgument>();
    if (target) target.neighborhood().forEach((e) => void wantNear.add(e));
    const diff = (have: Set<SingularElementArgument>, want: Set<SingularElementArgument>) => {
      const off = cy.collection();
      const on = cy.collection();
      for (const e of have) {
        if (e.removed()) have.delete(e);
        else if (!want.has(e)) {
          off.merge(e);
          have.delete(e);
        }
      }
      for (const e of want) {
        if (have.has(e)) continue;
        on.merge(e);
        have.add(e);
      }
      return { off, on };
    };
    const sel = diff(this.selectedEles, wantSel);
    const near = diff(this.nearEles, wantNear);
    if (sel.off.nonempty() || sel.on.nonempty() || near.off.nonempty() || near.on.nonempty()) {
      cy.batch(() => {
        sel.off.removeClass(SELECTED_CLASS);
        near.off.removeClass(NEAR_CLASS);
        sel.on.addClass(SELECTED_CLASS);
        near.on.addClass(NEAR_CLASS);
      });
    }
  }

  /** Fast-path work waits to be folded back into the main drawing. */
  private pendingFold(): boolean {
    return (this.onDragLayer?.nonempty() ?? false) || this.deferredData.size > 0;
  }

  /**
   * Whether this update can take the fast path: a large drawn canvas graph whose update
   * only adds a few elements and otherwise changes only the size (importance) of existing
   * people, or anything of elements still on the drag canvas.
   */
  private fastAddable(
    bulk: boolean,
    removeIds: readonly string[],
    addedNodes: readonly string[],
    addedEdges: readonly EdgeData[],
    nodeChanges: readonly [string, Partial<NodeData>][],
    edgeChanges: readonly [string, Partial<EdgeData>][],
  ): FastDraw | undefined {
    const fast = this.fast;
    const cy = this.cy;
    if (!fast || !cy || !this.onDragLayer || bulk || this.layoutRun || removeIds.length) {
      return undefined;
    }
    const adding = addedNodes.length + addedEdges.length;
    if (!adding || adding > FAST_ADD_MAX) return undefined;
    if (this.onDragLayer.length + adding > FAST_PENDING_MAX) return undefined;
    for (const [id, change] of nodeChanges) {
      if (fast.inDragLayer(cy.getElementById(id))) continue;
      for (const k in change) if (k !== 'importance') return undefined;
    }
    for (const [id] of edgeChanges) if (!fast.inDragLayer(cy.getElementById(id))) return undefined;
    return fast;
  }

  /** Use the fast path on this instance if it is drawn, large and a canvas as expected. */
  private setUpFast(cy: Core): void {
    this.tearDownFast();
    this.fast = this.opts.rendered && this.large ? fastDrawOf(cy) : undefined;
    this.stats.fastPath = this.fast !== undefined;
    if (!this.fast) return;
    this.overlay = new SelectionOverlay(cy);
    this.overlay.show(this.selected);
    this.onDragLayer = cy.collection();
    // Cytoscape rebuilds its cached drawing only while it keeps drawing frames: after an
    // invalidating change it draws everything once and leaves the cache empty. Each drawn
    // frame starts a check that rebuilds it when idle, time-sliced by Cytoscape itself.
    const onRender = () => {
      this.settlePolls = 0;
      this.scheduleSettle();
    };
    cy.on('render', onRender);
    // A gesture (pan, zoom, drag, tap) sees the graph as the normal path leaves it: while
    // panning Cytoscape shows a snapshot of the node canvas only, and a drag moves elements
    // between the two canvases itself.
    const container = cy.container();
    const onGesture = () => this.fold();
    container?.addEventListener('pointerdown', onGesture, { capture: true });
    container?.addEventListener('wheel', onGesture, { capture: true, passive: true });
    this.unlistenFast = () => {
      cy.off('render', onRender);
      container?.removeEventListener('pointerdown', onGesture, { capture: true });
      container?.removeEventListener('wheel', onGesture, { capture: true });
    };
    this.scheduleSettle();
  }

  private tearDownFast(): void {
    this.overlay?.destroy();
    this.overlay = undefined;
    this.unlistenFast();
    this.unlistenFast = () => {};
    if (this.foldTimer !== undefined) clearTimeout(this.foldTimer);
    if (this.settleTimer !== undefined) clearTimeout(this.settleTimer);
    this.foldTimer = this.settleTimer = undefined;
    this.fast = undefined;
    this.onDragLayer = undefined;
    this.deferredData.clear();
    this.markSettled();
  }

  /** Fold when the page has been quiet for a while (restarted by every fast add). */
  private scheduleFold(): void {
    this.settled = false;
    if (this.foldTimer !== undefined) clearTimeout(this.foldTimer);
    this.foldTimer = setTimeout(() => {
      this.foldTimer = undefined;
      whenIdle(() => this.fold());
    }, FOLD_QUIET_MS);
  }

  /**
   * Put everything the fast path deferred where the normal path would have: the drag
   * canvas's elements back on the node canvas in Cytoscape's own z-order, the held-back
   * data applied. The next frame then draws every element once (the
   * cost the normal path pays at the add) and the cached drawing is rebuilt when idle.
   */
  private fold(): void {
    if (this.foldTimer !== undefined) {
      clearTimeout(this.foldTimer);
      this.foldTimer = undefined;
    }
    const cy = this.cy;
    const fast = this.fast;
    if (!cy || !fast || this.destroyed || !this.pendingFold()) return;
    const eles = this.onDragLayer!.filter((e) => !e.removed());
    this.onDragLayer = cy.collection();
    const data = this.deferredData;
    this.deferredData = new Map();
    cy.batch(() => {
      for (const [id, change] of data) {
        const n = cy.getElementById(id);
        if (n.nonempty()) n.data(change);
      }
      fast.leaveDragLayer(eles);
    });
    fast.resort();
    this.stats.folds++;
    this.scheduleSettle();
  }

  /** Check the cached drawing soon (once per burst of frames; see `settle`). */
  private scheduleSettle(): void {
    if (!this.fast || this.destroyed) return;
    this.settled = false;
    if (this.settleTimer !== undefined) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      whenIdle(() => this.settle());
    }, SETTLE_POLL_MS);
  }

  /** Rebuild the cached drawing when it is incomplete; settled once it is complete. */
  private settle(): void {
    const fast = this.fast;
    if (!fast || this.destroyed) return;
    if (this.pendingFold()) return; // the fold schedules the next check
    const state = fast.prime();
    if (state === 'queued') this.stats.primes++;
    if (state === 'complete' || state === 'unavailable') this.markSettled();
    else if (++this.settlePolls < MAX_IDLE_SETTLE_POLLS) this.scheduleSettle();
  }

  private markSettled(): void {
    this.settled = true;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const ok of waiters) ok();
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

  /** What the selection overlay draws, when this view has one (for tests). */
  selectionOverlay(): OverlayState | undefined {
    return this.overlay?.state();
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

  whenSettled(): Promise<void> {
    if (this.settled || this.destroyed) return Promise.resolve();
    return new Promise((ok) => this.settleWaiters.push(ok));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.tearDownFast();
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

/** Run `fn` when the page is idle (soon in any case), or on the next task without idle callbacks. */
function whenIdle(fn: () => void): void {
  const ric = (globalThis as { requestIdleCallback?: (f: () => void, o?: object) => number })
    .requestIdleCallback;
  if (ric) ric(fn, { timeout: 1000 });
  else setTimeout(fn, 0);
}
