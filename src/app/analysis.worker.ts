/**
 * Web Worker that runs the whole network analysis (`analyze` from `src/analysis/`) off the
 * main thread, so Louvain at 10,000 people never freezes the page.
 *
 * Protocol ({@link WorkerMessage} in, {@link AnalysisResponse} out): the snapshot arrives
 * in parts (`part` messages of at most a few thousand people or ties each, so that no one
 * `postMessage` — a synchronous structured clone on the page's thread — becomes a long
 * task), then `run` carries the owner, "now", the previous clusters (so cluster ids, and
 * the graph's colours, stay put across edits) and options. The worker keeps nothing else
 * between runs and can be restarted at any time.
 *
 * The body is {@link handleAnalysisRequest}, a plain function: the unit tests and the
 * main-thread fallback (no `Worker`, e.g. Node) call it directly.
 */
import { analyze, type Analysis, type AnalyzeOptions } from '../analysis/index.ts';
import type { ClusterLike } from '../analysis/clusters.ts';
import type { GraphSnapshot } from '../analysis/snapshot.ts';
import { groupPeople, ownerTieShare, type Grouping } from '../analysis/grouping.ts';

/**
 * What the page gets back: the analysis without the per-tie and per-person tables the app
 * does not show (`embeddedness`, `structuralHoles`, `localBridges`). At 10,000 people they
 * are most of the result's size, and copying them back would be a long task on the page.
 */
export type AppAnalysis = Omit<Analysis, 'embeddedness' | 'structuralHoles' | 'localBridges'> & {
  /** Everyone but the owner grouped by organisation and by tag (issue 12: sparse notebooks). */
  readonly groupings: { readonly org: Grouping; readonly tag: Grouping };
  /** Share of ties that run to the owner (1 for a LinkedIn-only notebook). */
  readonly ownerTieShare: number;
};

/** One run: the snapshot, the clusters of the last result and the analysis options. */
export interface AnalysisRequest {
  /** Echoed back, so a late answer to an old run can be told apart. */
  readonly id: number;
  readonly snapshot: GraphSnapshot;
  /** Clusters of the previous result (only ids and members cross the boundary). */
  readonly previous?: readonly ClusterLike[];
  readonly options?: Omit<AnalyzeOptions, 'previous'>;
}

/** The answer: the analysis and how long it took inside the worker, or what went wrong. */
export type AnalysisResponse =
  | { readonly id: number; readonly analysis: AppAnalysis; readonly ms: number }
  | { readonly id: number; readonly error: string };

/** Messages the worker takes: parts of a snapshot, then the run that uses them. */
export type WorkerMessage =
  | {
      readonly type: 'part';
      readonly id: number;
      readonly key: 'people' | 'ties' | 'intros';
      readonly items: readonly unknown[];
    }
  | ({ readonly type: 'run' } & Omit<AnalysisRequest, 'snapshot'> & {
        readonly owner: string;
        readonly now: string;
      });

/** Run one request; never throws (an error becomes an `{ id, error }` answer). */
export function handleAnalysisRequest(req: AnalysisRequest): AnalysisResponse {
  const t0 = performance.now();
  try {
    const full = analyze(req.snapshot, {
      ...req.options,
      ...(req.previous?.length ? { previous: req.previous } : {}),
    });
    const analysis: AppAnalysis = {
      owner: full.owner,
      now: full.now,
      clusters: full.clusters,
      modularity: full.modularity,
      assignment: full.assignment,
      unclustered: full.unclustered,
      neglected: full.neglected,
      brokers: full.brokers,
      you: full.you,
      bridges: full.bridges,
      feeding: full.feeding,
      groupings: {
        org: groupPeople(req.snapshot, 'org'),
        tag: groupPeople(req.snapshot, 'tag'),
      },
      ownerTieShare: ownerTieShare(req.snapshot),
    };
    return { id: req.id, analysis, ms: performance.now() - t0 };
  } catch (err) {
    return { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The worker's message handler as a plain object: collects parts, answers `run`. Parts of
 * an older run still arriving are dropped when a newer run's parts begin.
 */
export function createWorkerBody(): (msg: WorkerMessage) => AnalysisResponse | undefined {
  let id = -1;
  let parts = { people: [] as unknown[], ties: [] as unknown[], intros: [] as unknown[] };
  return (msg) => {
    if (msg.id !== id) {
      id = msg.id;
      parts = { people: [], ties: [], intros: [] };
    }
    if (msg.type === 'part') {
      for (const item of msg.items) parts[msg.key].push(item);
      return undefined;
    }
    const snapshot = {
      owner: msg.owner,
      now: msg.now,
      people: parts.people,
      ties: parts.ties,
      intros: parts.intros,
    } as GraphSnapshot;
    parts = { people: [], ties: [], intros: [] };
    return handleAnalysisRequest({
      id: msg.id,
      snapshot,
      ...(msg.previous ? { previous: msg.previous } : {}),
      ...(msg.options ? { options: msg.options } : {}),
    });
  };
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkerMessage>) => void) | null;
  postMessage(message: AnalysisResponse): void;
}

// Only wire up messages inside a dedicated worker: Node (tests) imports this file for
// `handleAnalysisRequest` and must not touch a global `onmessage`.
const WorkerGlobal = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
  .WorkerGlobalScope;
if (WorkerGlobal !== undefined && globalThis instanceof WorkerGlobal) {
  const scope = globalThis as unknown as WorkerScope;
  const body = createWorkerBody();
  scope.onmessage = (e) => {
    const answer = body(e.data);
    if (answer) scope.postMessage(answer);
  };
}
