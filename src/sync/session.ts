/**
 * The app's sync session: one small object that owns live peer sync ({@link PeerSync}), the
 * relay client ({@link RelayClient}) and their combined status for one notebook, so the UI
 * deals with `start(identity)`, `stop()`, `summary` and a `change` event, never with the
 * engine objects.
 *
 * Tabs: every tab of a browser profile runs its own peer sync (each tab is a live peer
 * of the room, and y-webrtc also links tabs of one browser over a BroadcastChannel), but
 * only one tab runs the relay client, behind the Web Locks API lock `vitrine-relay`. Two
 * relay clients in one profile would seal the same edits twice and race each other's
 * compaction for nothing; the lock passes to another tab when the holder closes.
 *
 * Nothing here contacts any host until {@link SyncSession.start} is called with an identity,
 * and then only the signalling server and relay in the settings.
 */
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { ObservableV2 } from 'lib0/observable';
import { SyncError } from './errors.ts';
import {
  checkSettings,
  type DeviceRecord,
  type IdentityStore,
  type SyncSettings,
} from './identity-store.ts';
import { deriveKeys, rotateIdentity, type SyncIdentity } from './pairing.ts';
import { PeerSync } from './peer.ts';
import { RelayClient, type RelayStatus } from './relay-client.ts';
import { SyncStatus, summarizeSync, type SyncSummary } from './status.ts';
import { nextSeq } from './crypto.ts';
import { equalBytes } from './bytes.ts';
import { createRekeyMessages, keyFingerprint } from './rekey.ts';
import {
  EMPTY_REKEY_MEMORY,
  RekeyGuard,
  type RekeyChoice,
  type RekeyMemory,
  type RekeyNotice,
} from './rekey-guard.ts';

export { keyFingerprint };

/** The Web Locks API surface the session uses (`navigator.locks`). */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown>;
}

/** Where this tab's relay sync stands. */
export type RelayRole = 'off' | 'this-tab' | 'other-tab';

/** Events of a {@link SyncSession}. */
export type SyncSessionEvents = {
  /** The summary changed (status, devices, error). */
  change: (summary: SyncSummary) => void;
  /** The identity changed: a rekey from another device, or "Remove a device" here. */
  identity: (identity: SyncIdentity) => void;
};

/** Options for {@link SyncSession}. */
export interface SyncSessionOptions {
  /** The notebook document. */
  doc: Y.Doc;
  /** This device (id, name, key pair). */
  device: DeviceRecord;
  /** Signalling, relay, ICE servers. */
  settings: SyncSettings;
  /** Where a rotated identity is kept; without one a rekey lives in memory only. */
  store?: IdentityStore;
  /** Local storage problem in words, if any (shown like a sync error). */
  storageError?: () => string | undefined;
  /** WebSocket constructor where there is none (Node tests: `ws`). */
  WebSocketPolyfill?: unknown;
  /** Web Locks; default `navigator.locks` where present; `null` = run the relay here. */
  locks?: LockManagerLike | null;
  /** Lock name for the one relay client per profile. */
  lockName?: string;
  /** Network state; default `navigator.onLine`. */
  isOnline?: () => boolean;
  /** Device key fingerprints pinned earlier (see {@link keyFingerprint}); kept in `store`. */
  pins?: Readonly<Record<string, string>>;
  /** Device signing keys pinned earlier; loaded from `store` when not given. */
  signingPins?: Readonly<Record<string, JsonWebKey>>;
  /** Re-key memory (replays, removed devices); loaded from `store` when not given. */
  rekeyMemory?: RekeyMemory;
  /** The awareness live sync shares (the app's, or a test's); PeerSync makes one otherwise. */
  awareness?: Awareness;
  /** After "Remove a device", how long to wait for live devices to move (default 15 s). */
  handoverMs?: number;
  now?: () => Date;
}

/** What "Remove a device" did. */
export interface RemoveResult {
  /** Devices that were handed the new secret. */
  readonly addressed: readonly string[];
  /** Other known devices that could not be reached: pair them again by link. */
  readonly unreachable: readonly string[];
}

const hasWindow = () => typeof globalThis.addEventListener === 'function';

/** Sync for one notebook on this device. */
export class SyncSession extends ObservableV2<SyncSessionEvents> {
  private readonly options: SyncSessionOptions;
  private roomId: string | undefined;
  private settingsValue: SyncSettings;
  private deviceValue: DeviceRecord;
  private identityValue: SyncIdentity | undefined;
  private peer: PeerSync | undefined;
  private relay: RelayClient | undefined;
  private status: SyncStatus | undefined;
  private role: RelayRole = 'off';
  private releaseLock: (() => void) | undefined;
  private abortLock: AbortController | undefined;
  // Bumped by every start/stop: an async start that finds it changed gives up.
  private generation = 0;
  private running = false;
  private error: string | undefined;
  private destroyed = false;
  private readonly emitChange = () => {
    if (!this.destroyed) this.emit('change', [this.summary]);
  };
  private readonly onOffline = () => {
    // The browser says there is no network: leave the room and the relay rather than show
    // "connecting" forever; edits are kept and sent when the network is back.
    this.peer?.disconnect();
    this.relay?.disconnect();
    this.emitChange();
  };
  private readonly onOnline = () => {
    this.peer?.connect();
    this.relay?.connect();
    this.emitChange();
  };
  private readonly pins: Record<string, string>;
  private signPins: Record<string, JsonWebKey> | undefined;
  private memory: RekeyMemory | undefined;
  private readonly distrusted = new Set<string>();
  private guard: RekeyGuard | undefined;
  private choice: RekeyChoice | undefined;
  private relaySynced = false;
  private deciding: Promise<void> = Promise.resolve();
  // Trust on first sight: a device that still had the room key could publish a key under
  // another device's id before it was removed (docs/sync.md). A changed key is reported and
  // its device is never handed a rotated secret (nor is a re-key checked against the new
  // one); it is re-paired by link instead.
  private readonly checkKeys = () => {
    let pinned = false;
    let signPinned = false;
    const signPins = (this.signPins ??= { ...(this.options.signingPins ?? {}) });
    const distrust = (d: { id: string; name: string }) => {
      if (this.distrusted.has(d.id)) return;
      this.distrusted.add(d.id);
      this.error = `"${d.name}" showed a different device key than the one first seen for it, so it is not trusted with a new secret. If that device was reset, remove it and pair it again by link.`;
      this.emitChange();
    };
    const seen = [...(this.peer?.devices ?? []), ...(this.relay?.devices ?? [])];
    for (const d of seen) {
      if (d.id === this.deviceValue.id) continue;
      if (d.publicKey) {
        const fp = keyFingerprint(d.publicKey);
        const known = this.pins[d.id];
        if (known === undefined) {
          this.pins[d.id] = fp;
          pinned = true;
        } else if (known !== fp) distrust(d);
      }
      if (d.verifyKey) {
        const known = signPins[d.id];
        if (known === undefined) {
          signPins[d.id] = d.verifyKey;
          signPinned = true;
        } else if (keyFingerprint(known) !== keyFingerprint(d.verifyKey)) distrust(d);
      }
    }
    // Kept in memory for this session if storing fails; the next start pins again.
    if (pinned) this.options.store?.savePins(this.pins).catch(() => undefined);
    if (signPinned) this.options.store?.saveSigningPins(signPins).catch(() => undefined);
    if (signPinned) this.decide();
  };
  private readonly onNotices = (notices: readonly RekeyNotice[]) => {
    this.guard?.add(notices);
    this.decide();
  };
  private readonly onRelayStatus = (status: RelayStatus) => {
    // A relay that cannot be reached is not waited for before acting on live re-keys.
    if (status.connection !== 'online' && status.connection !== 'connecting') this.decide();
  };
  private readonly onDeviceSeqs = (seqs: Readonly<Record<string, number>>) => {
    this.memory = { ...(this.memory ?? EMPTY_REKEY_MEMORY), devices: { ...seqs } };
    this.rememberLater();
  };
  private readonly onRelayError = (e: SyncError) => {
    this.error = e.message;
    this.emitChange();
  };

  constructor(options: SyncSessionOptions) {
    super();
    this.options = options;
    this.settingsValue = options.settings;
    this.deviceValue = options.device;
    this.pins = { ...(options.pins ?? {}) };
    if (hasWindow()) {
      globalThis.addEventListener('offline', this.onOffline);
      globalThis.addEventListener('online', this.onOnline);
    }
  }

  /** The identity this session syncs with, if any. */
  get identity(): SyncIdentity | undefined {
    return this.identityValue;
  }

  /** The settings in use. */
  get settings(): SyncSettings {
    return this.settingsValue;
  }

  /** This device. */
  get device(): DeviceRecord {
    return this.deviceValue;
  }

  /** Whether sync is running (started and not stopped). */
  get active(): boolean {
    return this.running;
  }

  /** Whether this tab runs the relay client, another tab does, or nobody (off). */
  get relayRole(): RelayRole {
    return this.role;
  }

  /** Devices whose key changed since first seen: never handed a rotated secret. */
  get untrusted(): readonly string[] {
    return [...this.distrusted];
  }

  /** The indicator's state and sentence, the device list and the last error. */
  get summary(): SyncSummary {
    const o = this.options;
    const base: SyncSummary = this.status
      ? this.status.summary
      : summarizeSync({
          paired: this.identityValue !== undefined,
          networkOnline: this.online(),
          selfId: this.deviceValue.id,
          selfName: this.deviceValue.name,
          storageError: o.storageError?.(),
          now: o.now?.() ?? new Date(),
        });
    const lastError = this.error ?? base.lastError;
    let text = base.text;
    if (this.choice) {
      const names = this.choice.options.map((o) => `"${o.senderName}"`).join(' and ');
      text =
        this.choice.options.length === 1
          ? `${names} sent a new sync secret, but another device removed this one — choose whether to follow it`
          : `${names} sent different new sync secrets — choose which device to follow`;
      return { ...base, text, lastError, choice: this.choice };
    }
    if (this.identityValue && !this.running) {
      text = 'Sync is off on this device — changes are kept here';
    } else if (this.role === 'other-tab' && base.state !== 'up-to-date') {
      text += ' · the relay is synced by another tab of this browser';
    }
    return { ...base, text, lastError };
  }

  /**
   * Start syncing with `identity` (stopping any earlier sync first). Live sync starts at
   * once; relay sync starts when this tab holds the relay lock.
   */
  async start(identity: SyncIdentity): Promise<void> {
    if (this.destroyed) throw new SyncError('This sync session was closed.');
    this.stop();
    const generation = this.generation;
    this.identityValue = identity;
    this.running = true;
    this.error = undefined;
    this.emitChange();
    let keys: Awaited<ReturnType<typeof deriveKeys>>;
    try {
      keys = await deriveKeys(identity);
      await this.loadTrust();
    } catch (e) {
      return this.fail(e);
    }
    if (generation !== this.generation) return;
    this.roomId = keys.roomId;
    this.relaySynced = false;
    this.choice = undefined;
    this.guard = new RekeyGuard({
      self: this.deviceValue.id,
      roomId: keys.roomId,
      memory: this.memory ?? EMPTY_REKEY_MEMORY,
      verifyKey: (id) => this.signPins?.[id],
      name: (id) => this.deviceName(id),
    });
    const { settings, device } = this;
    try {
      // A mistyped address must never become a connection attempt to some other host.
      checkSettings(settings);
    } catch (e) {
      return this.fail(e);
    }
    try {
      if (settings.signaling) {
        this.peer = new PeerSync({
          doc: this.options.doc,
          keys,
          signaling: [settings.signaling],
          iceServers: settings.iceServers,
          deviceId: device.id,
          deviceName: device.name,
          deviceKeys: device.keys,
          ...(this.options.awareness ? { awareness: this.options.awareness } : {}),
          ...(this.options.now ? { now: this.options.now } : {}),
        });
        this.peer.on('notices', this.onNotices);
        this.peer.on('devices', this.checkKeys);
        if (!this.online()) this.peer.disconnect();
      }
    } catch (e) {
      this.fail(e);
    }
    this.rewire();
    if (!settings.relayEnabled) return;
    const startRelay = () => {
      this.relay = new RelayClient({
        url: settings.relay,
        doc: this.options.doc,
        keys,
        deviceId: device.id,
        deviceName: device.name,
        deviceKeys: device.keys,
        deviceSeqs: this.memory?.devices ?? {},
        ...(this.options.WebSocketPolyfill
          ? { WebSocketPolyfill: this.options.WebSocketPolyfill }
          : {}),
        ...(this.options.now ? { now: this.options.now } : {}),
      });
      const relay = this.relay;
      relay.on('notices', this.onNotices);
      relay.on('error', this.onRelayError);
      relay.on('devices', this.checkKeys);
      relay.on('status', this.onRelayStatus);
      relay.on('deviceSeqs', this.onDeviceSeqs);
      // Live re-keys wait for the relay's catch-up, so a re-key that names their sender as
      // removed (posted there while this device was away) is seen before any is adopted.
      relay.whenSynced.then(
        () => {
          if (this.relay !== relay) return;
          this.relaySynced = true;
          this.decide();
        },
        () => undefined,
      );
      if (!this.online()) this.relay.disconnect();
      this.role = 'this-tab';
      this.rewire();
    };
    const locks = this.locks();
    if (!locks) {
      try {
        startRelay();
      } catch (e) {
        this.fail(e);
      }
      return;
    }
    this.role = 'other-tab';
    const abort = new AbortController();
    this.abortLock = abort;
    this.emitChange();
    locks
      .request(
        this.options.lockName ?? 'vitrine-relay',
        { signal: abort.signal },
        () =>
          new Promise<void>((release) => {
            if (generation !== this.generation) return release();
            this.releaseLock = release;
            try {
              startRelay();
            } catch (e) {
              this.fail(e);
            }
          }),
      )
      // Aborted while waiting (stop() before another tab let go): nothing to do.
      .catch(() => undefined);
  }

  /** Stop syncing; the identity is kept and {@link start} resumes. */
  stop(): void {
    this.generation++;
    this.running = false;
    this.status?.off('change', this.emitChange);
    this.status?.destroy();
    this.status = undefined;
    if (this.peer) {
      this.peer.off('notices', this.onNotices);
      this.peer.off('devices', this.checkKeys);
      this.peer.destroy();
      this.peer = undefined;
    }
    if (this.relay) {
      this.relay.off('notices', this.onNotices);
      this.relay.off('error', this.onRelayError);
      this.relay.off('devices', this.checkKeys);
      this.relay.off('status', this.onRelayStatus);
      this.relay.off('deviceSeqs', this.onDeviceSeqs);
      this.relay.destroy();
      this.relay = undefined;
    }
    this.releaseLock?.();
    this.releaseLock = undefined;
    this.abortLock?.abort();
    this.abortLock = undefined;
    this.role = 'off';
    this.emitChange();
  }

  /** Use new settings (and restart sync with them if it runs). */
  async updateSettings(settings: SyncSettings): Promise<void> {
    this.settingsValue = settings;
    if (this.running && this.identityValue) await this.start(this.identityValue);
    else this.emitChange();
  }

  /** Use a renamed device record (and restart sync so the others see the name). */
  async updateDevice(device: DeviceRecord): Promise<void> {
    this.deviceValue = device;
    if (this.running && this.identityValue) await this.start(this.identityValue);
    else this.emitChange();
  }

  /**
   * Wait until the relay has everything this device wrote (when this tab runs it and it is
   * online); resolves at once otherwise.
   */
  async flush(): Promise<void> {
    if (this.relay && this.relay.status.connection === 'online') await this.relay.flush();
  }

  /**
   * "Remove a device": make a new secret, hand it to every other device that can be reached
   * (live over the room, and through the old envelope on the relay) in one re-key signed
   * with this device's key, each copy wrapped for its recipient alone (rekey.ts), then move
   * this device to it. The removed device keeps what it had but can follow no further, and
   * the re-key names it, so the others never adopt a secret it sends. Devices that could
   * not be reached are returned: pair them again by link.
   */
  async removeDevice(deviceId: string): Promise<RemoveResult> {
    const current = this.identityValue;
    if (!current) throw new SyncError('This device is not paired, so there is nothing to remove.');
    if (deviceId === this.deviceValue.id) {
      throw new SyncError('This device cannot remove itself; remove it from another device.');
    }
    const roomId = this.roomId ?? (await deriveKeys(current)).roomId;
    const next = rotateIdentity(current);
    this.checkKeys();
    // A device whose key changed is left out like the removed one (re-paired by link).
    const leaveOut = new Set([deviceId, this.deviceValue.id, ...this.distrusted]);
    const peer = this.peer;
    const relay = this.relay;
    // RelayClient.publishRekey waits for the relay to acknowledge, which never happens offline.
    const relayOnline = relay !== undefined && relay.status.connection === 'online';
    const recipients = new Map<string, JsonWebKey>();
    for (const d of [...(peer?.devices ?? []), ...(relayOnline ? relay.devices : [])]) {
      if (d.publicKey && !leaveOut.has(d.id) && !recipients.has(d.id)) {
        recipients.set(d.id, d.publicKey);
      }
    }
    const messages = await createRekeyMessages({
      keys: this.deviceValue.keys,
      sender: this.deviceValue.id,
      oldRoom: roomId,
      next,
      removed: [deviceId],
      recipients: [...recipients].map(([id, publicKey]) => ({ id, publicKey })),
      seq: nextSeq(),
      at: this.options.now?.() ?? new Date(),
    });
    peer?.publishRekey(messages);
    if (relayOnline) await relay.publishRekey(messages);
    const addressed = [...recipients.keys()];
    const known = this.summary.devices.filter((d) => !d.self && d.id !== deviceId);
    const unreachable = known.filter((d) => !recipients.has(d.id)).map((d) => d.id);
    if (peer) await this.waitForHandover(peer, addressed);
    await this.adopt(next);
    return { addressed, unreachable };
  }

  /** Two or more re-keys conflict and wait for the owner (also in {@link summary}). */
  get rekeyChoice(): RekeyChoice | undefined {
    return this.choice;
  }

  /**
   * The owner's answer to a {@link rekeyChoice}: follow the device `sender` to its new
   * secret, or stay (`null`): this device then keeps its current secret and is paired
   * again by link from a device the owner still uses. Neither re-key is asked about again.
   */
  async chooseRekey(sender: string | null): Promise<void> {
    const guard = this.guard;
    const choice = this.choice;
    if (!guard || !choice) throw new SyncError('No key change is waiting for a choice.');
    if (sender !== null && !choice.options.some((o) => o.sender === sender)) {
      throw new SyncError('That device did not send one of the new secrets; choose one listed.');
    }
    const identity = guard.choose(sender);
    this.choice = undefined;
    await this.remember();
    if (identity) return this.adopt(identity);
    this.error =
      'This device keeps its current sync secret. Pair it again by link from a device you still use.';
    this.emitChange();
  }

  /** Stop syncing and release everything; the notebook document is left to its owner. */
  override destroy(): void {
    if (this.destroyed) return;
    this.stop();
    this.destroyed = true;
    if (hasWindow()) {
      globalThis.removeEventListener('offline', this.onOffline);
      globalThis.removeEventListener('online', this.onOnline);
    }
    super.destroy();
  }

  // --- internals ---------------------------------------------------------------------

  /** Pins and re-key memory from the store, once (options win when given). */
  private async loadTrust(): Promise<void> {
    const store = this.options.store;
    if (!this.signPins) {
      const loaded = this.options.signingPins ?? (await store?.loadSigningPins()) ?? {};
      this.signPins ??= { ...loaded };
    }
    if (!this.memory) {
      this.memory =
        this.options.rekeyMemory ?? (await store?.loadRekeyMemory()) ?? EMPTY_REKEY_MEMORY;
    }
  }

  private deviceName(id: string): string {
    const d = [...(this.peer?.devices ?? []), ...(this.relay?.devices ?? [])].find(
      (x) => x.id === id,
    );
    return d?.name ?? id;
  }

  /**
   * Look at every re-key seen in this room (rekey-guard.ts) and act: move, ask the owner,
   * or report refusals. Runs one at a time, and only once the relay has caught up (when
   * this tab runs it and it can be reached); a tab that leaves the relay to another tab
   * leaves the decision to it too, and follows it through the identity store.
   */
  private decide(): void {
    const generation = this.generation;
    this.deciding = this.deciding
      .then(async () => {
        const guard = this.guard;
        if (generation !== this.generation || !guard?.size || !this.settled()) return;
        this.checkKeys();
        const { decision, refused } = await guard.evaluate();
        if (generation !== this.generation) return;
        await this.remember();
        if (refused.length > 0) this.error = refused[refused.length - 1];
        if (decision.kind === 'adopt') {
          this.choice = undefined;
          if (this.identityValue && equalBytes(decision.identity.secret, this.identityValue.secret))
            return;
          await this.adopt(decision.identity);
          return;
        }
        this.choice = decision.kind === 'choose' ? decision.choice : undefined;
        this.emitChange();
      })
      .catch((e: unknown) => this.fail(e));
  }

  private settled(): boolean {
    if (this.role === 'other-tab') return false;
    if (!this.relay || this.relaySynced) return true;
    const c = this.relay.status.connection;
    return c !== 'online' && c !== 'connecting';
  }

  private rememberTimer: Promise<void> | undefined;

  private rememberLater(): void {
    this.rememberTimer ??= Promise.resolve().then(async () => {
      this.rememberTimer = undefined;
      await this.remember();
    });
  }

  private remembered = '';

  /** Keep the guard's memory (and the relay's device numbers) on this device. */
  private async remember(): Promise<void> {
    const memory: RekeyMemory = {
      ...(this.guard?.memory ?? this.memory ?? EMPTY_REKEY_MEMORY),
      devices: this.memory?.devices ?? {},
    };
    this.memory = memory;
    const text = JSON.stringify(memory);
    if (text === this.remembered) return;
    this.remembered = text;
    await this.options.store?.saveRekeyMemory(memory).catch(() => {
      // Kept in memory for this session; the next start reads the last stored one.
    });
  }

  /** Keep a new identity (from a rekey or a removal) and move to it. */
  private async adopt(identity: SyncIdentity): Promise<void> {
    try {
      await this.options.store?.saveIdentity(identity);
    } catch (e) {
      // Syncing on with a secret this device forgets on reload would strand it later.
      return this.fail(
        new SyncError(
          `The new sync secret could not be stored on this device (${e instanceof Error ? e.message : String(e)}).`,
        ),
      );
    }
    if (this.destroyed) return;
    this.emit('identity', [identity]);
    await this.start(identity);
  }

  /**
   * Live devices switch room when they open their copy; keep the old room until they have
   * left it (or `handoverMs` passed), so the hand-over is not cut off.
   */
  private waitForHandover(peer: PeerSync, ids: readonly string[]): Promise<void> {
    const pending = () => peer.devices.some((d) => ids.includes(d.id));
    if (ids.length === 0 || !pending()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        peer.off('devices', check);
        resolve();
      };
      const check = () => {
        if (!pending()) done();
      };
      const timer = setTimeout(done, this.options.handoverMs ?? 15_000);
      peer.on('devices', check);
    });
  }

  private rewire(): void {
    this.status?.off('change', this.emitChange);
    this.status?.destroy();
    this.status = new SyncStatus({
      selfId: this.deviceValue.id,
      selfName: this.deviceValue.name,
      paired: true,
      ...(this.peer ? { peer: this.peer } : {}),
      ...(this.relay ? { relay: this.relay } : {}),
      ...(this.options.storageError ? { storageError: this.options.storageError } : {}),
      isOnline: () => this.online(),
      ...(this.options.now ? { now: this.options.now } : {}),
    });
    this.status.on('change', this.emitChange);
    this.emitChange();
  }

  private locks(): LockManagerLike | undefined {
    if (this.options.locks === null) return undefined;
    if (this.options.locks) return this.options.locks;
    const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
    return nav?.locks;
  }

  private online(): boolean {
    if (this.options.isOnline) return this.options.isOnline();
    const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
    return nav?.onLine !== false;
  }

  private fail(e: unknown): void {
    this.error =
      e instanceof SyncError
        ? e.message
        : `Sync could not start: ${e instanceof Error ? e.message : String(e)}`;
    this.emitChange();
  }
}
