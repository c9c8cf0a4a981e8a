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
  LayoutOptions,
  NodeSingular,
  Collection,
  SingularElementArgument,
} from 'cytoscape';
import type { Person, Tie } from '../model/index.ts';
import {
  assignClusterColors,
  clusterColor,
  degreeImportance,
  type GroupColours,
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
  loadLayout,
  extentOf,
  placeNearNeighbours,
  savePositions,
  spiralPoint,
  type Point,
  type PositionStorage,
} from './positions.ts';
import { mainThreadRunner, type LayoutRequest, type LayoutRunner } from './layout.ts';
import { fastDrawOf, type FastDraw } from './fast-add.ts';
import { LARGE_GRAPH, NODE_SIZE } from './style.ts';
import { labelFont, pickLabels, type LabelCandidate, type MeasureLabel } from './labels.ts';
import { SearchMarks } from './search-marks.ts';
import { SelectionOverlay, type OverlayState } from './selection-overlay.ts';
import { HIT_SLACK_PX, isTouch, nodeAt } from './hit-test.ts';

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
  /**
   * Cluster (or group) id → colour, computed once for the whole set of groups and shared
   * with the legend and the panel. Without it the view derives one from `clusterOf`.
   */
  readonly colours?: GroupColours;
  /** personId → 0..1, for node size (default: from degree). */
  readonly importance?: ReadonlyMap<string, number>;
  /**
   * personId → group, for the layout: each group is laid out as one region, regions around
   * the owner. Default: `clusterOf`. Pass another grouping (by organisation, by tag — the
   * Clusters panel's "Group by") to lay
   * the graph out by it; a grouping that differs for more than a fifth of the people from
   * the one the drawing was laid out with re-lays it out (animated), and the positions
   * cached for the notebook then remember the new grouping.
   */
  readonly groupOf?: ReadonlyMap<string, string>;
  /**
   * A named alternative arrangement of these people (e.g. `'without-me'`): entering it
   * re-lays out what is drawn from where it stands (animated) without saving over the
   * notebook's positions; leaving it (`undefined`) puts everyone back where they were.
   */
  readonly arrangement?: string;
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
  /**
   * Mark the people a search found (`vt-match`) and dim the rest (`vt-dim`); `null` ends
   * the search. Class toggles only, kept across updates (see `search-marks.ts`).
   */
  mark(ids: ReadonlySet<string> | null): void;
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
  /** Incremental layouts started (from the current picture: new ties, another arrangement). */
  relayouts: number;
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
  /** The pane's size when the instance has no container to ask (headless tests). */
  pane?: { width: number; height: number };
  /** Measures a name's width (model units) for label placement; default an estimate. */
  measureLabel?: MeasureLabel;
  /** Quiet time after a change of ties before a small graph is re-laid out. */
  relayoutDelayMs?: number;
}

/** Up to this many people, changed ties re-lay the graph out (incrementally, animated). */
export const RELAYOUT_SMALL = 300;
/** Share of people whose group changed above which the graph is laid out afresh. */
const REGROUP_SHARE = 0.2;
/** Length of animated re-layouts (ms). */
const ANIMATE_MS = 600;
/** Quiet time after a zoom before the names on show are chosen again. */
const LABEL_DELAY_MS = 120;

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
    relayouts: 0,
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
  /** The colours the nodes are drawn in (the input's, or derived from its clusters). */
  private colours: GroupColours | undefined;
  private people = new Map<string, Person>();
  private nodeDatas = new Map<string, NodeData>();
  private ties = new Map<string, Tie>();
  private edgeDatas = new Map<string, EdgeData>();
  /** Pending and suggested introductions drawn, by edge id. */
  private overlayDatas = new Map<string, OverlayData>();
  private emphasis: { nodes: Set<string>; edges: Set<string> } | undefined;
  private emphasised: Collection | undefined;
  private readonly marks = new SearchMarks();
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
  /** The arrangement drawn (`''`: the notebook's own, the one saved). */
  private arrangement = '';
  /** Positions of the notebook's own arrangement while another one is drawn. */
  private mainPositions: Map<string, Point> | undefined;
  /** The grouping the drawing was laid out with (`unknown`: an old cache did not say). */
  private laidOutGroups: ReadonlyMap<string, string> | 'unknown' = new Map();
  /** The grouping of the last input (groupOf, else clusterOf). */
  private groups: ReadonlyMap<string, string> | undefined;
  private relayoutTimer: ReturnType<typeof setTimeout> | undefined;
  /** The groupings `regroupNeeded` compared last. */
  private regroupChecked: [unknown, unknown] = [undefined, undefined];
  private labelTimer: ReturnType<typeof setTimeout> | undefined;
  /** Nodes whose name is hidden (no room at this zoom). */
  private unlabelled = new Set<string>();
  private labelZoom = NaN;
  /** The user panned or zoomed since the last fit: a resize must not refit. */
  private userMoved = false;
  private unobserve: () => void = () => {};
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
      last.colours === input.colours &&
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
      if (this.marks.active) this.marks.apply(this.cy!);
      return;
    }
    // Derived once per cluster set when the caller did not pass the shared colours.
    if (input.colours) this.colours = input.colours;
    else if (input.clusterOf !== last?.clusterOf || last?.colours) {
      this.colours = assignClusterColors(input.clusterOf?.values() ?? []);
    }
    const colours = this.colours;
    this.lastInput = input;
    this.groups = input.groupOf ?? input.clusterOf;
    const arrangement = input.arrangement ?? '';
    // The notebook's own arrangement, as it stands before this update hides anyone.
    const before =
      arrangement !== this.arrangement && this.arrangement === '' && this.cy
        ? positionsOf(this.cy)
        : undefined;
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
        (owner || prev.color === clusterColor(cluster, colours))
      ) {
        nodes.set(p.id, prev);
        continue;
      }
      const next = nodeData(p, { importance, cluster, owner, colours });
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
    if (this.marks.active && this.cy) this.marks.apply(this.cy);
    if (arrangement !== this.arrangement) this.switchArrangement(arrangement, before);
    else if (this.regroupNeeded()) this.startLayout(this.arrangement ? 'incremental' : 'full');
    else this.scheduleLabels();
  }

  /**
   * Whether the grouping changed enough since the drawing was laid out (more than
   * {@link REGROUP_SHARE} of the people drawn are in another group) to lay it out again.
   */
  private regroupNeeded(): boolean {
    const laid = this.laidOutGroups;
    const now = this.groups;
    if (laid === 'unknown' || !this.cy || this.nodeDatas.size < 3) return false;
    // The same two groupings as last time: people added since are placed, not regrouped
    // (and a one-person update at 10,000 people skips this scan).
    if (now === this.regroupChecked[0] && laid === this.regroupChecked[1]) return false;
    this.regroupChecked = [now, laid];
    const owner = this.lastInput?.ownerId;
    let counted = 0;
    let differ = 0;
    for (const id of this.nodeDatas.keys()) {
      if (id === owner) continue;
      counted++;
      if ((now?.get(id) ?? '') !== (laid.get(id) ?? '')) differ++;
    }
    return differ > counted * REGROUP_SHARE;
  }

  /** Enter another arrangement (re-lay out from here) or come back (everyone back in place). */
  private switchArrangement(next: string, before: Map<string, Point> | undefined): void {
    const cy = this.cy;
    const prev = this.arrangement;
    this.arrangement = next;
    if (!cy) return;
    this.cancelRelayout();
    if (prev === '') {
      this.mainPositions = before ?? positionsOf(cy);
      // A save waiting for the notebook's own positions goes out now, before they change.
      if (this.saveTimer !== undefined) {
        clearTimeout(this.saveTimer);
        this.saveTimer = undefined;
        this.saveNow(this.mainPositions);
      }
    }
    if (next !== '') {
      this.startLayout('incremental');
      return;
    }
    // Back to the notebook's own arrangement: everyone where they were, newcomers next to
    // the people they know.
    const main = this.mainPositions ?? loadLayout(this.storage, this.opts.positionsKey).positions;
    this.mainPositions = undefined;
    this.layoutSeq++;
    const known = new Map<string, Point>();
    const missing: string[] = [];
    cy.nodes().forEach((n) => {
      const p = main.get(n.id());
      if (p) known.set(n.id(), p);
      else missing.push(n.id());
    });
    this.placeMissing(missing, known, this.edgeDatas);
    const run = this.moveNodes(cy, known).finally(() => {
      if (this.layoutRun === run) this.layoutRun = undefined;
    });
    this.layoutRun = run;
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

  mark(ids: ReadonlySet<string> | null): void {
    this.marks.set(ids);
    if (this.cy) this.marks.apply(this.cy);
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
    cache = loadLayout(this.storage, this.opts.positionsKey),
  ): void {
    const cached = cache.positions;
    const known = new Map<string, Point>();
    const missing: string[] = [];
    for (const id of nodes.keys()) {
      const p = cached.get(id);
      if (p) known.set(id, p);
      else missing.push(id);
    }
    const relayout = missing.length > 0 && needsLayout(missing.length, nodes.size, known.size);
    // The grouping the cached picture was laid out with; none yet when a layout will run.
    this.laidOutGroups = relayout ? new Map() : (cache.groups ?? 'unknown');
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
    if (relayout) this.shapePlaceholders(this.cy);
    this.listen(this.cy);
    this.setUpFast(this.cy);
    if (relayout) this.startLayout('full');
    else if (missing.length) this.scheduleSave();
    if (!relayout && nodes.size) this.fit(this.cy);
    this.scheduleLabels();
  }

  /**
   * Stretch the placeholder spiral (drawn until the first layout lands, which on a loaded
   * phone takes seconds) to the pane's shape, so the drawing fills a portrait tab from the
   * first frame instead of a disc across its middle; fitted to it. Before the first frame.
   */
  private shapePlaceholders(cy: Core): void {
    const pane = this.paneSize();
    if (!pane) return;
    const f = Math.sqrt(pane.width / pane.height);
    if (Math.abs(f - 1) < 0.02) return;
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        const p = n.position();
        n.position({ x: p.x * f, y: p.y / f });
      });
    });
    this.fit(cy);
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
    const groups = this.laidOutGroups === 'unknown' ? undefined : this.laidOutGroups;
    this.build(nodes, edges, overlays, {
      positions: this.layoutRun ? new Map() : positions,
      groups,
    });
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

    // Many new ties at once (an import of meetings that inferred who knows whom): the
    // structure changed, so the whole graph is laid out again.
    const bulkTies =
      addedEdges.length > RELAYOUT_MIN && addedEdges.length > this.edgeDatas.size * RELAYOUT_SHARE;
    if (bulk || bulkTies) this.startLayout('full');
    else {
      if (addedNodes.length) {
        if (this.layoutRun) for (const id of addedNodes) this.addedDuringLayout.add(id);
        this.scheduleSave();
      }
      // A small graph settles around a new or removed tie (or person): incrementally, from
      // where everyone is, so the picture moves a little instead of being redrawn.
      const tiesChanged = addedEdges.length > 0 || removeIds.some((id) => this.edgeDatas.has(id));
      if (nodes.size <= RELAYOUT_SMALL && (tiesChanged || addedNodes.length > 0)) {
        this.scheduleRelayout();
      }
    }
    if (addedNodes.length || removeIds.length) this.scheduleLabels(true);
  }

  /** Re-lay out incrementally after a quiet moment (a burst of edits makes one layout). */
  private scheduleRelayout(): void {
    this.cancelRelayout();
    this.relayoutTimer = setTimeout(() => {
      this.relayoutTimer = undefined;
      if (!this.destroyed && this.cy) this.startLayout('incremental');
    }, this.opts.relayoutDelayMs ?? 300);
  }

  private cancelRelayout(): void {
    if (this.relayoutTimer !== undefined) clearTimeout(this.relayoutTimer);
    this.relayoutTimer = undefined;
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

  /**
   * Lay the graph out: `full` from deterministic seeds (first open, a bulk change, a new
   * grouping), `incremental` from where everyone is (ties changed in a small graph, another
   * arrangement). Drawn graphs move there animated, then fit the pane.
   */
  private startLayout(mode: 'full' | 'incremental'): void {
    const cy = this.cy!;
    const seq = ++this.layoutSeq;
    if (mode === 'full') this.stats.layouts++;
    else this.stats.relayouts++;
    this.cancelRelayout();
    this.addedDuringLayout.clear();
    // Read from the instance, not `nodeDatas`: on a first build those are set afterwards.
    const nodes = cy.nodes();
    const ids = nodes.map((n) => n.id());
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
    const groups = this.groups ?? new Map<string, string>();
    const owner = this.lastInput?.ownerId;
    const pane = this.paneSize();
    const req: LayoutRequest = {
      nodes: ids,
      edges,
      ...(owner !== undefined && cy.getElementById(owner).nonempty() ? { center: owner } : {}),
      groups: ids.map((id) => groups.get(id) ?? ''),
      sizes: Float64Array.from(nodes.map((n) => nodeSize(n.data() as NodeData))),
      ...(pane ? { aspect: pane.width / pane.height } : {}),
      ...(mode === 'incremental'
        ? {
            start: Float64Array.from(
              ids.flatMap((id) => {
                const p = cy.getElementById(id).position();
                return [p.x, p.y];
              }),
            ),
          }
        : {}),
    };
    const arrangement = this.arrangement;
    if (arrangement === '') this.laidOutGroups = groups;
    const run = this.runner
      .run(req)
      .then(async (res) => {
        // A newer layout (or destroy) superseded this one: its positions are stale.
        if (seq !== this.layoutSeq || this.destroyed || this.cy !== cy) return;
        const target = new Map<string, Point>();
        for (let i = 0; i < res.ids.length; i++) {
          target.set(res.ids[i]!, { x: res.xy[2 * i]!, y: res.xy[2 * i + 1]! });
        }
        // People added while the layout ran go next to their (now laid out) neighbours.
        this.placeLate(cy, target);
        await this.moveNodes(cy, target);
        if (seq !== this.layoutSeq || this.destroyed || this.cy !== cy) return;
        if (this.arrangement === '') this.saveNow();
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

  /**
   * Move nodes to `target` and fit the pane to it: animated in a drawn graph of up to
   * {@link LARGE_GRAPH} people (each node glides, so the reader sees what moved where), at
   * once otherwise. Resolves when everyone is there.
   */
  private moveNodes(cy: Core, target: Map<string, Point>): Promise<void> {
    const animate = this.opts.rendered === true && !this.large && cy.container() !== null;
    const extent = extentOf(target.values());
    if (!animate) {
      cy.batch(() => {
        for (const [id, p] of target) {
          const n = cy.getElementById(id);
          if (n.nonempty()) n.position(p);
        }
      });
      this.fit(cy);
      return Promise.resolve();
    }
    const view = this.fitFor(cy, extent);
    return new Promise<void>((done) => {
      cy.stop(true);
      if (view) cy.animate({ zoom: view.zoom, pan: view.pan }, { duration: ANIMATE_MS });
      const layout = cy.nodes().layout({
        name: 'preset',
        positions: (n: NodeSingular) => target.get(n.id()) ?? n.position(),
        animate: true,
        animationDuration: ANIMATE_MS,
        animationEasing: 'ease-in-out-cubic',
        fit: false,
      } as LayoutOptions);
      layout.one('layoutstop', () => {
        this.userMoved = false;
        this.labelZoom = NaN;
        this.updateLabels();
        done();
      });
      layout.run();
    });
  }

  /** The pane's size (the container's, else the `pane` option), or none while hidden. */
  private paneSize(): { width: number; height: number } | undefined {
    const cy = this.cy;
    const w = cy?.container() ? cy.width() : (this.opts.pane?.width ?? 0);
    const h = cy?.container() ? cy.height() : (this.opts.pane?.height ?? 0);
    return w > 0 && h > 0 ? { width: w, height: h } : undefined;
  }

  /** Zoom and pan that fit `extent` into the pane (never zoomed in past FIT_MAX_ZOOM). */
  private fitFor(
    cy: Core,
    extent: { x1: number; y1: number; x2: number; y2: number } | undefined,
  ): { zoom: number; pan: Point } | undefined {
    const pane = this.paneSize();
    if (!pane || !extent) return undefined;
    const pad = FIT_PADDING;
    // Room for the biggest node and a name under it on every side.
    const m = NODE_SIZE.max / 2 + 4;
    const w = extent.x2 - extent.x1 + 2 * m;
    const h = extent.y2 - extent.y1 + 2 * m + 16;
    const zoom = Math.max(
      cy.minZoom(),
      Math.min(
        FIT_MAX_ZOOM,
        (pane.width - pad.left - pad.right) / w,
        (pane.height - pad.top - pad.bottom) / h,
      ),
    );
    const cx = (extent.x1 + extent.x2) / 2;
    const cyy = (extent.y1 + extent.y2) / 2 + 8;
    return {
      zoom,
      pan: {
        x: pad.left + (pane.width - pad.left - pad.right) / 2 - cx * zoom,
        y: pad.top + (pane.height - pad.top - pad.bottom) / 2 - cyy * zoom,
      },
    };
  }

  /** Fit the whole drawing into the pane, filling it. */
  private fit(cy: Core): void {
    const view = this.fitFor(cy, extentOf(cy.nodes().map((n) => n.position())));
    if (!view) return;
    cy.viewport({ zoom: view.zoom, pan: view.pan });
    this.userMoved = false;
    this.labelZoom = NaN;
    this.updateLabels();
  }

  /** Choose again which names are shown, soon (at once with `now` in a headless view). */
  private scheduleLabels(force = false): void {
    if (force) this.labelZoom = NaN;
    if (this.labelTimer !== undefined || this.destroyed) return;
    this.labelTimer = setTimeout(() => {
      this.labelTimer = undefined;
      this.updateLabels();
    }, LABEL_DELAY_MS);
  }

  /**
   * Show the names that fit at this zoom, most important first (see `labels.ts`); the
   * others get `vt-nolabel`. Large graphs keep the stylesheet's size threshold only.
   */
  updateLabels(): void {
    const cy = this.cy;
    if (!cy || this.large || this.destroyed) return;
    const zoom = cy.zoom();
    if (zoom === this.labelZoom) return;
    this.labelZoom = zoom;
    const owner = this.lastInput?.ownerId;
    const candidates: LabelCandidate[] = [];
    cy.nodes().forEach((n) => {
      const d = this.nodeDatas.get(n.id());
      if (!d || !n.visible()) return;
      const isOwner = n.id() === owner;
      const { x, y } = n.position();
      candidates.push({
        id: n.id(),
        x,
        y,
        size: nodeSize(d),
        font: isOwner ? labelFont(1) : labelFont(d.importance),
        text: d.label,
        priority: (isOwner ? 2 : 0) + d.importance,
      });
    });
    const shown = pickLabels(candidates, zoom, this.opts.measureLabel);
    const off = cy.collection();
    const on = cy.collection();
    const next = new Set<string>();
    for (const c of candidates) {
      if (shown.has(c.id)) {
        if (this.unlabelled.has(c.id)) on.merge(cy.getElementById(c.id));
      } else {
        next.add(c.id);
        if (!this.unlabelled.has(c.id)) off.merge(cy.getElementById(c.id));
      }
    }
    this.unlabelled = next;
    if (on.empty() && off.empty()) return;
    cy.batch(() => {
      on.removeClass(NOLABEL_CLASS);
      off.addClass(NOLABEL_CLASS);
    });
  }

  /** People added while the layout ran go next to their (now laid out) neighbours. */
  private placeLate(cy: Core, target: Map<string, Point>): void {
    if (!this.addedDuringLayout.size) return;
    const late = [...this.addedDuringLayout].filter(
      (id) => cy.getElementById(id).nonempty() && !target.has(id),
    );
    this.addedDuringLayout.clear();
    if (!late.length) return;
    const neighbours = adjacencyOf(new Set(late), this.edgeDatas);
    placeNearNeighbours(late, (id) => neighbours.get(id) ?? [], target);
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
    // A re-layout waiting out its quiet time starts now: whoever waits wants it done.
    if (this.relayoutTimer !== undefined && this.cy && !this.destroyed) {
      this.startLayout('incremental');
    }
    // A view destroyed mid-layout (e.g. the app switched scenes) ends its worker, whose
    // pending run then never settles: whoever waits must not wait forever. A run superseded
    // meanwhile (the clusters landed: a cluster-aware layout replaced the first) settles
    // without moving anyone: wait for the one that replaced it.
    const run = this.layoutRun;
    if (!run) return Promise.resolve();
    return Promise.race([run, this.gone]).then(() =>
      this.layoutRun && this.layoutRun !== run && !this.destroyed
        ? this.whenLayoutDone()
        : undefined,
    );
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
    this.cancelRelayout();
    if (this.labelTimer !== undefined) clearTimeout(this.labelTimer);
    this.unobserve();
    this.endGone();
    this.layoutSeq++;
    this.runner.destroy();
    this.cy?.destroy();
    this.cy = undefined;
  }

  private listen(cy: Core): void {
    const tapped = (id: string | null) => {
      this.selected = id;
      this.markSelected(id);
      this.opts.onSelect(id);
    };
    cy.on('tap', 'node', (e) => tapped((e.target as NodeSingular).id()));
    cy.on('tap', (e) => {
      if (e.target !== cy) return;
      // A large graph's elements take no pointer events (see `hit-test.ts`): every tap
      // lands here, and the person under it is found by position.
      const hit = this.large
        ? nodeAt(cy, e.position, isTouch(e) ? HIT_SLACK_PX.touch : HIT_SLACK_PX.mouse)
        : undefined;
      tapped(hit ? hit.id() : null);
    });
    cy.on('dragfree', 'node', () => {
      this.scheduleSave();
      this.scheduleLabels(true);
    });
    // More names fit as the reader zooms in (and fewer as they zoom out).
    cy.on('zoom', () => this.scheduleLabels());
    const container = cy.container();
    if (!container) return;
    // The pane changes size (a panel opens, the phone's graph tab is shown, the window is
    // resized): fit it again, unless the reader has panned or zoomed since the last fit.
    const onGesture = () => (this.userMoved = true);
    container.addEventListener('wheel', onGesture, { passive: true });
    let pressed = false;
    container.addEventListener('pointerdown', () => (pressed = true));
    container.addEventListener('pointerup', () => (pressed = false));
    cy.on('pan', () => {
      if (pressed) this.userMoved = true;
    });
    if (typeof ResizeObserver === 'undefined') return;
    let last = '';
    const observer = new ResizeObserver(() => {
      if (this.destroyed || this.cy !== cy) return;
      const size = `${container.clientWidth}x${container.clientHeight}`;
      if (size === last) return;
      last = size;
      cy.resize();
      if (!this.userMoved && !this.layoutRun) this.fit(cy);
    });
    observer.observe(container);
    this.unobserve = () => observer.disconnect();
  }

  private scheduleSave(): void {
    if (!this.opts.positionsKey || this.destroyed || this.arrangement !== '') return;
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, this.opts.saveDelayMs ?? 800);
  }

  private saveNow(positions?: Map<string, Point>): void {
    if (!this.opts.positionsKey) return;
    // Another arrangement is drawn: the notebook's own positions are the ones to keep.
    if (!positions && this.arrangement !== '') positions = this.mainPositions;
    if (!positions) {
      positions = new Map();
      const map = positions;
      this.cy?.nodes().forEach((n) => {
        map.set(n.id(), n.position());
      });
    }
    const groups = this.laidOutGroups === 'unknown' ? undefined : this.laidOutGroups;
    savePositions(this.storage, this.opts.positionsKey, positions, groups);
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

/**
 * Margins of a fit (px): the analysis bar floats over the top of the pane, the legend
 * (closed) over its bottom-left corner.
 */
const FIT_PADDING = { top: 48, right: 16, bottom: 24, left: 16 } as const;

/** Class of nodes whose name is hidden at this zoom (no room; see `labels.ts`). */
const NOLABEL_CLASS = 'vt-nolabel';

/** Drawn diameter of a node (the stylesheet's mapping of importance; the owner's is fixed). */
function nodeSize(d: NodeData | undefined): number {
  if (!d) return NODE_SIZE.min;
  if (d.owner) return NODE_SIZE.max;
  return NODE_SIZE.min + (NODE_SIZE.max - NODE_SIZE.min) * d.importance;
}

/** Every node's position (copied). */
function positionsOf(cy: Core): Map<string, Point> {
  const out = new Map<string, Point>();
  cy.nodes().forEach((n) => {
    out.set(n.id(), { ...n.position() });
  });
  return out;
}

/** Run `fn` when the page is idle (soon in any case), or on the next task without idle callbacks. */
function whenIdle(fn: () => void): void {
  const ric = (globalThis as { requestIdleCallback?: (f: () => void, o?: object) => number })
    .requestIdleCallback;
  if (ric) ric(fn, { timeout: 1000 });
  else setTimeout(fn, 0);
}
