/**
 * Web Worker that runs the whole network analysis (`analyze` from `src/analysis/`) off the
 * main thread, so Louvain at 10,000 people never freezes the page.
 *
 * Exposed with Comlink ({@link AnalysisWorkerApi}; docs/decisions/0019): the snapshot
 * arrives in parts (`part` calls of at most a few thousand people or ties each, so that no
 * one `postMessage` — a synchronous structured clone on the page's thread — becomes a long
 * task), then `run` carries the owner, "now", the previous clusters (so cluster ids, and
 * the graph's colours, stay put across edits) and options, and returns the
 * {@link AnalysisResponse}. The worker keeps nothing else between runs and can be
 * restarted at any time.
 *
 * The body is {@link createWorkerBody} around {@link handleAnalysisRequest}, plain
 * functions: the unit tests and the main-thread fallback (no `Worker`, e.g. Node) call
 * them directly.
 */
import { analyze, type Analysis, type AnalyzeOptions } from '../analysis/index.ts';
import type { ClusterLike } from '../analysis/clusters.ts';
import type { GraphSnapshot } from '../analysis/snapshot.ts';
import { groupPeople, ownerTieShare, type Grouping } from '../analysis/grouping.ts';
import * as Comlink from 'comlink';
import { inDedicatedWorker } from '../graph/worker-client.ts';

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

/** The parts of a snapshot that travel separately (see {@link AnalysisWorkerApi.part}). */
export type SnapshotPartKey = 'people' | 'ties' | 'intros';

/** What closes a run whose parts came before: everything of the request but the lists. */
export type RunMessage = Omit<AnalysisRequest, 'snapshot'> & {
  readonly owner: string;
  readonly now: string;
};

/**
 * The worker's interface, exposed with Comlink: `part` for each slice of a run's snapshot,
 * then `run` with the rest of the request.
 */
export interface AnalysisWorkerApi {
  /** Add `items` to run `id`'s snapshot list `key` (a newer id drops an older run's parts). */
  part(id: number, key: SnapshotPartKey, items: readonly unknown[]): void;
  /** Analyse the parts sent for `msg.id`. */
  run(msg: RunMessage): AnalysisResponse;
}

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
 * The worker's body as a plain object: collects parts, answers `run`. Parts of an older
 * run still arriving are dropped when a newer run's parts begin.
 */
export function createWorkerBody(): AnalysisWorkerApi {
  let id = -1;
  let parts = { people: [] as unknown[], ties: [] as unknown[], intros: [] as unknown[] };
  const begin = (next: number) => {
    if (next === id) return;
    id = next;
    parts = { people: [], ties: [], intros: [] };
  };
  return {
    part(next, key, items) {
      begin(next);
      for (const item of items) parts[key].push(item);
    },
    run(msg) {
      begin(msg.id);
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
    },
  };
}

// Only expose inside a dedicated worker: Node (tests) imports this file for
// `handleAnalysisRequest` and must not listen on the global scope.
if (inDedicatedWorker()) Comlink.expose(createWorkerBody());
