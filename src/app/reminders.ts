/**
 * Today in the running app: the items of `today()` (src/model/today.ts), kept current as
 * the notebook changes, without ever doing the costly part on the page's thread.
 *
 * The costly part of Today is the neglect ranking over the whole network (a snapshot of
 * every person, tie and touch, then the ranking). The app's analysis already computes that
 * ranking in its Web Worker after every edit ({@link AnalysisClient}); the feed hands it to
 * `today()` together with the snapshot it came from, so what runs here is only the cheap
 * rest (asks, follow-ups, outcomes, birthdays, meetings, snoozes): a pass over the people
 * and the introductions.
 *
 * A ranking is a little behind the notebook (the analysis reruns after a short debounce):
 * an entry whose person was touched after the ranking was made is left out at once, so a
 * "Log touch" takes the item off the list without waiting for the worker.
 *
 * One feed per notebook ({@link todayFeed}); `change` fires when the items change.
 */
import type { NeglectedTie } from '../analysis/index.ts';
import { lastTouched, today, type Notebook, type TodayResult } from '../model/index.ts';
import type { AnalysisClient } from './analysis-client.ts';
import type { AppServices } from './services.ts';

/** The items Today lists now, kept current. Events: `change`. */
export class TodayFeed extends EventTarget {
  /** The latest items; `undefined` until the first network analysis has finished. */
  result: TodayResult | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onDoc = () => this.schedule();
  private readonly onResult = () => {
    this.touchesAtResult = this.nb.versions.touches;
    this.schedule();
  };
  /** The touches' version when the ranking arrived: unchanged, it cannot be stale. */
  private touchesAtResult = -1;

  constructor(
    readonly nb: Notebook,
    private readonly analysis: AnalysisClient | undefined,
    private readonly now: () => Date = () => nb.now(),
  ) {
    super();
    nb.doc.on('afterTransaction', this.onDoc);
    analysis?.addEventListener('result', this.onResult);
    if (analysis?.latest) this.touchesAtResult = nb.versions.touches;
    this.schedule();
  }

  /** How many items are listed (0 before the first result). */
  get count(): number {
    return this.result?.items.length ?? 0;
  }

  /** Recompute now (tests, and right after a command whose result must show at once). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const analysis = this.analysis;
    const a = analysis ? analysis.latest : undefined;
    // Without a worker-made ranking (no analysis in this app), compute it all here.
    if (analysis && !a) return;
    const nb = this.nb;
    const settings = a
      ? {
          neglected:
            nb.versions.touches === this.touchesAtResult
              ? a.neglected
              : a.neglected.filter((n) => !touchedSince(nb, n)),
          ...(analysis?.latestSnapshot ? { snapshot: analysis.latestSnapshot } : {}),
        }
      : {};
    const next = today(nb, this.now(), settings);
    if (this.result && sameItems(this.result, next)) return;
    this.result = next;
    this.dispatchEvent(new Event('change'));
  }

  /** Stop listening; the feed keeps its last result. */
  destroy(): void {
    clearTimeout(this.timer);
    this.nb.doc.off('afterTransaction', this.onDoc);
    this.analysis?.removeEventListener('result', this.onResult);
  }

  /** Many transactions in a row (an import, a merge) make one recompute. */
  private schedule(): void {
    if (this.timer === undefined) this.timer = setTimeout(() => this.refresh(), 0);
  }
}

/** The person was touched on a later day than the ranking knew of. */
function touchedSince(nb: Notebook, n: NeglectedTie): boolean {
  const last = lastTouched(nb, n.personId);
  return last !== undefined && (!n.lastTouched || last.slice(0, 10) > n.lastTouched.slice(0, 10));
}

function sameItems(a: TodayResult, b: TodayResult): boolean {
  if (a.items.length !== b.items.length || a.snoozed !== b.snoozed) return false;
  if (a.dismissed !== b.dismissed) return false;
  return a.items.every((it, i) => it.key === b.items[i]!.key && it.text === b.items[i]!.text);
}

const feeds = new WeakMap<Notebook, TodayFeed>();

/** The app's one feed for these services' notebook (made on first use). */
export function todayFeed(services: AppServices): TodayFeed {
  let feed = feeds.get(services.nb);
  if (!feed) {
    feed = new TodayFeed(services.nb, services.analysis);
    feeds.set(services.nb, feed);
  }
  return feed;
}
