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
import { RelayClient } from './relay-client.ts';
import { SyncStatus, summarizeSync, type SyncSummary } from './status.ts';
import { equalBytes } from './bytes.ts';

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

/**
 * A device public key's fingerprint for pinning: its curve and point. The first key seen
 * for a device id is pinned; a later, different one is not trusted (see
 * {@link SyncSession.untrusted}).
 */
export function keyFingerprint(jwk: JsonWebKey): string {
  return `${jwk.kty ?? ''}:${jwk.crv ?? ''}:${jwk.x ?? ''}:${jwk.y ?? ''}`;
}

const hasWindow = () => typeof globalThis.addEventListener === 'function';

/** Sync for one notebook on this device. */
export class SyncSession extends ObservableV2<SyncSessionEvents> {
  private readonly options: SyncSessionOptions;
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
  private readonly onRekey = (identity: SyncIdentity) => {
    if (this.identityValue && equalBytes(identity.secret, this.identityValue.secret)) return;
    void this.adopt(identity);
  };
  private readonly pins: Record<string, string>;
  private readonly distrusted = new Set<string>();
  // Trust on first sight: a device that still had the room key could publish a key under
  // another device's id before it was removed (docs/sync.md). A changed key is reported and
  // its device is never handed a rotated secret; it is re-paired by link instead.
  private readonly checkKeys = () => {
    let pinned = false;
    const seen = [...(this.peer?.devices ?? []), ...(this.relay?.devices ?? [])];
    for (const d of seen) {
      if (!d.publicKey || d.id === this.deviceValue.id) continue;
      const fp = keyFingerprint(d.publicKey);
      const known = this.pins[d.id];
      if (known === undefined) {
        this.pins[d.id] = fp;
        pinned = true;
      } else if (known !== fp && !this.distrusted.has(d.id)) {
        this.distrusted.add(d.id);
        this.error = `"${d.name}" showed a different device key than the one first seen for it, so it is not trusted with a new secret. If that device was reset, remove it and pair it again by link.`;
        this.emitChange();
      }
    }
    if (pinned) {
      this.options.store?.savePins(this.pins).catch(() => {
        // Pins are kept in memory for this session; the next start pins again.
      });
    }
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
    } catch (e) {
      return this.fail(e);
    }
    if (generation !== this.generation) return;
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
          ...(this.options.now ? { now: this.options.now } : {}),
        });
        this.peer.on('rekey', this.onRekey);
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
        ...(this.options.WebSocketPolyfill
          ? { WebSocketPolyfill: this.options.WebSocketPolyfill }
          : {}),
        ...(this.options.now ? { now: this.options.now } : {}),
      });
      this.relay.on('rekey', this.onRekey);
      this.relay.on('error', this.onRelayError);
      this.relay.on('devices', this.checkKeys);
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
      this.peer.off('rekey', this.onRekey);
      this.peer.off('devices', this.checkKeys);
      this.peer.destroy();
      this.peer = undefined;
    }
    if (this.relay) {
      this.relay.off('rekey', this.onRekey);
      this.relay.off('error', this.onRelayError);
      this.relay.off('devices', this.checkKeys);
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
   * (live over the room, and through the old envelope on the relay), wrapped for each one
   * alone (rekey.ts), then move this device to it. The removed device keeps what it had
   * but can follow no further. Devices that could not be reached are returned: pair them
   * again by link.
   */
  async removeDevice(deviceId: string): Promise<RemoveResult> {
    const current = this.identityValue;
    if (!current) throw new SyncError('This device is not paired, so there is nothing to remove.');
    if (deviceId === this.deviceValue.id) {
      throw new SyncError('This device cannot remove itself; remove it from another device.');
    }
    const next = rotateIdentity(current);
    this.checkKeys();
    // A device whose key changed is left out like the removed one (re-paired by link).
    const leaveOut = [deviceId, ...this.distrusted];
    const addressed = new Set<string>();
    const peer = this.peer;
    const relay = this.relay;
    if (peer) for (const id of (await peer.rotate(next, leaveOut)).addressed) addressed.add(id);
    // RelayClient.rotate waits for the relay to acknowledge, which never happens offline.
    if (relay && relay.status.connection === 'online') {
      for (const id of (await relay.rotate(next, leaveOut)).addressed) addressed.add(id);
    }
    const known = this.summary.devices.filter((d) => !d.self && d.id !== deviceId);
    const unreachable = known.filter((d) => !addressed.has(d.id)).map((d) => d.id);
    if (peer) await this.waitForHandover(peer, [...addressed]);
    await this.adopt(next);
    return { addressed: [...addressed], unreachable };
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
