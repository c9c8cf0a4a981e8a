/**
 * What `<vt-graph>` hands the graph view, derived from the notebook: visible people and
 * ties, the owner, and which ties are overdue. Memoised on the collection versions so the
 * view's identity diff sees unchanged objects as unchanged.
 */
import { formatDay, toTime } from '../../time/dates.ts';
import {
  OPEN_STATES,
  cadenceStatus,
  effectiveCadence,
  getPerson,
  listIntros,
  listTies,
  tieLastTouched,
  type Intro,
  type Notebook,
} from '../../model/index.ts';

const cache = new WeakMap<Notebook, { key: string; value: ReadonlySet<string> }>();

/**
 * Ties whose cadence ran out, by the one definition ({@link cadenceStatus}): counting from
 * the newest touch that reached the tie (else when it was added: the later of `since` and
 * its creation, as the neglect ranking counts), against the tie's cadence, else the
 * non-owner end's effective cadence.
 */
export function overdueTieIds(nb: Notebook, now = nb.now()): ReadonlySet<string> {
  const v = nb.versions;
  // Day resolution: "overdue" does not change within a day, and the set keeps its identity.
  const key = `${v.people}/${v.ties}/${v.touches}/${v.meta}/${formatDay(now)}`;
  const hit = cache.get(nb);
  if (hit && hit.key === key) return hit.value;
  const owner = nb.ownerId;
  const out = new Set<string>();
  const t0 = now.getTime();
  for (const tie of listTies(nb)) {
    let cadence = tie.cadenceDays;
    if (!cadence) {
      const other = tie.from === owner ? tie.to : tie.to === owner ? tie.from : undefined;
      const p = other === undefined ? undefined : getPerson(nb, other);
      cadence = p ? effectiveCadence(nb, p) : undefined;
    }
    if (!cadence) continue;
    const added = Math.max(toTime(tie.since) ?? -Infinity, toTime(tie.createdAt) ?? -Infinity);
    const from = toTime(tieLastTouched(nb, tie)) ?? added;
    if ((cadenceStatus(from, cadence, t0)?.daysOverdue ?? 0) > 0) out.add(tie.id);
  }
  cache.set(nb, { key, value: out });
  return out;
}

const OPEN: ReadonlySet<string> = new Set(OPEN_STATES);
const pendingCache = new WeakMap<Notebook, { all: readonly Intro[]; value: readonly Intro[] }>();

/**
 * Introductions under way (idea, asked A, asked B), for the graph's dashed lines. Keeps
 * the same array while what the graph draws of them (id, people, state) is unchanged — an
 * edit of an introduction's purpose must not make the view re-diff 10,000 people.
 */
export function pendingIntros(nb: Notebook): readonly Intro[] {
  const all = listIntros(nb);
  const hit = pendingCache.get(nb);
  if (hit && hit.all === all) return hit.value;
  const next = all.filter((i) => OPEN.has(i.state));
  const prev = hit?.value;
  const same =
    prev !== undefined &&
    prev.length === next.length &&
    prev.every((p, k) => {
      const n = next[k]!;
      return p.id === n.id && p.a === n.a && p.b === n.b && p.state === n.state;
    });
  const value = same ? prev : Object.freeze(next);
  pendingCache.set(nb, { all, value });
  return value;
}
