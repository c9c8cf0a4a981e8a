/**
 * The app's analysis client in Node: the worker body runs as a plain function (or behind a
 * runner the test holds), so debounce, "one run in flight" and stable cluster ids are
 * checked without a browser.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Notebook,
  addPerson,
  applyActivity,
  deletePerson,
  editTouch,
  getOwner,
  graphSnapshot,
  linkPeople,
  listPeople,
  listTies,
  listTouches,
  logTouch,
  mergePeople,
  removeTouch,
  restorePerson,
  setTagCadence,
  updatePerson,
  updateTie,
} from '../../src/model/index.ts';
import { loadSampleNetwork } from '../../src/app/sample-network.ts';
import {
  AnalysisClient,
  AnalysisView,
  SnapshotBuilder,
  analysisGraphInput,
  clusterOfMap,
  inlineAnalysisRunner,
  neglectedTieIds,
  type AnalysisRequest,
  type AnalysisResponse,
  type AnalysisRunner,
} from '../../src/app/analysis-client.ts';
import { createWorkerBody, handleAnalysisRequest } from '../../src/app/analysis.worker.ts';
import { generateNotebook } from '../bench/gen-notebook.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

function sampleNotebook(): Notebook {
  const nb = new Notebook(undefined, { now: () => NOW });
  loadSampleNetwork(nb, { seed: 7, now: NOW, ownerName: 'Robin' });
  return nb;
}

/** A runner whose runs the test finishes by hand; records every request. */
function heldRunner() {
  const requests: AnalysisRequest[] = [];
  const pending: (() => void)[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const runner: AnalysisRunner = {
    run(req) {
      requests.push(req);
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      return new Promise<AnalysisResponse>((resolve) =>
        pending.push(() => {
          concurrent--;
          resolve(handleAnalysisRequest(req));
        }),
      );
    },
    destroy() {},
  };
  return {
    runner,
    requests,
    /** Finish the oldest pending run (once it reached the runner) and let the client react. */
    async finish() {
      for (let i = 0; i < 200 && !pending.length; i++) await vi.advanceTimersByTimeAsync(0);
      pending.shift()?.();
      await settle();
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    get pendingCount() {
      return pending.length;
    },
  };
}

/**
 * Let the client's sliced snapshot build (it yields with zero-delay timers) and its promise
 * chain run to the next wait, without moving the clock.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 200; i++) await vi.advanceTimersByTimeAsync(0);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the analysis worker body', () => {
  it('answers with clusters, scores in words and neglected ties for the sample network', () => {
    const nb = sampleNotebook();
    const res = handleAnalysisRequest({ id: 3, snapshot: graphSnapshot(nb) });
    expect(res.id).toBe(3);
    if ('error' in res) throw new Error(res.error);
    const { analysis } = res;
    expect(analysis.clusters.length).toBeGreaterThanOrEqual(3);
    for (const c of analysis.clusters) {
      expect(c.explanation).toMatch(/\w+ .*\./);
      expect(c.selfSustaining).toBeGreaterThanOrEqual(0);
      expect(c.selfSustaining).toBeLessThanOrEqual(1);
    }
    expect(analysis.neglected.length).toBeGreaterThan(0);
    expect(analysis.neglected[0]!.reason).toMatch(/overdue/);
    // Everything crosses postMessage: structured clone of the result loses nothing.
    expect(structuredClone(analysis)).toEqual(analysis);
  });

  it('takes the snapshot in parts, answers the run, and drops parts of an older run', () => {
    const nb = sampleNotebook();
    const snapshot = graphSnapshot(nb);
    const body = createWorkerBody();
    // A run whose parts were cut short by a newer one leaves nothing behind.
    body.part(1, 'people', snapshot.people.slice(0, 5));
    for (const key of ['people', 'ties', 'intros'] as const) {
      const list = snapshot[key];
      for (let i = 0; i < list.length; i += 40) {
        expect(body.part(2, key, list.slice(i, i + 40))).toBeUndefined();
      }
    }
    const answer = body.run({ id: 2, owner: snapshot.owner, now: snapshot.now });
    expect(answer).toEqual({
      ...handleAnalysisRequest({ id: 2, snapshot }),
      ms: expect.any(Number),
    });
    if (!answer || 'error' in answer) throw new Error('no analysis');
    // The page gets no per-tie tables it does not show.
    expect(answer.analysis).not.toHaveProperty('embeddedness');
    expect(answer.analysis.clusters.length).toBeGreaterThanOrEqual(3);
  });

  it('turns a failure into an error answer instead of throwing', () => {
    const res = handleAnalysisRequest({
      id: 1,
      snapshot: null as unknown as AnalysisRequest['snapshot'],
    });
    expect(res).toMatchObject({ id: 1, error: expect.any(String) });
  });
});

describe('AnalysisClient', () => {
  it('runs at once on start and resolves whenReady with the first result', async () => {
    const nb = sampleNotebook();
    const client = new AnalysisClient(nb, { runner: inlineAnalysisRunner() });
    const first = await client.whenReady;
    expect(client.latest).toBe(first);
    expect(first.owner).toBe(getOwner(nb)!.id);
    expect(clusterOfMap(first).size).toBe(Object.keys(first.assignment).length);
    expect(clusterOfMap(first)).toBe(clusterOfMap(first));
    expect(neglectedTieIds(first).size).toBe(first.neglected.length);
    expect(client.status).toBe('idle');
    client.destroy();
  });

  it('waits for a quiet moment after edits: a burst of keystrokes is one run', async () => {
    vi.useFakeTimers();
    const nb = sampleNotebook();
    const held = heldRunner();
    const client = new AnalysisClient(nb, { runner: held.runner, debounceMs: 400 });
    await held.finish();
    expect(held.requests).toHaveLength(1);

    const id = addPerson(nb, { name: 'T' });
    for (const name of ['Te', 'Tes', 'Tess', 'Tessa']) {
      await vi.advanceTimersByTimeAsync(150);
      nb.write(() => nb.people.get(id)!.set('name', name));
    }
    expect(client.status).toBe('waiting');
    await vi.advanceTimersByTimeAsync(399);
    expect(held.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(held.requests).toHaveLength(2);
    expect(held.requests[1]!.snapshot.people.some((p) => p.name === 'Tessa')).toBe(true);
    await held.finish();
    expect(client.latest!.clusters.length).toBeGreaterThan(0);
    expect(client.status).toBe('idle');
    client.destroy();
  });

  it('runs nothing before `start` settles, then once, with the edits made meanwhile', async () => {
    vi.useFakeTimers();
    const nb = sampleNotebook();
    const held = heldRunner();
    let drawn!: () => void;
    const start = new Promise<void>((resolve) => (drawn = resolve));
    const client = new AnalysisClient(nb, { runner: held.runner, debounceMs: 50, start });
    addPerson(nb, { name: 'Before the draw' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(held.requests).toHaveLength(0);
    drawn();
    await held.finish();
    expect(held.requests).toHaveLength(1);
    expect(held.requests[0]!.snapshot.people.some((p) => p.name === 'Before the draw')).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.requests).toHaveLength(1);
    expect(client.latest).toBeDefined();
    client.destroy();
  });

  it('still reruns during endless typing, at most maxWait after the first edit', async () => {
    vi.useFakeTimers();
    const nb = sampleNotebook();
    const held = heldRunner();
    const client = new AnalysisClient(nb, {
      runner: held.runner,
      debounceMs: 400,
      maxWaitMs: 2000,
    });
    await held.finish();
    const id = addPerson(nb, { name: 'A' });
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(200);
      nb.write(() => nb.people.get(id)!.set('name', `A${i}`));
    }
    await settle();
    // 4 s of typing with 200 ms gaps: never quiet for 400 ms, yet it ran.
    expect(held.requests.length).toBeGreaterThanOrEqual(2);
    client.destroy();
  });

  it('keeps one run in flight and follows up once for edits made during it', async () => {
    vi.useFakeTimers();
    const nb = sampleNotebook();
    const held = heldRunner();
    const client = new AnalysisClient(nb, { runner: held.runner, debounceMs: 100 });
    // The first run is still in flight; three edits, each past the debounce.
    const people = listPeople(nb);
    for (let i = 0; i < 3; i++) {
      linkPeople(nb, people[i]!.id, people[people.length - 1 - i]!.id);
      await vi.advanceTimersByTimeAsync(150);
    }
    expect(held.requests).toHaveLength(1);
    expect(held.maxConcurrent).toBe(1);
    await held.finish();
    // Exactly one follow-up, carrying all three edits.
    expect(held.requests).toHaveLength(2);
    expect(held.requests[1]!.snapshot.ties.length).toBe(held.requests[0]!.snapshot.ties.length + 3);
    await held.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(held.requests).toHaveLength(2);
    expect(held.maxConcurrent).toBe(1);
    expect(client.status).toBe('idle');
    client.destroy();
  });

  it('passes the previous clusters along, so ids stay put after a small edit', async () => {
    vi.useFakeTimers();
    const nb = sampleNotebook();
    const held = heldRunner();
    const client = new AnalysisClient(nb, { runner: held.runner, debounceMs: 50 });
    await held.finish();
    const before = client.latest!;
    expect(held.requests[0]!.previous).toBeUndefined();

    const [a, b] = before.clusters[0]!.members;
    linkPeople(nb, a!, before.clusters[1]!.members[0]!);
    logTouch(nb, { personIds: [b!] });
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    expect(held.requests[1]!.previous).toEqual(
      before.clusters.map((c) => ({ id: c.id, members: c.members })),
    );
    await held.finish();
    const after = client.latest!;
    expect(after).not.toBe(before);
    // Nearly everyone keeps the cluster id (and so the colour) they had.
    const same = Object.entries(before.assignment).filter(
      ([person, cluster]) => after.assignment[person] === cluster,
    ).length;
    expect(same / Object.keys(before.assignment).length).toBeGreaterThan(0.9);
    client.destroy();
  });

  it('keeps the last good result when a run fails, and says so', async () => {
    const nb = sampleNotebook();
    let fail = false;
    const inline = inlineAnalysisRunner();
    const client = new AnalysisClient(nb, {
      debounceMs: 10,
      runner: {
        run: (req) => (fail ? Promise.resolve({ id: req.id, error: 'boom' }) : inline.run(req)),
        destroy() {},
      },
    });
    const first = await client.whenReady;
    fail = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const failed = new Promise((ok) => client.addEventListener('error', ok, { once: true }));
    addPerson(nb, { name: 'Someone' });
    await failed;
    expect(client.error).toBe('boom');
    expect(client.latest).toBe(first);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    client.destroy();
  });

  it('reruns when the date moves on, with no edit', async () => {
    vi.useFakeTimers();
    let now = new Date('2026-06-01T23:50:00Z');
    const nb = new Notebook(undefined, { now: () => now });
    loadSampleNetwork(nb, { seed: 7, now, ownerName: 'Robin' });
    const held = heldRunner();
    const client = new AnalysisClient(nb, { runner: held.runner });
    await held.finish();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(held.requests).toHaveLength(1);
    now = new Date('2026-06-02T00:20:00Z');
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    await settle();
    expect(held.requests).toHaveLength(2);
    expect(held.requests[1]!.snapshot.now).toBe('2026-06-02T00:20:00.000Z');
    client.destroy();
  });

  it('stops listening on destroy', async () => {
    vi.useFakeTimers();
    const nb = sampleNotebook();
    const held = heldRunner();
    let destroyed = 0;
    const client = new AnalysisClient(nb, {
      runner: { ...held.runner, destroy: () => destroyed++ },
      debounceMs: 10,
    });
    await held.finish();
    client.destroy();
    addPerson(nb, { name: 'Late' });
    await vi.advanceTimersByTimeAsync(100);
    expect(held.requests).toHaveLength(1);
    expect(destroyed).toBe(1);
  });
});

describe('SnapshotBuilder', () => {
  it('builds exactly what graphSnapshot builds, edit after edit', () => {
    const nb = sampleNotebook();
    const builder = new SnapshotBuilder();
    const same = () => {
      const mine = builder.build(nb);
      expect(mine).toEqual(graphSnapshot(nb, new Date(mine.now)));
      return mine;
    };
    const first = same();
    // Nothing changed: the lists are reused as they are.
    const again = same();
    expect(again).not.toBe(first);
    expect(again.people).toBe(first.people);
    expect(again.ties).toBe(first.ties);

    const people = listPeople(nb);
    const [a, b, c, d] = [people[3]!.id, people[10]!.id, people[20]!.id, people[30]!.id];
    logTouch(nb, { personIds: [a, b], at: '2026-05-30' });
    const touched = same();
    expect(touched.people.find((p) => p.id === a)!.lastTouched).toBe('2026-05-30');
    updatePerson(nb, c, { name: 'Renamed Person', tags: ['family'] });
    same();
    setTagCadence(nb, 'family', 7);
    same();
    const t = listTouches(nb)[0]!;
    editTouch(nb, t.id, { at: '2020-01-01' });
    same();
    removeTouch(nb, t.id);
    same();
    updateTie(nb, listTies(nb)[0]!.id, { cadenceDays: 3 });
    same();
    deletePerson(nb, d);
    same();
    restorePerson(nb, d);
    same();
    mergePeople(nb, a, b);
    same();
  });
  it('leaves removed and doubled imported touches out of "last touched", as the model does', () => {
    const nb = sampleNotebook();
    const builder = new SnapshotBuilder();
    const a = listPeople(nb)[5]!.id;
    const b = listPeople(nb)[6]!.id;
    applyActivity(nb, {
      touches: [{ personIds: [a, b], at: '2026-05-31', channel: 'meeting', source: 'ics:x/1' }],
    });
    const meeting = listTouches(nb).find((t) => t.source === 'ics:x/1')!;
    expect(builder.build(nb).people.find((p) => p.id === a)!.lastTouched).toBe('2026-05-31');
    removeTouch(nb, meeting.id);
    const after = builder.build(nb);
    expect(after.people.find((p) => p.id === a)!.lastTouched).not.toBe('2026-05-31');
    expect(after).toEqual(graphSnapshot(nb, new Date(after.now)));
  });
});

describe('SnapshotBuilder.buildSliced', () => {
  it('builds in slices and starts over when an edit lands in between', async () => {
    const { nb, ids } = generateNotebook(1000);
    const builder = new SnapshotBuilder();
    const edit = setTimeout(() =>
      logTouch(nb, { personIds: [ids[1]!, ids[2]!], at: '2026-06-01T11:00:00.000Z' }),
    );
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const result = await builder.buildSliced(nb, NOW, 0);
    const slices = spy.mock.calls.length;
    spy.mockRestore();
    clearTimeout(edit);
    // It paused at least once, and what it returns already has the edit in it.
    expect(slices).toBeGreaterThan(0);
    expect(result.people.find((p) => p.id === ids[1])!.lastTouched).toBe(
      '2026-06-01T11:00:00.000Z',
    );
    expect(result).toEqual(graphSnapshot(nb, NOW));
    expect(builder.lastBusyMs).toBeGreaterThan(0);
  });
});

describe('AnalysisView', () => {
  it('fires one change per real change', () => {
    const view = new AnalysisView();
    let changes = 0;
    view.addEventListener('change', () => changes++);
    view.set({ clusterId: 'c-1', withoutMe: true });
    view.set({ clusterId: 'c-1' });
    view.set({ highlight: false });
    expect(changes).toBe(1);
    expect(view).toMatchObject({ clusterId: 'c-1', withoutMe: true, highlight: false });
  });
});

describe('analysisGraphInput', () => {
  const nb = sampleNotebook();
  const res = handleAnalysisRequest({ id: 1, snapshot: graphSnapshot(nb) });
  if ('error' in res) throw new Error(res.error);
  const analysis = res.analysis;
  const base = { people: listPeople(nb), ties: listTies(nb), ownerId: nb.ownerId! };
  const view = new AnalysisView();

  it('colours everyone clustered and marks the neglected ties', () => {
    const input = analysisGraphInput(base, analysis, view);
    expect(input.overview).toBe(false);
    expect(input.people).toBe(base.people);
    expect(input.clusterOf!.size).toBe(Object.keys(analysis.assignment).length);
    expect([...input.overdueTieIds!].sort()).toEqual(analysis.neglected.map((n) => n.tieId).sort());
  });

  it('keeps one cluster and the owner, and hides the owner "without me"', () => {
    const c = analysis.clusters[0]!;
    const one = analysisGraphInput(base, analysis, { ...view, clusterId: c.id });
    expect(one.people.map((p) => p.id).sort()).toEqual([...c.members, base.ownerId].sort());
    const alone = analysisGraphInput(base, analysis, { ...view, clusterId: c.id, withoutMe: true });
    expect(alone.people.map((p) => p.id).sort()).toEqual([...c.members].sort());
    const all = analysisGraphInput(base, analysis, { ...view, withoutMe: true });
    expect(all.people).toHaveLength(base.people.length - 1);
    expect(all.people.some((p) => p.id === base.ownerId)).toBe(false);
  });

  it('draws brokers largest when highlighting', () => {
    const input = analysisGraphInput(base, analysis, { ...view, highlight: true });
    const broker = analysis.brokers.find((b) => b.clusters.length > 1)!;
    expect(input.importance!.get(broker.personId)).toBe(1);
    const plain = base.people.find(
      (p) => p.id !== base.ownerId && !analysis.brokers.some((b) => b.personId === p.id),
    )!;
    expect(input.importance!.get(plain.id)).toBeLessThan(0.5);
  });

  it('shows clusters as nodes in the overview, linked where people are', () => {
    const input = analysisGraphInput(base, analysis, { ...view, overview: 'on' }, () => 'X');
    expect(input.overview).toBe(true);
    const ids = input.people.map((p) => p.id);
    expect(ids).toEqual([...analysis.clusters.map((c) => c.id), base.ownerId]);
    expect(input.people[0]!.name).toMatch(/\(\d+\)$/);
    // The owner knows someone in every cluster of the sample.
    const ownerTies = input.ties.filter((t) => t.from === base.ownerId || t.to === base.ownerId);
    expect(ownerTies).toHaveLength(analysis.clusters.length);
    for (const t of input.ties) expect(ids).toContain(t.from);
    const without = analysisGraphInput(base, analysis, {
      ...view,
      overview: 'on',
      withoutMe: true,
    });
    expect(without.people.some((p) => p.id === base.ownerId)).toBe(false);
  });
});
