/**
 * The app's handle on the network analysis: keeps the latest {@link AppAnalysis} of the
 * notebook current by re-running it in a Web Worker after edits.
 *
 * - Debounced: a run starts {@link DEFAULT_DEBOUNCE_MS} after the last transaction that
 *   changed the notebook (never on every keystroke), or at the latest `maxWaitMs` after the
 *   first one of a burst, so a long typing session still sees fresh results.
 * - One run in flight: edits during a run mark the result stale, and one more run follows
 *   when it ends — never a queue of runs.
 * - Stable ids: each run gets the previous clusters, so colours do not jump.
 * - The main thread only builds the snapshot ({@link SnapshotBuilder}: the model's
 *   `graphSnapshot`, made incremental) and posts it; the analysis runs in the worker.
 *
 * Session state that the analysis views share — which cluster the graph is filtered to,
 * "Without me", highlights, cluster overview — lives in {@link AnalysisView}, never in
 * the notebook.
 */
import { formatDay, formatInstant } from '../time/dates.ts';
import type { AnalyzeOptions } from '../analysis/index.ts';
import type {
  GraphSnapshot,
  SnapshotIntro,
  SnapshotPerson,
  SnapshotTie,
} from '../analysis/snapshot.ts';
import {
  effectiveCadence,
  listIntros,
  listPeople,
  listTies,
  listTouches,
  rawList,
  snapshotIntro,
  snapshotPerson,
  snapshotTie,
  tagCadences,
  type Intro,
  type Notebook,
  type Person,
  type Tie,
} from '../model/index.ts';
import type * as Comlink from 'comlink';
import {
  connectWorker,
  WorkerGone,
  type WorkerHandle,
  type WorkerLike,
} from '../graph/worker-client.ts';
import type {
  AnalysisRequest,
  AnalysisResponse,
  AnalysisWorkerApi,
  AppAnalysis,
} from './analysis.worker.ts';

import { groupDisplay, groupLabel, type GroupChoice, type GroupDisplay } from './group-display.ts';

export type { AnalysisRequest, AnalysisResponse, AppAnalysis } from './analysis.worker.ts';
export { clusterLabel } from './group-display.ts';

/** Quiet time after the last edit before the analysis reruns. */
export const DEFAULT_DEBOUNCE_MS = 400;
/** Longest an edit waits for a rerun while edits keep coming. */
export const DEFAULT_MAX_WAIT_MS = 3000;
/** How often the client checks whether the date changed (then it reruns). */
const DAY_CHECK_MS = 15 * 60_000;

/** People or ties per message to the worker (see {@link workerAnalysisRunner}). */
const PART_SIZE = 5000;

/** Where analysis requests run; `destroy()` ends any worker it started. */
export interface AnalysisRunner {
  run(req: AnalysisRequest): Promise<AnalysisResponse>;
  destroy(): void;
}

/**
 * Runs each request on the calling thread, after a macrotask so the caller's transaction
 * and render finish first. For Node and as the fallback where no worker can start. The
 * analysis code is imported on first use, so the app's first load never carries it.
 */
export function inlineAnalysisRunner(): AnalysisRunner {
  return {
    run: async (req) => {
      const { handleAnalysisRequest } = await import('./analysis.worker.ts');
      await new Promise((ok) => setTimeout(ok, 0));
      return handleAnalysisRequest(req);
    },
    destroy() {},
  };
}

/** The analysis worker, bundled by Vite from `analysis.worker.ts`. */
function spawnAnalysisWorker(): WorkerLike {
  if (typeof Worker === 'undefined') throw new Error('No Web Workers here.');
  // Written literally so Vite sees it and bundles the worker with its imports.
  return new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * Runs requests in one module worker (through Comlink, {@link AnalysisWorkerApi}), started
 * on the first run. Falls back to {@link inlineAnalysisRunner} where `Worker` is missing
 * or the worker fails to load. `spawn` starts the worker (tests pass a `MessagePort`);
 * `partSize` is the most people, ties or intros sent in one message.
 */
export function workerAnalysisRunner(
  spawn: () => WorkerLike = spawnAnalysisWorker,
  partSize = PART_SIZE,
): AnalysisRunner {
  let worker: WorkerHandle<AnalysisWorkerApi> | undefined;
  let broken = false;
  let destroyed = false;
  const inline = inlineAnalysisRunner();

  const send = async (w: Comlink.Remote<AnalysisWorkerApi>, req: AnalysisRequest) => {
    const { snapshot, id } = req;
    // The snapshot goes over in parts, each awaited: one postMessage of 10,000 people
    // and 50,000 ties is a structured clone of ~100 ms on this thread, and waiting for
    // each part's answer gives the page a task boundary between the clones.
    const lists = [
      ['people', snapshot.people],
      ['ties', snapshot.ties],
      ['intros', snapshot.intros],
    ] as const;
    for (const [key, list] of lists) {
      for (let i = 0; i < list.length; i += partSize) {
        await w.part(id, key, list.slice(i, i + partSize));
      }
    }
    return w.run({
      id,
      owner: snapshot.owner,
      now: snapshot.now,
      ...(req.previous ? { previous: req.previous } : {}),
      ...(req.options ? { options: req.options } : {}),
    });
  };

  return {
    async run(req) {
      if (destroyed) return { id: req.id, error: 'The analysis was stopped.' };
      if (!broken) worker ??= connectWorker(spawn);
      if (!worker || broken) {
        broken = true;
        return inline.run(req);
      }
      try {
        return await worker.call((w) => send(w, req));
      } catch (e) {
        if (!(e instanceof WorkerGone)) throw e;
        // A worker that cannot load (e.g. a CSP without worker-src) must not leave the
        // app without analysis: this run answers with an error, later ones run inline.
        if (e.reason === 'failed') broken = true;
        return {
          id: req.id,
          error:
            e.reason === 'failed' ? 'The analysis worker failed.' : 'The analysis was stopped.',
        };
      }
    },
    destroy() {
      destroyed = true;
      worker?.destroy();
      worker = undefined;
    },
  };
}

/** Options of {@link AnalysisClient}. */
export interface AnalysisClientOptions {
  /** Quiet time after the last edit; default {@link DEFAULT_DEBOUNCE_MS}. */
  readonly debounceMs?: number;
  /** Longest wait while edits keep coming; default {@link DEFAULT_MAX_WAIT_MS}. */
  readonly maxWaitMs?: number;
  /** Where runs happen; default {@link workerAnalysisRunner}. */
  readonly runner?: AnalysisRunner;
  /** Builds the snapshot; default: a {@link SnapshotBuilder} kept by the client. */
  readonly snapshot?: (nb: Notebook) => GraphSnapshot;
  /** Passed to `analyze`. */
  readonly options?: Omit<AnalyzeOptions, 'previous'>;
  /**
   * Nothing runs before this settles (the app passes "the graph is drawn"): building the
   * snapshot of a 10,000-person notebook on the page's thread must not slow the first draw.
   * Default: start at once.
   */
  readonly start?: Promise<unknown>;
  /**
   * Where the views' lasting choices (what people are grouped by) are kept on this device;
   * `localStorage` by default, `null` for nowhere.
   */
  readonly viewStorage?: PositionStore | null;
}

/** `idle`: up to date; `waiting`: an edit is waiting out the debounce; `running`: in the worker. */
export type AnalysisStatus = 'idle' | 'waiting' | 'running';

/** Timings of the last run, for the bench and the curious. */
export interface AnalysisTimings {
  /** Main-thread time spent building the snapshot (pauses between slices excluded). */
  readonly snapshotMs: number;
  /** `analyze` inside the worker. */
  readonly analyzeMs: number;
  /** From the run's start to its result, posting both ways included. */
  readonly totalMs: number;
}

/**
 * Keeps the notebook's analysis current. Events (plain `Event`s; read the client):
 * `result` when {@link AnalysisClient.latest} changes, `status` when
 * {@link AnalysisClient.status} does, `error` when a run failed (the last good result stays).
 */
export class AnalysisClient extends EventTarget {
  /** The newest result, once the first run finished. */
  latest: AppAnalysis | undefined;
  /** The snapshot {@link AnalysisClient.latest} was computed from (Today reuses it). */
  latestSnapshot: GraphSnapshot | undefined;
  status: AnalysisStatus = 'idle';
  /** Message of the last failed run, cleared by the next good one. */
  error: string | undefined;
  /** Timings of the last good run. */
  timings: AnalysisTimings | undefined;
  /** Runs finished so far (good or not). */
  runs = 0;
  /** Session state of the analysis views. */
  readonly view: AnalysisView;
  /** Resolves with the first result. */
  readonly whenReady: Promise<AppAnalysis>;

  private readonly nb: Notebook;
  private readonly runner: AnalysisRunner;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly build: (nb: Notebook) => GraphSnapshot | Promise<GraphSnapshot>;
  /** Main-thread time of the last snapshot build (yields excluded), when known. */
  private busyMs: () => number | undefined = () => undefined;
  private readonly options: Omit<AnalyzeOptions, 'previous'> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstEditAt: number | undefined;
  private inFlight = false;
  /** An edit arrived while a run was in flight: run once more when it ends. */
  private stale = false;
  private seq = 0;
  private destroyed = false;
  /** Runs may happen: the `start` option settled (or there was none), or `refresh()` ran. */
  private started = false;
  private ready!: (a: AppAnalysis) => void;
  /** Checks now and then whether the date moved on: "overdue" changes at midnight too. */
  private readonly dayTimer: ReturnType<typeof setInterval>;
  private lastDay = '';
  /** Stops listening to the notebook (its listeners run only for real changes). */
  private readonly stopListening: () => void;

  constructor(nb: Notebook, opts: AnalysisClientOptions = {}) {
    super();
    this.nb = nb;
    this.view = new AnalysisView(
      opts.viewStorage === undefined ? globalThis.localStorage : (opts.viewStorage ?? undefined),
    );
    this.runner = opts.runner ?? workerAnalysisRunner();
    this.debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.maxWaitMs = opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    if (opts.snapshot) this.build = opts.snapshot;
    else {
      const builder = new SnapshotBuilder();
      this.build = (n) => builder.buildSliced(n);
      this.busyMs = () => builder.lastBusyMs;
    }
    this.options = opts.options;
    this.whenReady = new Promise((resolve) => (this.ready = resolve));
    // The notebook calls its listeners after its selector caches are invalidated, so a
    // snapshot taken from here is never stale.
    this.stopListening = nb.onChange(() => this.schedule());
    this.dayTimer = setInterval(() => {
      if (this.lastDay && formatDay(this.nb.now()) !== this.lastDay) {
        this.schedule();
      }
    }, DAY_CHECK_MS);
    // Never what keeps a Node process (a test, the CLI) alive.
    (this.dayTimer as { unref?: () => void }).unref?.();
    // The first result is wanted as soon as possible (once allowed to start): no debounce.
    if (opts.start) {
      const go = () => {
        this.started = true;
        this.refresh();
      };
      opts.start.then(go, go);
    } else {
      this.started = true;
      this.refresh();
    }
  }

  /** Rerun now (after the current run, if one is in flight), skipping the debounce. */
  refresh(): void {
    if (this.destroyed) return;
    this.started = true;
    this.clearTimer();
    void this.run();
  }

  /** Stop listening and end the worker; pending results are dropped. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.clearTimer();
    clearInterval(this.dayTimer);
    this.stopListening();
    this.runner.destroy();
  }

  private schedule(): void {
    // Before the start, edits need no run of their own: the first run sees them.
    if (this.destroyed || !this.started) return;
    const now = Date.now();
    this.firstEditAt ??= now;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstEditAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
    if (!this.inFlight) this.setStatus('waiting');
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    if (this.destroyed) return;
    this.firstEditAt = undefined;
    if (this.inFlight) {
      this.stale = true;
      return;
    }
    this.inFlight = true;
    this.stale = false;
    this.setStatus('running');
    const t0 = performance.now();
    const id = ++this.seq;
    let response: AnalysisResponse;
    let snapshotMs = 0;
    let snapshot: GraphSnapshot | undefined;
    try {
      this.lastDay = formatDay(this.nb.now());
      snapshot = await this.build(this.nb);
      snapshotMs = this.busyMs() ?? performance.now() - t0;
      const previous = this.latest?.clusters.map((c) => ({ id: c.id, members: c.members }));
      response = await this.runner.run({
        id,
        snapshot,
        ...(previous?.length ? { previous } : {}),
        ...(this.options ? { options: this.options } : {}),
      });
    } catch (err) {
      response = { id, error: err instanceof Error ? err.message : String(err) };
    }
    this.inFlight = false;
    if (this.destroyed) return;
    this.runs++;
    if ('error' in response) {
      this.error = response.error;
      console.warn('Vitrine: the network analysis failed:', response.error);
      this.dispatchEvent(new Event('error'));
    } else {
      this.error = undefined;
      this.latest = response.analysis;
      this.latestSnapshot = snapshot;
      this.timings = {
        snapshotMs,
        analyzeMs: response.ms,
        totalMs: performance.now() - t0,
      };
      this.ready(response.analysis);
      this.dispatchEvent(new Event('result'));
    }
    if (this.stale) {
      // Edits came in during the run; their debounce may already have fired into the
      // in-flight guard, so follow up here unless a timer is still counting down.
      this.stale = false;
      if (this.timer === undefined) void this.run();
      else this.setStatus('waiting');
    } else {
      this.setStatus(this.timer === undefined ? 'idle' : 'waiting');
    }
  }

  private setStatus(status: AnalysisStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.dispatchEvent(new Event('status'));
  }
}

/**
 * What the analysis views show, shared by the Clusters panel, "Needs attention" and the
 * graph: session state (kept out of the notebook). Fires `change` on every change.
 */
export class AnalysisView extends EventTarget {
  /** The cluster (or group) the graph is filtered to, or `null` for everyone. */
  clusterId: string | null = null;
  /**
   * What the graph, legend and Clusters panel group and colour people by. Kept on this
   * device (in `storage`), so it survives a reload; the other fields are per session.
   */
  groupBy: GroupChoice = 'clusters';
  /** Hide the owner in the graph and show what remains. */
  withoutMe = false;
  /** Highlight brokers and bridges in the graph. */
  highlight = false;
  /** Draw clusters as nodes instead of people; `auto` does so for very large notebooks. */
  overview: 'auto' | 'on' | 'off' = 'auto';

  constructor(
    private readonly storage?: PositionStore,
    private readonly storageKey = GROUP_BY_KEY,
  ) {
    super();
    try {
      const saved = storage?.getItem(storageKey);
      if (saved === 'org' || saved === 'tag' || saved === 'clusters') this.groupBy = saved;
    } catch {
      // Storage refused (private mode): the default it is.
    }
  }

  /** Change some fields and fire one `change`. */
  set(
    patch: Partial<
      Pick<AnalysisView, 'clusterId' | 'withoutMe' | 'highlight' | 'overview' | 'groupBy'>
    >,
  ) {
    const by = patch.groupBy;
    if (by !== undefined && by !== this.groupBy) {
      // A filter names a group of the old grouping: it means nothing in the new one.
      if (!('clusterId' in patch)) patch = { ...patch, clusterId: null };
      try {
        this.storage?.setItem(this.storageKey, by);
      } catch {
        // Not kept on this device; the choice still holds for this session.
      }
    }
    let changed = false;
    for (const [k, v] of Object.entries(patch) as [keyof typeof patch, never][]) {
      if (this[k] !== v) {
        (this as Record<typeof k, unknown>)[k] = v;
        changed = true;
      }
    }
    if (changed) this.dispatchEvent(new Event('change'));
  }
}

/** Where {@link AnalysisView.groupBy} is kept (one notebook per origin). */
export const GROUP_BY_KEY = 'vitrine-notebook:group-by';

/** The self-sustaining score in words (the cluster's explanation sentence says why). */
export function scoreWords(score: number): string {
  if (score >= 0.75) return 'Holds together without you';
  if (score >= 0.5) return 'Mostly holds together';
  if (score >= 0.25) return 'Loosely held';
  return 'Held together by you';
}

/** Above this many people the graph shows clusters as nodes unless asked otherwise. */
export const OVERVIEW_ABOVE = 5000;

/** What the graph view draws (the shape of `GraphInput` in `src/graph/`). */
export interface AnalysisGraphInput {
  readonly people: readonly Person[];
  readonly ties: readonly Tie[];
  readonly ownerId?: string;
  readonly overdueTieIds?: ReadonlySet<string>;
  readonly clusterOf?: ReadonlyMap<string, string>;
  /** Group id → colour, the same object the legend and the Clusters panel use. */
  readonly colours?: ReadonlyMap<string, string>;
  /** Person → organisation or tag group, to lay out by (see `GraphInput.groupOf`). */
  readonly groupOf?: ReadonlyMap<string, string>;
  readonly importance?: ReadonlyMap<string, number>;
}

/** The graph's input after the analysis view: filtered, coloured, highlighted, or an overview. */
export interface AnalysisGraphResult extends AnalysisGraphInput {
  /** Nodes are clusters, not people: a click names a cluster id. */
  readonly overview: boolean;
}

/**
 * Apply the analysis and its view to the graph's plain input: colour by cluster, mark the
 * owner's neglected ties, keep only one cluster (and the owner, unless "Without me"),
 * hide the owner, size brokers and bridge ends up when highlighting, or replace people by
 * clusters (the overview) for very large notebooks or on request.
 */
export function analysisGraphInput(
  base: AnalysisGraphInput,
  analysis: AppAnalysis | undefined,
  view: Pick<AnalysisView, 'clusterId' | 'withoutMe' | 'highlight' | 'overview'> & {
    readonly groupBy?: GroupChoice;
  },
  nameOf: (id: string) => string = (id) => id,
): AnalysisGraphResult {
  const owner = base.ownerId;
  const display = analysis ? groupDisplay(analysis, view.groupBy ?? 'clusters') : undefined;
  const cluster =
    view.clusterId === null ? undefined : display?.groups.find((c) => c.id === view.clusterId);
  const wantOverview =
    view.overview === 'on' || (view.overview === 'auto' && base.people.length > OVERVIEW_ABOVE);
  if (display && wantOverview && !cluster) return overviewInput(base, display, view, nameOf);

  let people = base.people;
  if (cluster || (view.withoutMe && owner !== undefined)) {
    const keep = cluster ? new Set(cluster.members) : undefined;
    people = people.filter((p) =>
      p.id === owner ? !view.withoutMe : keep === undefined || keep.has(p.id),
    );
  }
  let importance = base.importance;
  if (view.highlight && analysis) {
    // Brokers and the ends of bridges drawn large, everyone else small: the structure
    // stands out without a second colour scheme.
    const big = new Map<string, number>();
    for (const p of people) big.set(p.id, 0.05);
    for (const b of analysis.bridges) {
      if (b.splitsOff < 2) continue;
      big.set(b.a, 0.7);
      big.set(b.b, 0.7);
    }
    for (const b of analysis.brokers) if (b.clusters.length > 1) big.set(b.personId, 1);
    importance = big;
  }
  return {
    people,
    ties: base.ties,
    ...(owner !== undefined ? { ownerId: owner } : {}),
    ...(analysis && display
      ? {
          clusterOf: display.assignment,
          colours: display.colours,
          overdueTieIds: neglectedTieIds(analysis),
          // LAYOUT HOOK (graphui): organisations and tags are laid out by group too.
          ...(display.by !== 'clusters' ? { groupOf: namedGroupsOf(display) } : {}),
        }
      : base.overdueTieIds
        ? { overdueTieIds: base.overdueTieIds }
        : {}),
    ...(importance ? { importance } : {}),
    overview: false,
  };
}

/**
 * Clusters as nodes (sized by members, named, in their colour), ties between clusters as
 * one edge each (wider for more ties), and the owner tied to every cluster they know
 * someone in — unless "Without me".
 */
function overviewInput(
  base: AnalysisGraphInput,
  display: GroupDisplay,
  view: Pick<AnalysisView, 'withoutMe'>,
  nameOf: (id: string) => string,
): AnalysisGraphResult {
  const owner = base.ownerId;
  const assignment = display.assignment;
  const largest = Math.max(1, ...display.groups.map((c) => c.size));
  const people: Person[] = [];
  const clusterOf = new Map<string, string>();
  const importance = new Map<string, number>();
  for (const c of display.groups) {
    people.push(pseudoPerson(c.id, `${groupLabel(c, nameOf)} (${c.size})`));
    clusterOf.set(c.id, c.id);
    importance.set(c.id, Math.log1p(c.size) / Math.log1p(largest));
  }
  const ownerPerson = owner === undefined ? undefined : base.people.find((p) => p.id === owner);
  if (ownerPerson && !view.withoutMe) people.push(ownerPerson);
  const counts = new Map<string, { a: string; b: string; n: number }>();
  for (const t of base.ties) {
    // A Map, not the worker's plain object: ids are user text, and "constructor" would
    // find Object's.
    const a = t.from === owner ? owner : assignment.get(t.from);
    const b = t.to === owner ? owner : assignment.get(t.to);
    if (a === undefined || b === undefined || a === b) continue;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const hit = counts.get(key);
    if (hit) hit.n++;
    else counts.set(key, a < b ? { a, b, n: 1 } : { a: b, b: a, n: 1 });
  }
  const ties: Tie[] = [];
  for (const [key, { a, b, n }] of counts) {
    ties.push({
      id: `overview:${key}`,
      from: a,
      to: b,
      kind: 'overview',
      strength: Math.min(5, 1 + Math.round(Math.log2(n))),
      createdAt: '',
    });
  }
  return {
    people,
    ties,
    ...(owner !== undefined ? { ownerId: owner } : {}),
    clusterOf,
    colours: display.colours,
    importance,
    overview: true,
  };
}

function pseudoPerson(id: string, name: string): Person {
  return {
    id,
    name,
    emails: [],
    phones: [],
    links: [],
    tags: [],
    notes: '',
    vetting: {} as Person['vetting'],
    underGlass: false,
    createdAt: '',
  };
}

/** Storage of graph positions, as the graph view takes it. */
export type PositionStore = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Position storage for a graph that shows part of the notebook (one cluster): reads the
 * whole graph's cached positions, and on save merges what it has into them instead of
 * replacing them, so "Show everyone" finds everyone where they were.
 */
export function mergingPositionStore(
  base: PositionStore | undefined = globalThis.localStorage,
): PositionStore {
  return {
    getItem: (key) => base?.getItem(key) ?? null,
    setItem(key, value) {
      if (!base) return;
      try {
        const before = JSON.parse(base.getItem(key) ?? 'null') as { p?: object } | null;
        const next = JSON.parse(value) as { p?: object };
        if (before?.p && next.p) next.p = { ...before.p, ...next.p };
        base.setItem(key, JSON.stringify(next));
      } catch {
        // Unreadable old entry: what this view has is better than nothing.
        base.setItem(key, value);
      }
    },
  };
}

const neglectSets = new WeakMap<AppAnalysis, ReadonlySet<string>>();

/** Person id → cluster id of a result, as the graph view takes it (one Map per result). */
export function clusterOfMap(analysis: AppAnalysis): ReadonlyMap<string, string> {
  return groupDisplay(analysis, 'clusters').assignment;
}

/** Person → group for the named groups only: the catch-alls are no place to gather. */
function namedGroupsOf(display: GroupDisplay): ReadonlyMap<string, string> {
  let map = layoutGroupMaps.get(display);
  if (!map) {
    const named = new Map<string, string>();
    for (const g of display.groups) {
      if (g.kind === 'named') for (const m of g.members) named.set(m, g.id);
    }
    layoutGroupMaps.set(display, (map = named));
  }
  return map;
}

const layoutGroupMaps = new WeakMap<GroupDisplay, ReadonlyMap<string, string>>();

/** Ids of the owner's overdue ties in a result (one Set per result). */
export function neglectedTieIds(analysis: AppAnalysis): ReadonlySet<string> {
  let set = neglectSets.get(analysis);
  if (!set) {
    set = new Set(analysis.neglected.map((n) => n.tieId));
    neglectSets.set(analysis, set);
  }
  return set;
}

interface PersonEntry {
  readonly src: Person;
  readonly last: string | undefined;
  readonly cadence: number | undefined;
  readonly snap: SnapshotPerson;
}

interface TieEntry {
  readonly src: Tie;
  /** The tie's other end when it is the owner's tie, else the key of its pair of people. */
  readonly other: string | undefined;
  readonly pair: string;
  readonly last: string | undefined;
  readonly cadence: number | undefined;
  readonly snap: SnapshotTie;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * Builds the same {@link GraphSnapshot} as the model's `graphSnapshot(nb)` (a unit test
 * holds them equal), but cheaply again and again on one notebook, as the client needs
 * after every burst of edits.
 *
 * Why not `graphSnapshot` itself: at 10,000 people / 50,000 ties / 100,000 touches it
 * costs about 200 ms on an unchanged notebook and about 330–390 ms after logging one
 * touch (sorting every touch to derive "last touched", then one search per tie between
 * two contacts) — a long task on the main thread on every rerun. Here "last touched" per
 * person and per pair of people comes from one pass over the raw touches, redone only
 * when touches or people changed; a person's or tie's snapshot object is reused while its
 * inputs are the same; and a whole list is reused when none of its inputs changed.
 */
export class SnapshotBuilder {
  private owner: string | undefined;
  private touchDeps = '';
  private liveSrc: readonly Person[] | undefined;
  private liveVersion = 0;
  private rawPeople = -1;
  private personLast = new Map<string, string>();
  private pairLast = new Map<string, string>();
  private people = new Map<string, PersonEntry>();
  private ties = new Map<string, TieEntry>();
  private cadences: ReadonlyMap<string, number> | undefined;
  private peopleSrc: readonly Person[] | undefined;
  private tiesSrc: readonly Tie[] | undefined;
  private introsSrc: readonly Intro[] | undefined;
  private introsSnap: readonly SnapshotIntro[] = [];
  private last: GraphSnapshot | undefined;

  /** Main-thread time of the last {@link SnapshotBuilder.buildSliced}, yields excluded. */
  lastBusyMs = 0;

  /** The notebook's snapshot at `now`, in one go. */
  build(nb: Notebook, now: Date = nb.now()): GraphSnapshot {
    const steps = this.steps(nb, now);
    let r = steps.next();
    while (!r.done) r = steps.next();
    return r.value;
  }

  /**
   * The snapshot at `now`, built in slices of about `sliceMs` with the browser free to
   * handle input and draw in between, so even a 10,000-person rebuild never makes a long
   * task. An edit that lands between slices restarts the build (the caches keep what was
   * done), so the result is always one consistent state of the notebook.
   */
  async buildSliced(nb: Notebook, now: Date = nb.now(), sliceMs = 8): Promise<GraphSnapshot> {
    let busy = 0;
    for (;;) {
      const version = nb.version;
      const steps = this.steps(nb, now);
      let start = performance.now();
      let r = steps.next();
      let stale = false;
      while (!r.done) {
        if (performance.now() - start >= sliceMs) {
          busy += performance.now() - start;
          await new Promise((ok) => setTimeout(ok, 0));
          start = performance.now();
          if (nb.version !== version) {
            stale = true;
            break;
          }
        }
        r = steps.next();
      }
      busy += performance.now() - start;
      if (!stale && r.done) {
        this.lastBusyMs = busy;
        return r.value;
      }
    }
  }

  private *steps(nb: Notebook, now: Date): Generator<void, GraphSnapshot, void> {
    let tick = 0;
    const owner = nb.ownerId ?? '';
    let ownerChanged = false;
    if (owner !== this.owner) {
      // Which ties are "the owner's" changes every tie's derived fields.
      this.owner = owner;
      this.ties.clear();
      ownerChanged = true;
    }
    const touchesChanged = yield* this.touchAggregates(nb);
    const cadences = tagCadences(nb);
    const cadencesChanged = cadences !== this.cadences;
    this.cadences = cadences;

    const peopleSrc = listPeople(nb);
    const prevPeople = this.last?.people;
    let people: readonly SnapshotPerson[];
    // Cadences of people feed their ties' cadences: the tie pass runs when one changed.
    let cadenceMoved = false;
    if (
      prevPeople &&
      peopleSrc === this.peopleSrc &&
      !touchesChanged &&
      !cadencesChanged &&
      !ownerChanged
    ) {
      people = prevPeople;
    } else {
      this.peopleSrc = peopleSrc;
      const next = new Map<string, PersonEntry>();
      const out: SnapshotPerson[] = [];
      let same = prevPeople !== undefined && prevPeople.length === peopleSrc.length;
      for (const p of peopleSrc) {
        if ((++tick & 1023) === 0) yield;
        const last = this.personLast.get(p.id);
        const prev = this.people.get(p.id);
        const cadence =
          prev && prev.src === p && !cadencesChanged ? prev.cadence : effectiveCadence(nb, p);
        let entry = prev;
        if (!prev || prev.src !== p || prev.last !== last || prev.cadence !== cadence) {
          if (prev && prev.cadence !== cadence) cadenceMoved = true;
          entry = {
            src: p,
            last,
            cadence,
            snap: snapshotPerson(p, last, cadence),
          };
        }
        next.set(p.id, entry!);
        if (same && prevPeople![out.length] !== entry!.snap) same = false;
        out.push(entry!.snap);
      }
      this.people = next;
      people = same ? prevPeople! : out;
    }

    const tiesSrc = listTies(nb);
    const prevTies = this.last?.ties;
    let ties: readonly SnapshotTie[];
    if (prevTies && tiesSrc === this.tiesSrc && !touchesChanged && !cadenceMoved && !ownerChanged) {
      ties = prevTies;
    } else {
      this.tiesSrc = tiesSrc;
      const next = new Map<string, TieEntry>();
      const out: SnapshotTie[] = [];
      let same = prevTies !== undefined && prevTies.length === tiesSrc.length;
      for (const t of tiesSrc) {
        if ((++tick & 1023) === 0) yield;
        let prev = this.ties.get(t.id);
        if (prev && prev.src !== t) prev = undefined;
        const other =
          prev?.other ?? (t.from === owner ? t.to : t.to === owner ? t.from : undefined);
        const pair = prev?.pair ?? (other === undefined ? pairKey(t.from, t.to) : '');
        const last = other !== undefined ? this.personLast.get(other) : this.pairLast.get(pair);
        const cadence =
          t.cadenceDays ?? (other === undefined ? undefined : this.people.get(other)?.cadence);
        let entry = prev;
        if (!prev || prev.last !== last || prev.cadence !== cadence) {
          entry = {
            src: t,
            other,
            pair,
            last,
            cadence,
            snap: snapshotTie(t, last, cadence),
          };
        }
        next.set(t.id, entry!);
        if (same && prevTies![out.length] !== entry!.snap) same = false;
        out.push(entry!.snap);
      }
      this.ties = next;
      ties = same ? prevTies! : out;
    }

    const introsSrc = listIntros(nb);
    if (introsSrc !== this.introsSrc) {
      this.introsSrc = introsSrc;
      this.introsSnap = introsSrc.map((i) => snapshotIntro(i));
    }

    // Always a new snapshot object: results are cached per snapshot object, and `now`
    // moves. Unchanged lists are reused as they are.
    this.last = { owner, now: formatInstant(now), people, ties, intros: this.introsSnap };
    return this.last;
  }

  /**
   * Newest touch per person and per pair of people, from one pass over `listTouches` (ids
   * resolved through merges, deleted people, removed and doubled imports left out), as `lastTouched` and
   * `tieLastTouched` define them. Redone only when touches or people changed.
   */
  private *touchAggregates(nb: Notebook): Generator<void, boolean, void> {
    // People matter here only through who is live and who was merged into whom; a
    // rename or a new tag leaves every "last touched" as it was.
    const live = listPeople(nb);
    if (live !== this.liveSrc) {
      const before = this.liveSrc;
      this.liveSrc = live;
      if (
        !before ||
        before.length !== live.length ||
        before.some((p, i) => p.id !== live[i]!.id || p.mergedInto !== live[i]!.mergedInto) ||
        rawList(nb, 'people').length !== this.rawPeople
      ) {
        this.liveVersion++;
      }
      this.rawPeople = rawList(nb, 'people').length;
    }
    const deps = `${this.liveVersion}/${nb.versions.touches}`;
    if (deps === this.touchDeps) return false;
    const personLast = new Map<string, string>();
    const pairLast = new Map<string, string>();
    let tick = 0;
    // The model's reading of touches: ids resolved through merges, deleted people
    // dropped, removed imported touches (tombstones) and a meeting imported twice left out.
    for (const t of listTouches(nb)) {
      if ((++tick & 2047) === 0) yield;
      const ids = t.personIds;
      for (let i = 0; i < ids.length; i++) {
        const a = ids[i]!;
        const seen = personLast.get(a);
        if (seen === undefined || t.at > seen) personLast.set(a, t.at);
        for (let j = i + 1; j < ids.length; j++) {
          const key = pairKey(a, ids[j]!);
          const both = pairLast.get(key);
          if (both === undefined || t.at > both) pairLast.set(key, t.at);
        }
      }
    }
    // Committed together, only once complete: a build abandoned halfway leaves them as
    // they were.
    this.touchDeps = deps;
    this.personLast = personLast;
    this.pairLast = pairLast;
    return true;
  }
}
