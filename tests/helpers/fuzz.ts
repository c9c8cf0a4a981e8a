/**
 * Seeded convergence fuzz, in the style of Yjs's own tests (yjs v13 `tests/testHelper.js`):
 * several notebooks run random commands concurrently; updates travel through per-peer
 * queues delivered in random order, with random disconnects and reconnects (state-vector
 * sync). At the end every notebook must be identical and every invariant must hold.
 *
 * `VITRINE_FUZZ_ROUNDS=5000 npx vitest run tests/unit/convergence.test.ts` for a longer run.
 */
import * as Y from 'yjs';
import {
  INTRO_OUTCOMES,
  LOCAL_ORIGIN,
  Notebook,
  TOUCH_CHANNELS,
  VETTING_PARTS,
  VitrineError,
  addPerson,
  advanceIntro,
  applyActivity,
  createIntro,
  createUndoManager,
  deletePerson,
  editTouch,
  getPerson,
  initNotebook,
  lastTouched,
  linkPeople,
  listIntros,
  listPeople,
  listTies,
  listTouches,
  listTrash,
  logTouch,
  mergePeople,
  purgePerson,
  rawList,
  recordIntroOutcome,
  removeTouch,
  restorePerson,
  setNotes,
  setVetting,
  unlinkTie,
  updatePerson,
  updateTie,
  INTRO_TRANSITIONS,
  dismissTodayItem,
  restoreTodayItem,
  snoozeTodayItem,
  today,
  todayKey,
} from '../../src/model/index.ts';
import { exportJson } from '../../src/io/json.ts';
import {
  mergeNotebookFile,
  openNotebookFile,
  saveNotebookFile,
  waitingChanges,
} from '../../src/io/vitrine-file.ts';
import { rng } from './notebook.ts';
import { UNKNOWN_COLLECTION, hostileWrite, readEverything } from './hostile.ts';

interface Peer {
  nb: Notebook;
  um: Y.UndoManager;
  online: boolean;
  /** Updates waiting for each other peer, by index. */
  inbox: Uint8Array[][];
}

interface Tracker {
  /** Every notes token ever written → the person whose notes it went into. */
  tokens: Map<string, string>;
  /** Tokens legitimately removed (an undo on the device that wrote them). */
  removedTokens: Set<string>;
  /** Entity ids removed on purpose (purge, unlink, remove, undo of a create). */
  deleted: Set<string>;
  created: Set<string>;
  /** Source keys each device imported (the light touch log, decision 0012). */
  importedBy: Map<number, Set<string>>;
  /** Source keys of imported touches a device removed (and did not undo): never listed again. */
  removedSources: Set<string>;
  /** What the import invariants found on the way (undo of an import hiding another's). */
  importProblems: string[];
  imports: number;
}

type Broken = 'replace-map' | undefined;

/** How a round runs. */
export interface RoundOptions {
  /** A deliberately broken command the invariants must catch. */
  broken?: Broken;
  /** Take `.vitrine` backups of random notebooks mid-way; each must restore and merge back. */
  backups?: boolean;
  /**
   * The last notebook is a hostile peer writing raw Yjs (wrong types, nested Yjs types,
   * impossible dates, huge values) instead of commands. Only convergence, "nothing throws"
   * and the backups are checked then: a hostile peer may destroy data on purpose.
   */
  hostile?: boolean;
  /** Fewer peers (2–3) and steps (5–14): for thousands of rounds. */
  small?: boolean;
  /** Counts across rounds, so a test can show the fuzz reached what it claims to test. */
  stats?: FuzzStats;
}

/** What the rounds exercised. */
export interface FuzzStats {
  backups: number;
  /** Backups taken while the notebook held changes waiting for earlier ones. */
  waitingBackups: number;
  hostileWrites: number;
  /** Edits sent that build on one never sent. */
  dangling: number;
  /** Imports into the light touch log, and undos or redos right after one. */
  imports?: number;
}

interface Backup {
  bytes: Uint8Array;
  from: number;
  step: number;
}

function pick<T>(r: () => number, xs: readonly T[]): T | undefined {
  return xs.length ? xs[Math.floor(r() * xs.length)] : undefined;
}

function notesTokens(text: string): string[] {
  return text.match(/#[a-z]\d+n\d+/g) ?? [];
}

function tokensByPerson(nb: Notebook): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of rawList(nb, 'people')) out.set(p.id, new Set(notesTokens(p.notes)));
  return out;
}

/**
 * A deliberately broken edit: replaces a person's whole Y.Map with a fresh copy instead of
 * editing it, the mistake STYLE.md warns about. Concurrent edits on other devices are lost.
 */
function brokenSetNotes(nb: Notebook, id: string, notes: string): void {
  const old = nb.people.get(id)!;
  nb.doc.transact(() => {
    const fresh = new Y.Map<unknown>();
    for (const [k, v] of old.entries()) if (!(v instanceof Y.AbstractType)) fresh.set(k, v);
    nb.people.set(id, fresh);
    const text = new Y.Text();
    fresh.set('notes', text);
    text.insert(0, notes);
  }, LOCAL_ORIGIN);
}

function randomCommand(
  peer: Peer,
  idx: number,
  step: number,
  r: () => number,
  t: Tracker,
  broken: Broken,
): void {
  const nb = peer.nb;
  const people = listPeople(nb);
  const others = people.filter((p) => p.id !== nb.ownerId);
  const person = pick(r, others);
  const ties = listTies(nb);
  const touches = listTouches(nb);
  const intros = listIntros(nb);
  const roll = r();
  const token = `#${String.fromCharCode(97 + idx)}${step}n${Math.floor(r() * 1000)}`;
  if (roll < 0.14 || !person) {
    const id = addPerson(nb, {
      name: `P${idx}-${step}`,
      notes: token,
      tags: r() < 0.5 ? ['client'] : [],
    });
    t.tokens.set(token, id);
    t.created.add(id);
  } else if (roll < 0.3) {
    const p = getPerson(nb, person.id)!;
    // Insert between words, so one edit never splits another's token.
    const words = p.notes.split(' ');
    words.splice(Math.floor(r() * (words.length + 1)), 0, token);
    const next = words.join(' ');
    if (broken === 'replace-map' && r() < 0.5) brokenSetNotes(nb, p.id, next);
    else setNotes(nb, p.id, next);
    t.tokens.set(token, p.id);
  } else if (roll < 0.38) {
    const field = pick(r, ['org', 'role', 'location'] as const)!;
    updatePerson(nb, person.id, {
      [field]: `${field}-${idx}-${step}`,
      cadenceDays: r() < 0.3 ? 30 : null,
    });
  } else if (roll < 0.42) {
    setVetting(nb, person.id, pick(r, VETTING_PARTS)!, {
      status: pick(r, ['unknown', 'heard', 'first-hand'] as const)!,
    });
  } else if (roll < 0.5) {
    const other = pick(
      r,
      people.filter((p) => p.id !== person.id),
    );
    if (other)
      t.created.add(linkPeople(nb, person.id, other.id, { strength: 1 + Math.floor(r() * 5) }));
  } else if (roll < 0.54) {
    const tie = pick(r, ties);
    if (tie)
      updateTie(nb, tie.id, {
        strength: 1 + Math.floor(r() * 5),
        kind: pick(r, ['friend', 'client']),
      });
  } else if (roll < 0.57) {
    const tie = pick(r, ties);
    if (tie) {
      unlinkTie(nb, tie.id);
      t.deleted.add(tie.id);
    }
  } else if (roll < 0.66 && r() < 0.4) {
    // An import from a mailbox every device shares: the same message has the same source
    // key and date everywhere; who it is with may differ (each device matched it itself).
    const keys = new Set(
      Array.from({ length: 1 + Math.floor(r() * 4) }, () => Math.floor(r() * 12)),
    );
    const touches = [...keys].map((k) => ({
      personIds: [person.id, ...(r() < 0.3 ? [pick(r, people)!.id] : [])],
      at: `2026-02-${String(k + 1).padStart(2, '0')}`,
      channel: 'email' as const,
      source: `mail:<${k}@fuzz>`,
    }));
    if (applyActivity(nb, { touches }).touches) t.imports++;
    let mine = t.importedBy.get(idx);
    if (!mine) t.importedBy.set(idx, (mine = new Set()));
    for (const x of touches) mine.add(x.source);
  } else if (roll < 0.66) {
    const ids = [person.id, ...(r() < 0.3 ? [pick(r, people)!.id] : [])];
    const day = 1 + Math.floor(r() * 28);
    t.created.add(
      logTouch(nb, {
        personIds: ids,
        at: `2026-0${1 + Math.floor(r() * 9)}-${String(day).padStart(2, '0')}`,
        channel: pick(r, TOUCH_CHANNELS),
      }),
    );
  } else if (roll < 0.69) {
    const touch = pick(r, touches);
    if (touch)
      editTouch(nb, touch.id, {
        at: `2025-12-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      });
  } else if (roll < 0.71) {
    const touch = pick(r, touches);
    if (touch) {
      removeTouch(nb, touch.id);
      t.deleted.add(touch.id);
      if (touch.source) t.removedSources.add(touch.source);
    }
  } else if (roll < 0.75) {
    deletePerson(nb, person.id);
  } else if (roll < 0.78) {
    const gone = pick(r, listTrash(nb));
    if (gone) {
      if (r() < 0.5) restorePerson(nb, gone.id);
      else {
        purgePerson(nb, gone.id);
        t.deleted.add(gone.id);
      }
    }
  } else if (roll < 0.84) {
    const other = pick(
      r,
      others.filter((p) => p.id !== person.id),
    );
    if (other)
      t.created.add(createIntro(nb, { a: person.id, b: other.id, overrideReason: 'fuzz' }));
  } else if (roll < 0.9) {
    const intro = pick(r, intros);
    if (intro) {
      const next = pick(r, INTRO_TRANSITIONS[intro.state]);
      if (next) advanceIntro(nb, intro.id, next, { declinedBy: intro.a });
      else if (intro.state === 'introduced')
        recordIntroOutcome(nb, intro.id, pick(r, INTRO_OUTCOMES)!);
    }
  } else if (roll < 0.92) {
    const other = pick(
      r,
      others.filter((p) => p.id !== person.id),
    );
    if (other) mergePeople(nb, person.id, other.id);
  } else if (roll < 0.935) {
    // Today: snooze, dismiss or bring back an item (the reminders map).
    // Seen from April, when asks wait and outcomes are due; else a key of a person's.
    const item = pick(r, today(nb, new Date(Date.UTC(2026, 3, 1))).items);
    const key =
      item?.key ??
      pick(r, [...nb.reminders.keys()]) ??
      todayKey('birthday', person.id, '2026-05-01');
    if (key) {
      const what = r();
      if (what < 0.4) dismissTodayItem(nb, key);
      else if (what < 0.8) snoozeTodayItem(nb, key, `2026-0${2 + Math.floor(r() * 7)}-01`);
      else restoreTodayItem(nb, key);
    }
  } else {
    // Undo or redo: whatever that removes was removed on purpose by this device.
    const before = tokensByPerson(nb);
    const keysBefore = new Set([
      ...nb.people.keys(),
      ...nb.ties.keys(),
      ...nb.touches.keys(),
      ...nb.intros.keys(),
    ]);
    const listed = new Map(touches.filter((x) => x.source).map((x) => [x.source!, x]));
    if (r() < 0.75) peer.um.undo();
    else peer.um.redo();
    // Undo or redo hides only imports this device made (or touches whose people left).
    const live = new Set(listPeople(nb).map((p) => p.id));
    const now = new Set(listTouches(nb).map((x) => x.source));
    for (const [source, was] of listed) {
      if (now.has(source) || t.importedBy.get(idx)?.has(source)) continue;
      if (t.removedSources.has(source) || !was.personIds.some((p) => live.has(p))) continue;
      if (rawList(nb, 'touches').some((x) => x.source === source && x.removedAt)) {
        t.removedSources.add(source); // a redo of this device's removal
        continue;
      }
      t.importProblems.push(`an undo on doc ${idx} hid ${source}, which it never imported`);
    }
    // A removal this device undid is no longer a removal.
    for (const source of now) if (source && !listed.has(source)) t.removedSources.delete(source);
    const after = tokensByPerson(nb);
    for (const [id, toks] of before) {
      for (const tok of toks)
        if (!after.get(id)?.has(tok) && t.tokens.get(tok) === id) t.removedTokens.add(tok);
    }
    const keysAfter = new Set([
      ...nb.people.keys(),
      ...nb.ties.keys(),
      ...nb.touches.keys(),
      ...nb.intros.keys(),
    ]);
    for (const k of keysBefore) if (!keysAfter.has(k)) t.deleted.add(k);
  }
}

/**
 * The second of two edits by a device that exists only here (`clientID`): the first is never
 * sent, so the second waits for it for ever (Yjs keeps it pending).
 */
function danglingUpdate(clientID: number, step: number): Uint8Array {
  const doc = fuzzDoc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const person = new Y.Map<unknown>();
  doc.getMap('people').set(`ghost${step}`, person);
  person.set('name', 'Never arrives');
  doc.getMap('meta').set('owner', `ghost${step}`);
  return updates.at(-1)!;
}

/**
 * A document with a fixed guid: Yjs makes a random one from 31 separate
 * `crypto.getRandomValues` calls, a sixth of a small round's time.
 */
function fuzzDoc(): Y.Doc {
  return new Y.Doc({ guid: 'fuzz' });
}

function deliverOne(peers: Peer[], r: () => number): boolean {
  const candidates: [number, number][] = [];
  peers.forEach((to, i) => {
    if (!to.online) return;
    to.inbox.forEach((q, j) => {
      if (q.length && peers[j]!.online) candidates.push([i, j]);
    });
  });
  const c = pick(r, candidates);
  if (!c) return false;
  const q = peers[c[0]]!.inbox[c[1]]!;
  // Random order within a queue too: Yjs must cope with updates that arrive early.
  const k = Math.floor(r() * q.length);
  const [update] = q.splice(k, 1);
  Y.applyUpdate(peers[c[0]]!.nb.doc, update!, 'peer');
  return true;
}

function syncAll(peers: Peer[]): void {
  // Two passes: after the first, every online peer has everything from the others.
  for (let pass = 0; pass < 2; pass++) syncPass(peers);
}

function syncPass(peers: Peer[]): void {
  for (const a of peers) {
    for (const b of peers) {
      if (a === b || !a.online || !b.online) continue;
      Y.applyUpdate(
        b.nb.doc,
        Y.encodeStateAsUpdate(a.nb.doc, Y.encodeStateVector(b.nb.doc)),
        'peer',
      );
    }
  }
}

/** Run one seeded round; returns the violated invariants (empty when all hold). */
export function runRound(seed: number, opts: RoundOptions | Broken = {}): string[] {
  const o: RoundOptions = typeof opts === 'string' ? { broken: opts } : (opts ?? {});
  const r = rng(seed);
  const n = o.small ? 2 + Math.floor(r() * 2) : 3 + Math.floor(r() * 3);
  const t: Tracker = {
    tokens: new Map(),
    removedTokens: new Set(),
    deleted: new Set(),
    created: new Set(),
    importedBy: new Map(),
    removedSources: new Set(),
    importProblems: [],
    imports: 0,
  };
  const problems: string[] = [];
  const backups: Backup[] = [];
  const peers: Peer[] = [];
  for (let i = 0; i < n; i++) {
    let c = 0;
    const doc = fuzzDoc();
    doc.clientID = seed * 10 + i + 1;
    const nb = new Notebook(doc, {
      newId: () => `${String.fromCharCode(97 + i)}${++c}`,
      now: () => new Date(Date.UTC(2026, 0, 1) + c * 60_000),
    });
    peers.push({ nb, um: createUndoManager(nb), online: true, inbox: [] });
  }
  const hostile = o.hostile ? n - 1 : -1;
  let dangling = false;
  peers.forEach((p) => (p.inbox = peers.map(() => [])));
  // Whatever a device removes itself (a command, or its own undo/redo) was removed on purpose.
  for (const p of peers) {
    for (const c of [p.nb.people, p.nb.ties, p.nb.touches, p.nb.intros]) {
      c.observe((event, tr) => {
        if (tr.origin === 'peer') return;
        for (const [key, change] of event.changes.keys)
          if (change.action === 'delete') t.deleted.add(key);
      });
    }
  }
  peers.forEach((p, i) => {
    p.nb.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'peer') return;
      peers.forEach((q, j) => {
        if (j !== i && p.online && q.online) q.inbox[i]!.push(update);
      });
    });
  });
  initNotebook(peers[0]!.nb, 'Owner');
  syncAll(peers);
  peers.forEach((p) => p.um.clear());
  const steps = o.small ? 5 + Math.floor(r() * 10) : 20 + Math.floor(r() * 40);
  for (let s = 0; s < steps; s++) {
    const i = Math.floor(r() * n);
    const peer = peers[i]!;
    const roll = r();
    if (roll < 0.08) {
      peer.online = !peer.online;
      if (peer.online) syncAll(peers);
      else peers.forEach((q) => (q.inbox[i] = []));
      peer.inbox = peers.map(() => []);
    } else if (roll < 0.35) {
      for (let k = Math.floor(r() * 4); k >= 0; k--) deliverOne(peers, r);
    } else if (o.backups && roll < 0.42) {
      backups.push(takeBackup(peer.nb, i, s, problems, o, i === hostile));
    } else if (i === hostile && r() < 0.1) {
      // An edit that builds on one nobody will ever receive: it waits forever everywhere.
      const update = danglingUpdate(seed * 1000 + 900 + s, s);
      Y.applyUpdate(peer.nb.doc, update, 'peer');
      peers.forEach((q, j) => j !== i && q.inbox[i]!.push(update));
      dangling = true;
      if (o.stats) o.stats.dangling++;
    } else if (i === hostile) {
      hostileWrite(peer.nb, r);
      if (o.stats) o.stats.hostileWrites++;
    } else {
      try {
        if (process.env.FUZZ_TRACE) {
          const before = peer.um.undoStack.length;
          randomCommand(peer, i, s, r, t, o.broken);
          console.log(
            `step ${s} peer ${i}: undo stack ${before}→${peer.um.undoStack.length}`,
            JSON.stringify(
              rawList(peer.nb, 'people').map((p) => [p.id, p.notes, p.deletedAt ? 'D' : '']),
            ),
          );
        } else randomCommand(peer, i, s, r, t, o.broken);
      } catch (e) {
        if (!(e instanceof VitrineError)) throw e;
      }
    }
  }
  peers.forEach((p) => (p.online = true));
  while (deliverOne(peers, r));
  syncAll(peers);
  if (o.stats) o.stats.imports = (o.stats.imports ?? 0) + t.imports;
  problems.push(
    ...(o.hostile ? checkConvergence(peers, hostile, dangling) : checkInvariants(peers, t)),
  );
  if (o.hostile) readEverything(peers[0]!.nb);
  problems.push(...checkBackups(peers[0]!.nb, backups, dangling));
  return problems;
}

/**
 * Save a `.vitrine` backup of `nb` as the app and the CLI do, and restore it at once into a
 * fresh notebook: it must open (even with changes waiting for earlier ones) and read exactly
 * like the notebook it was taken from (except on the hostile peer, whose own view of what it
 * wrote is not what lib0 encodes: see {@link checkConvergence}).
 */
function takeBackup(
  nb: Notebook,
  from: number,
  step: number,
  problems: string[],
  o: RoundOptions,
  fromHostile: boolean,
): Backup {
  const bytes = saveNotebookFile(nb);
  if (o.stats) {
    o.stats.backups++;
    if (waitingChanges(nb.doc)) o.stats.waitingBackups++;
  }
  let restored: Notebook;
  try {
    restored = openNotebookFile(bytes, 'backup.vitrine');
  } catch (e) {
    problems.push(`backup of doc ${from} at step ${step} cannot be restored: ${String(e)}`);
    return { bytes, from, step };
  }
  const a = canonical(exportJson(restored));
  const b = canonical(exportJson(nb));
  if (a !== b && !fromHostile) {
    problems.push(`backup of doc ${from} at step ${step} reads differently once restored`);
    if (process.env.FUZZ_DIFF) showDiff(a, b);
  }
  // Mid-way states hold junk that later writes may overwrite: read them too.
  if (o.hostile) readEverything(restored);
  return { bytes, from, step };
}

/**
 * Every backup, restored into a fresh notebook and synced with the converged one, must end
 * identical to it with nothing waiting (unless a `dangling` edit waits everywhere); merged back into it, it must change nothing (it held
 * nothing the network lost).
 */
function checkBackups(nb: Notebook, backups: readonly Backup[], dangling: boolean): string[] {
  const problems: string[] = [];
  const reference = docJson(nb.doc);
  for (const b of backups) {
    const what = `backup of doc ${b.from} at step ${b.step}`;
    try {
      const restored = openNotebookFile(b.bytes, 'backup.vitrine');
      Y.applyUpdate(restored.doc, Y.encodeStateAsUpdate(nb.doc), 'peer');
      const back = Y.encodeStateAsUpdate(restored.doc, Y.encodeStateVector(nb.doc));
      const sv = Y.encodeStateVector(nb.doc);
      Y.applyUpdate(nb.doc, back, 'peer');
      mergeNotebookFile(nb, b.bytes, 'backup.vitrine');
      if (docJson(restored.doc) !== reference)
        problems.push(`${what}, restored and synced, differs from the network`);
      if (!dangling && waitingChanges(restored.doc))
        problems.push(`${what} still waits once synced`);
      if (docJson(nb.doc) !== reference || !sameBytes(Y.encodeStateVector(nb.doc), sv))
        problems.push(`${what}, merged back, changed the notebook`);
    } catch (e) {
      problems.push(`${what} cannot be restored at the end: ${String(e)}`);
    }
  }
  return problems;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The whole document as canonical JSON, including the collection a hostile peer invents
 * (`doc.toJSON()` lists only the top-level types this device has asked for).
 */
function docJson(doc: Y.Doc): string {
  doc.getMap(UNKNOWN_COLLECTION);
  return canonical(doc.toJSON());
}

/** JSON with object keys sorted, so map iteration order does not count as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Every notebook identical, reads identical, nothing left waiting. The hostile peer (index
 * `hostile`) is compared by what it sends, not by its own document: lib0's encoding turns a
 * lone surrogate into U+FFFD and an own "__proto__" key into a prototype, so only the device
 * that wrote such a value ever sees it as written. With `dangling` (an edit sent that builds
 * on one never sent) changes may wait for ever; everything else must still hold.
 */
function checkConvergence(peers: Peer[], hostile = -1, dangling = false): string[] {
  const problems: string[] = [];
  const first = peers[0]!.nb;
  const reference = docJson(first.doc);
  const refJson = canonical(exportJson(first));
  const at = new Date(Date.UTC(2026, 3, 1));
  const refToday = canonical(today(first, at));
  peers.forEach((p, i) => {
    let nb = p.nb;
    if (i === hostile) {
      nb = new Notebook(fuzzDoc());
      Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(p.nb.doc), 'peer');
    }
    if (canonical(today(nb, at)) !== refToday) problems.push(`doc ${i} lists another Today`);
    if (docJson(nb.doc) !== reference) problems.push(`doc ${i} differs from doc 0`);
    if (canonical(exportJson(nb)) !== refJson) {
      problems.push(`doc ${i} reads differently from doc 0`);
      if (process.env.FUZZ_DIFF) showDiff(canonical(exportJson(nb)), refJson);
    }
    if (!dangling && waitingChanges(nb.doc)) problems.push(`doc ${i} still has changes waiting`);
  });
  return problems;
}

/** `FUZZ_DIFF=1`: print where two canonical strings part. */
function showDiff(a: string, b: string): void {
  let k = 0;
  while (a[k] === b[k]) k++;
  console.log(
    `${a.slice(Math.max(0, k - 300), k + 200)}\n---\n${b.slice(Math.max(0, k - 300), k + 200)}`,
  );
}

function checkInvariants(peers: Peer[], t: Tracker): string[] {
  const problems = checkConvergence(peers);
  const nb = peers[0]!.nb;
  const live = new Set(listPeople(nb).map((p) => p.id));
  for (const tie of listTies(nb)) {
    if (!live.has(tie.from) || !live.has(tie.to)) problems.push(`visible tie ${tie.id} dangles`);
  }
  for (const id of live) {
    const newest = listTouches(nb)
      .filter((x) => x.personIds.includes(id))
      .map((x) => x.at)
      .sort()
      .at(-1);
    if (lastTouched(nb, id) !== newest)
      problems.push(`last touched of ${id} is not its newest touch`);
  }
  for (const id of t.created) {
    if (t.deleted.has(id)) continue;
    const there = nb.people.has(id) || nb.ties.has(id) || nb.touches.has(id) || nb.intros.has(id);
    if (!there) problems.push(`entity ${id} was lost though no one deleted it`);
  }
  // The light touch log: one copy of each imported message, removals hold, undo of an
  // import hid nothing another device imported.
  problems.push(...t.importProblems);
  const listed = listTouches(nb).filter((x) => x.source !== undefined);
  if (new Set(listed.map((x) => x.source)).size !== listed.length)
    problems.push('an imported message is listed twice');
  for (const x of listed)
    if (t.removedSources.has(x.source!)) problems.push(`removed ${x.source} is listed again`);
  const notes = tokensByPerson(nb);
  for (const [tok, personId] of t.tokens) {
    if (t.removedTokens.has(tok) || t.deleted.has(personId)) continue;
    if (!nb.people.has(personId)) continue;
    if (!notes.get(personId)?.has(tok)) problems.push(`notes edit ${tok} on ${personId} was lost`);
  }
  return problems;
}
