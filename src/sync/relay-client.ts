/**
 * The relay client: connects a notebook's `Y.Doc` to a store-and-forward relay that only
 * ever sees ciphertext.
 *
 * The notebook itself never goes to the relay. A second, local `Y.Doc` (the envelope, see
 * `envelope.ts`) is synced with the relay by Hocuspocus's provider; this client
 *
 * - seals each local notebook update (any origin but its own) and appends it as an entry;
 * - opens entries it has not applied yet and applies them to the notebook with its own
 *   origin (so undo never reverts a sync, and it never re-seals what it applied);
 * - on every (re)connection, after applying what the relay has, seals whatever the
 *   notebook holds that the envelope lacks (edits made while this client was not running);
 * - compacts: once the envelope holds `compactAfter` entries, replaces the entries it has
 *   folded in with one sealed snapshot, in one transaction (see {@link RelayClient.compact}
 *   for why two devices compacting at once lose nothing).
 *
 * An entry that fails to open (tampered, or sealed with another key) is reported as an
 * `error` event and in `status.lastError`, and nothing of it is applied.
 */
import * as Y from 'yjs';
import {
  HocuspocusProvider,
  HocuspocusProviderWebsocket,
  WebSocketStatus,
} from '@hocuspocus/provider';
import { ObservableV2 } from 'lib0/observable';
import { nextSeq, openSealed, seal, type EntryKind } from './crypto.ts';
import {
  entryKey,
  envelopeDevices,
  envelopeEntries,
  isEnvelopeEntry,
  type EnvelopeEntry,
} from './envelope.ts';
import { SyncError } from './errors.ts';
import type { SyncIdentity, SyncKeys } from './pairing.ts';
import {
  createRekeyMessages,
  openRekeyMessage,
  parseRekeyMessage,
  type DeviceKeys,
  type RekeyMessage,
} from './rekey.ts';
import type { RekeyNotice } from './rekey-guard.ts';
import { utf8 } from './bytes.ts';

/** Connection to the relay, as a person would describe it. */
export type RelayConnection = 'connecting' | 'online' | 'offline' | 'denied' | 'closed';

/** A paired device as the relay's envelope knows it (from its sealed device entry). */
export interface RelayDevice {
  readonly id: string;
  readonly name: string;
  /** ISO time the device last connected to the relay. */
  readonly lastSeen: string;
  /** Its public key for receiving a rotated secret (see rekey.ts), when it published one. */
  readonly publicKey?: JsonWebKey;
  /** Its public key for signing re-keys, when it published one (not an older Vitrine). */
  readonly verifyKey?: JsonWebKey;
}

/** What the relay client is doing. */
export interface RelayStatus {
  readonly connection: RelayConnection;
  /** Everything on the relay is applied here and everything here is on the relay. */
  readonly upToDate: boolean;
  /** When this client was last up to date. */
  readonly lastSyncedAt: Date | undefined;
  /** The last problem, in words (cleared when a later sync succeeds). */
  readonly lastError: string | undefined;
  /** Entries currently in the envelope. */
  readonly entries: number;
}

/** Events of a {@link RelayClient}. */
export type RelayEvents = {
  status: (status: RelayStatus) => void;
  error: (error: SyncError) => void;
  devices: (devices: readonly RelayDevice[]) => void;
  /**
   * A copy of a new secret addressed to this device was opened. Who wrote it is NOT
   * checked here: a removed device can write one too. Act on `notices` through
   * `RekeyGuard` (the app's SyncSession does), never on this event alone.
   */
  rekey: (identity: SyncIdentity, from: string) => void;
  /** Every re-key message seen in one scan (addressed to this device or not). */
  notices: (notices: readonly RekeyNotice[]) => void;
  /** The highest device-entry sequence number seen per device went up (keep it). */
  deviceSeqs: (seqs: Readonly<Record<string, number>>) => void;
};

/** Options for {@link RelayClient}. */
export interface RelayClientOptions {
  /** The relay's WebSocket address, e.g. `ws://127.0.0.1:4445`. */
  url: string;
  /** The notebook document. */
  doc: Y.Doc;
  /** Keys derived from the sync identity. */
  keys: SyncKeys;
  /** This device's id (random, stable per device). */
  deviceId: string;
  /** This device's name, shown to the other devices (sealed; the relay never sees it). */
  deviceName?: string;
  /** WebSocket constructor where there is no global one (Node 20: `ws`). */
  WebSocketPolyfill?: unknown;
  /** Compact once the envelope holds this many entries (default 128). 0 disables. */
  compactAfter?: number;
  /** Local edits arriving within this many ms are sealed as one entry (default 50). */
  batchMs?: number;
  /** First reconnection delay in ms (default 1000, doubling up to 30 s). */
  reconnectDelay?: number;
  /** This device's key pair, so a rotated secret can be handed to it (see rekey.ts). */
  deviceKeys?: DeviceKeys;
  /**
   * Per device, the highest device-entry sequence number seen before (kept on this device):
   * an older entry sent again — a relay rolling a device back — is refused.
   */
  deviceSeqs?: Readonly<Record<string, number>>;
  /** Clock (tests). */
  now?: () => Date;
}

interface DeviceInfo {
  name: string;
  lastSeen: string;
  publicKey?: JsonWebKey;
  verifyKey?: JsonWebKey;
}

type StateVector = Map<number, number>;

function contains(outer: StateVector, inner: StateVector): boolean {
  for (const [client, clock] of inner) if ((outer.get(client) ?? 0) < clock) return false;
  return true;
}

/**
 * Syncs one notebook through one relay. Create it, await {@link whenSynced}, and
 * {@link destroy} it when the notebook closes or sync is switched off.
 */
export class RelayClient extends ObservableV2<RelayEvents> {
  /** Resolves once everything on the relay is applied and local edits are handed over. */
  readonly whenSynced: Promise<void>;
  /** The envelope document (ciphertext only) this client keeps in sync with the relay. */
  readonly envelope = new Y.Doc();
  private readonly doc: Y.Doc;
  private readonly keys: SyncKeys;
  private readonly deviceId: string;
  private readonly deviceName: string;
  private readonly compactAfter: number;
  private readonly batchMs: number;
  private readonly now: () => Date;
  private readonly deviceKeys: DeviceKeys | undefined;
  private readonly provider: HocuspocusProvider;
  private readonly socket: HocuspocusProviderWebsocket;
  private rejected = 0;
  // Everything the envelope holds, as far as this client knows, applied as plaintext: the
  // catch-up after a reconnection sends exactly what the notebook has beyond it.
  private readonly shadow = new Y.Doc();
  // Entry key → state vector of its update, for every entry folded into the notebook.
  private readonly applied = new Map<string, StateVector>();
  // Entry keys looked at (applied, own, or rejected): never opened twice.
  private readonly seen = new Set<string>();
  private readonly deviceCache = new Map<string, { key: string; info: DeviceInfo }>();
  private readonly deviceSeqs: Record<string, number>;
  private live = false;
  private destroyed = false;
  private chain: Promise<void> = Promise.resolve();
  private busy = 0;
  private scanQueued = false;
  private compacting = false;
  private localBatch: Uint8Array[] = [];
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private connection: RelayConnection = 'connecting';
  private lastSyncedAt: Date | undefined;
  private lastError: string | undefined;
  private resolveSynced!: () => void;
  private rejectSynced!: (e: Error) => void;
  private readonly onDocUpdate: (update: Uint8Array, origin: unknown) => void;
  private readonly onEntries: () => void;
  private readonly onDevices: () => void;

  constructor(options: RelayClientOptions) {
    super();
    this.doc = options.doc;
    this.keys = options.keys;
    this.deviceId = options.deviceId;
    this.deviceName = options.deviceName ?? 'A device';
    this.compactAfter = options.compactAfter ?? 128;
    this.batchMs = options.batchMs ?? 50;
    this.now = options.now ?? (() => new Date());
    this.deviceKeys = options.deviceKeys;
    this.deviceSeqs = { ...(options.deviceSeqs ?? {}) };
    this.whenSynced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    // A caller that never awaits whenSynced must not get an unhandled rejection.
    this.whenSynced.catch(() => undefined);

    this.onDocUpdate = (update, origin) => {
      // Our own applies carry `this` as origin: re-sealing them would echo every entry.
      if (origin === this || !this.live) return;
      this.localBatch.push(update);
      if (this.batchTimer === undefined) {
        this.batchTimer = setTimeout(() => this.sealLocalBatch(), this.batchMs);
      }
      this.emitStatus();
    };
    this.doc.on('update', this.onDocUpdate);
    this.onEntries = () => this.queueScan();
    this.onDevices = () => this.enqueue(() => this.readDevices());
    envelopeEntries(this.envelope).observe(this.onEntries);
    envelopeDevices(this.envelope).observe(this.onDevices);

    const reconnectDelay = options.reconnectDelay ?? 1000;
    this.socket = new HocuspocusProviderWebsocket({
      url: options.url,
      WebSocketPolyfill: options.WebSocketPolyfill,
      delay: reconnectDelay,
      minDelay: reconnectDelay,
      maxDelay: 30_000,
      // Connected below, after connect() is wrapped.
      autoConnect: false,
    });
    // Hocuspocus 3 calls its own connect() without a catch (on construction, on close), and
    // a retry aborted after a failed attempt rejects with that attempt's error: an unhandled
    // rejection in Node, a console error in the browser. Connection state reaches us through
    // `status` events, so the rejection itself carries nothing we need.
    const connect = this.socket.connect.bind(this.socket);
    this.socket.connect = () => {
      const attempt = connect();
      attempt.catch(() => undefined);
      return attempt;
    };
    this.provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: this.keys.relayDocument,
      document: this.envelope,
      token: this.keys.relayToken,
      // No awareness on the relay: presence is for live peers, and it would leak timing.
      awareness: null,
      onStatus: ({ status }) => {
        if (this.destroyed) return;
        if (status === 'connecting') this.connection = 'connecting';
        else if (status === 'connected') this.connection = 'online';
        else if (this.connection !== 'denied') this.connection = 'offline';
        this.emitStatus();
      },
      onSynced: () => {
        // Every (re)connection: apply what the relay has, then hand over what it lacks.
        this.enqueue(async () => {
          await this.scan();
          // A rejected entry stays on the relay, so its error stays visible too.
          if (this.rejected === 0) this.lastError = undefined;
          this.catchUp();
          this.resolveSynced();
        });
      },
      onAuthenticationFailed: ({ reason }) => {
        this.connection = 'denied';
        const error = new SyncError(
          `The relay refused this device (${reason || 'wrong relay token'}). Pair this device again from one that still syncs.`,
        );
        this.report(error);
        this.rejectSynced(error);
        // A wrong token stays wrong: retrying would only hammer the relay.
        this.socket.disconnect();
      },
      onUnsyncedChanges: () => this.emitStatus(),
      // The relay closes a connection over one of its limits with a 4xxx code and a sentence
      // (src/server/limits.ts): show that sentence rather than a bare "offline".
      onClose: ({ event }) => {
        if (this.destroyed || event.code < 4000 || !event.reason) return;
        this.report(new SyncError(`The relay closed the connection: ${event.reason}`));
        this.emitStatus();
      },
    });
    // A provider given its own socket does not attach itself (Hocuspocus 3 multiplexing).
    this.provider.attach();
    void this.socket.connect();
  }

  /** The client's state in one object (also emitted as `status` on every change). */
  get status(): RelayStatus {
    return {
      connection: this.connection,
      upToDate: this.isUpToDate(),
      lastSyncedAt: this.lastSyncedAt,
      lastError: this.lastError,
      entries: envelopeEntries(this.envelope).length,
    };
  }

  /** Paired devices known from the envelope (this one included), most recent first. */
  get devices(): readonly RelayDevice[] {
    return [...this.deviceCache.entries()]
      .map(([id, { info }]) => ({
        id,
        name: info.name,
        lastSeen: info.lastSeen,
        ...(info.publicKey ? { publicKey: info.publicKey } : {}),
        ...(info.verifyKey ? { verifyKey: info.verifyKey } : {}),
      }))
      .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  }

  /**
   * Seal pending local edits now and wait until the relay has acknowledged every entry.
   * Resolves only while connected; use it before closing a device that should leave its
   * edits on the relay.
   */
  async flush(): Promise<void> {
    if (this.destroyed) return;
    if (this.connection === 'denied')
      throw new SyncError(this.lastError ?? 'The relay refused this device.');
    this.sealLocalBatch();
    await this.idle();
    if (this.provider.unsyncedChanges === 0 && this.connection === 'online') return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.provider.unsyncedChanges === 0 && this.connection === 'online') {
          this.provider.off('unsyncedChanges', check);
          this.provider.off('synced', check);
          resolve();
        }
      };
      this.provider.on('unsyncedChanges', check);
      this.provider.on('synced', check);
      check();
    });
  }

  /** Drop the connection (the app's "go offline"); local edits are kept and sent later. */
  disconnect(): void {
    this.socket.shouldConnect = false;
    this.afterHandshake(() => this.socket.disconnect());
    this.connection = 'offline';
    this.emitStatus();
  }

  /** Reconnect after {@link disconnect}. */
  connect(): void {
    if (this.destroyed) return;
    this.connection = 'connecting';
    this.emitStatus();
    const start = () => void this.socket.connect();
    if (this.socket.status === WebSocketStatus.Disconnected) return start();
    // The provider ignores connect() while the socket it was told to close is still open;
    // start again once that close has happened.
    const onStatus = ({ status }: { status: WebSocketStatus }) => {
      if (status !== WebSocketStatus.Disconnected) return;
      this.socket.off('status', onStatus);
      if (!this.destroyed) start();
    };
    this.socket.on('status', onStatus);
  }

  /**
   * "Remove a device": hand `next` (a new identity from `rotateIdentity`) to every device
   * known here that published a key, except those in `remove`, through this (old) envelope,
   * in one signed re-key (rekey.ts). Each copy is wrapped for its recipient alone, so a
   * removed device that reads the envelope learns nothing. Returns who was addressed and
   * who could not be (no key: pair those again by link). Switch to the new identity after
   * it resolves. (The app's SyncSession builds one re-key for both channels and calls
   * {@link publishRekey}.)
   */
  async rotate(
    next: SyncIdentity,
    remove: readonly string[],
  ): Promise<{ addressed: string[]; unreachable: string[] }> {
    if (!this.deviceKeys) throw new SyncError('This device has no key pair to sign a key change.');
    const others = this.devices.filter((d) => d.id !== this.deviceId && !remove.includes(d.id));
    const recipients = others.flatMap((d) =>
      d.publicKey ? [{ id: d.id, publicKey: d.publicKey }] : [],
    );
    const messages = await createRekeyMessages({
      keys: this.deviceKeys,
      sender: this.deviceId,
      oldRoom: this.keys.roomId,
      next,
      removed: remove,
      recipients,
      seq: nextSeq(),
      at: this.now(),
    });
    await this.publishRekey(messages);
    return {
      addressed: recipients.map((r) => r.id),
      unreachable: others.filter((d) => !d.publicKey).map((d) => d.id),
    };
  }

  /** Post re-key messages (from `createRekeyMessages`) as sealed entries, and flush. */
  async publishRekey(messages: readonly RekeyMessage[]): Promise<void> {
    for (const m of messages) this.push(utf8(JSON.stringify(m)), 'rekey');
    await this.flush();
  }

  /**
   * Replace every entry this client has folded into the notebook with one sealed snapshot
   * of the notebook, in one envelope transaction. Returns whether it compacted.
   *
   * Why concurrent compaction is safe: an entry is deleted only by a client whose snapshot,
   * written in the same transaction, contains it — the client applied the entry, its
   * update's state vector is within the notebook's, and the notebook has no pending
   * structs or deletes (so everything applied is integrated). Y.Array deletions name items,
   * not positions, so two clients compacting at once delete the union of their sets and
   * keep both snapshots; every deleted entry is inside at least one kept snapshot. Entries
   * that arrive while the snapshot is being sealed are not in the set and stay. A later
   * compaction folds the two snapshots into one.
   */
  async compact(): Promise<boolean> {
    return this.enqueue(() => this.compactNow());
  }

  /** Stop syncing. The notebook document is left to its owner. */
  override destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.batchTimer !== undefined) clearTimeout(this.batchTimer);
    this.doc.off('update', this.onDocUpdate);
    envelopeEntries(this.envelope).unobserve(this.onEntries);
    envelopeDevices(this.envelope).unobserve(this.onDevices);
    this.provider.destroy();
    this.afterHandshake(() => this.socket.destroy());
    this.envelope.destroy();
    this.shadow.destroy();
    this.connection = 'closed';
    this.rejectSynced(new SyncError('Relay sync was stopped before it finished.'));
    super.destroy();
  }

  // --- internals ---------------------------------------------------------------------

  /**
   * Run `fn` (which closes the socket) once the socket is past its handshake. Closing a
   * `ws`/browser WebSocket while it is still connecting fails the provider's pending
   * connection promise, which Hocuspocus 3 leaves unhandled (an "unhandled rejection").
   */
  private afterHandshake(fn: () => void): void {
    const raw = this.socket.webSocket as {
      readyState: number;
      addEventListener(type: string, listener: () => void): void;
    } | null;
    if (!raw || raw.readyState !== 0) return fn();
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      fn();
    };
    for (const type of ['open', 'close', 'error']) raw.addEventListener(type, once);
  }

  private enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    this.busy++;
    const run = this.chain.then(() => (this.destroyed ? (undefined as T) : fn()));
    this.chain = run.then(
      () => this.settle(),
      (e: unknown) => {
        this.settle();
        this.report(e);
      },
    );
    return run;
  }

  private settle(): void {
    this.busy--;
    if (this.destroyed) return;
    this.maybeCompact();
    this.emitStatus();
  }

  private async idle(): Promise<void> {
    while (this.busy > 0) await this.chain;
  }

  private queueScan(): void {
    if (this.scanQueued) return;
    this.scanQueued = true;
    this.enqueue(async () => {
      this.scanQueued = false;
      await this.scan();
    });
  }

  /** Open and apply every entry not seen yet, in one notebook transaction. */
  private async scan(): Promise<void> {
    const fresh: EnvelopeEntry[] = [];
    for (const value of envelopeEntries(this.envelope)) {
      if (!isEnvelopeEntry(value)) {
        this.report(
          new SyncError('The relay holds an entry this version cannot read; it was skipped.'),
        );
        continue;
      }
      const key = entryKey(value);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      fresh.push(value);
    }
    if (fresh.length === 0) return;
    const opened = await Promise.all(
      fresh.map(async (entry) => {
        try {
          const plain = await openSealed(this.keys.key, entry, {
            roomId: this.keys.roomId,
            device: entry.device,
            seq: entry.seq,
            kind: entry.kind,
          });
          return { entry, plain };
        } catch (e) {
          this.rejected++;
          this.report(e);
          return undefined;
        }
      }),
    );
    if (this.destroyed) return;
    const notices: RekeyNotice[] = [];
    for (const o of opened) {
      if (o?.entry.kind !== 'rekey') continue;
      const notice = await this.receiveRekey(o.entry, o.plain);
      if (notice) notices.push(notice);
    }
    if (this.destroyed) return;
    if (notices.length > 0) this.emit('notices', [notices]);
    const updates = opened.filter(
      (o): o is { entry: EnvelopeEntry; plain: Uint8Array } =>
        o !== undefined && (o.entry.kind === 'update' || o.entry.kind === 'snapshot'),
    );
    if (updates.length === 0) return;
    this.doc.transact(() => {
      for (const { entry, plain } of updates) {
        try {
          Y.applyUpdate(this.doc, plain, this);
          Y.applyUpdate(this.shadow, plain);
          this.applied.set(
            entryKey(entry),
            Y.decodeStateVector(Y.encodeStateVectorFromUpdate(plain)),
          );
        } catch {
          this.report(
            new SyncError(
              `An entry from device ${entry.device} opened but is not a notebook update; it was not applied.`,
            ),
          );
        }
      }
    }, this);
  }

  private async receiveRekey(
    entry: EnvelopeEntry,
    plain: Uint8Array,
  ): Promise<RekeyNotice | undefined> {
    let message: RekeyMessage | undefined;
    try {
      message = parseRekeyMessage(JSON.parse(new TextDecoder().decode(plain)));
    } catch {
      message = undefined;
    }
    if (!message) {
      this.report(new SyncError(`A key change from device ${entry.device} is unreadable.`));
      return undefined;
    }
    const notice: RekeyNotice = { via: 'relay', author: entry.device, message };
    if (message.to !== this.deviceId || entry.device === this.deviceId) return notice;
    if (!this.deviceKeys) {
      this.report(
        new SyncError(
          'Another device changed the sync secret, but this device has no key to receive it. Pair it again by link.',
        ),
      );
      return notice;
    }
    try {
      const identity = await openRekeyMessage(this.deviceKeys.privateKey, message, {
        roomId: this.keys.roomId,
        recipient: this.deviceId,
      });
      this.emit('rekey', [identity, entry.device]);
      return { ...notice, identity };
    } catch (e) {
      return { ...notice, openError: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Seal what the notebook has beyond the envelope (edits made while not running). */
  private catchUp(): void {
    this.sealLocalBatch();
    const missing = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.shadow));
    // Only the whole delete set comes along when nothing is new; don't seal that.
    if (!Y.snapshotContainsUpdate(Y.snapshot(this.shadow), missing)) this.push(missing, 'update');
    this.live = true;
    void this.writeDeviceInfo();
  }

  private sealLocalBatch(): void {
    if (this.batchTimer !== undefined) {
      clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
    }
    if (this.localBatch.length === 0 || this.destroyed) return;
    const update =
      this.localBatch.length === 1 ? this.localBatch[0]! : Y.mergeUpdates(this.localBatch);
    this.localBatch = [];
    this.push(update, 'update');
  }

  /** Seal `update` and append it; the seq and shadow are taken now, in order. */
  private push(payload: Uint8Array, kind: EntryKind): void {
    const seq = nextSeq();
    // Only notebook updates enter the shadow and may be compacted away; a rekey message is
    // not a Yjs update and stays until the old envelope is abandoned.
    let sv: StateVector | undefined;
    if (kind === 'update') {
      Y.applyUpdate(this.shadow, payload);
      sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(payload));
    }
    this.enqueue(async () => {
      const sealed = await seal(this.keys.key, payload, {
        roomId: this.keys.roomId,
        device: this.deviceId,
        seq,
        kind,
      });
      if (this.destroyed) return;
      const key = entryKey(sealed);
      this.seen.add(key);
      if (sv) this.applied.set(key, sv);
      const entry: EnvelopeEntry = { device: this.deviceId, seq, kind, ...sealed };
      this.envelope.transact(() => envelopeEntries(this.envelope).push([entry]), this);
    });
  }

  private maybeCompact(): void {
    if (
      this.compactAfter > 0 &&
      this.live &&
      !this.compacting &&
      envelopeEntries(this.envelope).length >= this.compactAfter
    ) {
      this.compacting = true;
      void this.enqueue(() => this.compactNow()).finally(() => {
        this.compacting = false;
      });
    }
  }

  private async compactNow(): Promise<boolean> {
    if (!this.live || this.destroyed) return false;
    this.sealLocalBatch();
    // Pending structs/deletes mean an applied update is not integrated yet: a snapshot now
    // would miss part of it, so its entry must stay.
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) return false;
    const docSv = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    const covered = new Set<string>();
    for (const value of envelopeEntries(this.envelope)) {
      if (!isEnvelopeEntry(value)) continue;
      const key = entryKey(value);
      const sv = this.applied.get(key);
      if (sv && contains(docSv, sv)) covered.add(key);
    }
    if (covered.size < 2) return false;
    // Taken synchronously with `covered`: the snapshot contains every covered entry.
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const seq = nextSeq();
    const sealed = await seal(this.keys.key, snapshot, {
      roomId: this.keys.roomId,
      device: this.deviceId,
      seq,
      kind: 'snapshot',
    });
    if (this.destroyed) return false;
    const key = entryKey(sealed);
    this.seen.add(key);
    this.applied.set(key, docSv);
    const entries = envelopeEntries(this.envelope);
    this.envelope.transact(() => {
      for (let i = entries.length - 1; i >= 0; i--) {
        const value = entries.get(i);
        if (isEnvelopeEntry(value) && covered.has(entryKey(value))) entries.delete(i, 1);
      }
      entries.push([{ device: this.deviceId, seq, kind: 'snapshot', ...sealed }]);
    }, this);
    for (const k of covered) this.applied.delete(k);
    return true;
  }

  private async writeDeviceInfo(): Promise<void> {
    const info: DeviceInfo = {
      name: this.deviceName,
      lastSeen: this.now().toISOString(),
      ...(this.deviceKeys ? { publicKey: this.deviceKeys.publicKey } : {}),
      ...(this.deviceKeys?.verifyKey ? { verifyKey: this.deviceKeys.verifyKey } : {}),
    };
    const seq = nextSeq();
    const sealed = await seal(this.keys.key, utf8(JSON.stringify(info)), {
      roomId: this.keys.roomId,
      device: this.deviceId,
      seq,
      kind: 'device',
    });
    if (this.destroyed) return;
    this.deviceCache.set(this.deviceId, { key: entryKey(sealed), info });
    this.envelope.transact(
      () =>
        envelopeDevices(this.envelope).set(this.deviceId, {
          device: this.deviceId,
          seq,
          kind: 'device',
          ...sealed,
        }),
      this,
    );
    this.emit('devices', [this.devices]);
  }

  private async readDevices(): Promise<void> {
    let changed = false;
    let seqsChanged = false;
    for (const [id, value] of envelopeDevices(this.envelope)) {
      if (!isEnvelopeEntry(value) || value.device !== id || value.kind !== 'device') continue;
      const cached = this.deviceCache.get(id);
      if (cached?.key === entryKey(value) || this.seen.has(entryKey(value))) continue;
      try {
        const plain = await openSealed(this.keys.key, value, {
          roomId: this.keys.roomId,
          device: id,
          seq: value.seq,
          kind: 'device',
        });
        const info = JSON.parse(new TextDecoder().decode(plain)) as Partial<DeviceInfo>;
        if (typeof info.name !== 'string' || typeof info.lastSeen !== 'string') continue;
        const signs = !!info.verifyKey && typeof info.verifyKey === 'object';
        // Devices that sign count upwards (nextSeq); an older Vitrine started each session
        // at a random number, so only the former can be held to "never lower".
        if (signs && id !== this.deviceId) {
          const last = this.deviceSeqs[id];
          if (last !== undefined && value.seq < last) {
            this.seen.add(entryKey(value));
            this.report(
              new SyncError(
                `An older entry of device "${info.name}" was sent again (the relay rolled it back); the newer one is kept.`,
              ),
            );
            continue;
          }
          if (last !== value.seq) {
            this.deviceSeqs[id] = value.seq;
            seqsChanged = true;
          }
        }
        this.deviceCache.set(id, {
          key: entryKey(value),
          info: {
            name: info.name,
            lastSeen: info.lastSeen,
            ...(info.publicKey && typeof info.publicKey === 'object'
              ? { publicKey: info.publicKey }
              : {}),
            ...(signs ? { verifyKey: info.verifyKey } : {}),
          },
        });
        changed = true;
      } catch (e) {
        this.report(e);
      }
    }
    if (seqsChanged) this.emit('deviceSeqs', [{ ...this.deviceSeqs }]);
    if (changed) this.emit('devices', [this.devices]);
  }

  private isUpToDate(): boolean {
    return (
      this.live &&
      this.connection === 'online' &&
      this.busy === 0 &&
      this.localBatch.length === 0 &&
      this.provider.unsyncedChanges === 0
    );
  }

  private emitStatus(): void {
    if (this.destroyed) return;
    if (this.isUpToDate()) this.lastSyncedAt = this.now();
    this.emit('status', [this.status]);
  }

  private report(e: unknown): void {
    const error =
      e instanceof SyncError
        ? e
        : new SyncError(`Relay sync failed: ${e instanceof Error ? e.message : String(e)}`);
    this.lastError = error.message;
    if (!this.destroyed) this.emit('error', [error]);
  }
}
