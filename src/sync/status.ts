/**
 * "Status you can trust": one summary of local storage, live peer sync and the relay, in
 * the four states a person cares about, with the devices and the last error in words.
 *
 * | state         | when                                                                |
 * | ------------- | ------------------------------------------------------------------- |
 * | `this-device` | no sync identity yet (nothing has been paired)                      |
 * | `offline`     | paired, but no network, or neither peers nor relay reachable         |
 * | `connecting`  | reaching a signalling server or the relay, or catching up            |
 * | `up-to-date`  | the relay has everything, or every live peer is in sync              |
 *
 * {@link summarizeSync} is a pure function (tested alone); {@link SyncStatus} wires it to
 * the live objects and emits `change`.
 */
import { ObservableV2 } from 'lib0/observable';
import type { LiveDevice, PeerStatus } from './peer.ts';
import type { RelayDevice, RelayStatus } from './relay-client.ts';
import type { RekeyChoice } from './rekey-guard.ts';

/** The four states of the sync indicator. */
export type SyncState = 'this-device' | 'offline' | 'connecting' | 'up-to-date';

/** A paired device as the device list shows it. */
export interface SyncDevice {
  readonly id: string;
  readonly name: string;
  /** ISO time it was last seen (live awareness or its last relay visit). */
  readonly lastSeen: string;
  /** Connected live right now. */
  readonly live: boolean;
  /** This device. */
  readonly self: boolean;
}

/** What the indicator and the device list show. */
export interface SyncSummary {
  readonly state: SyncState;
  /** One line for the indicator, e.g. "Up to date with 2 devices · last synced 3 min ago". */
  readonly text: string;
  /** Other devices this one is known to share the notebook with. */
  readonly deviceCount: number;
  readonly devices: readonly SyncDevice[];
  readonly lastSyncedAt: Date | undefined;
  /** The last problem in words, or undefined. */
  readonly lastError: string | undefined;
  /** Devices sent different new secrets: the owner chooses which to follow (session.ts). */
  readonly choice?: RekeyChoice;
}

/** Everything the summary is computed from. */
export interface SyncInputs {
  /** A sync identity exists (this device paired, or made a pairing link). */
  readonly paired: boolean;
  /** The browser believes it has a network (`navigator.onLine`). */
  readonly networkOnline: boolean;
  readonly selfId: string;
  readonly selfName?: string;
  readonly storageError?: string;
  readonly peer?: PeerStatus;
  readonly relay?: RelayStatus;
  readonly liveDevices?: readonly LiveDevice[];
  readonly relayDevices?: readonly RelayDevice[];
  readonly now: Date;
}

/** "just now", "5 min ago", "3 h ago", or the date. */
export function formatSince(then: Date, now: Date): string {
  const s = Math.max(0, (now.getTime() - then.getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `on ${then.toISOString().slice(0, 10)}`;
}

function latest(...dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((a, d) => (d && (!a || d > a) ? d : a), undefined);
}

/** Merge live and relay device lists by id (latest sighting wins; this device first). */
export function mergeDevices(inputs: SyncInputs): SyncDevice[] {
  const byId = new Map<string, SyncDevice>();
  const add = (id: string, name: string, lastSeen: string, live: boolean) => {
    const prev = byId.get(id);
    byId.set(id, {
      id,
      name: live || !prev ? name : prev.name,
      lastSeen: prev && prev.lastSeen > lastSeen ? prev.lastSeen : lastSeen,
      live: live || (prev?.live ?? false),
      self: id === inputs.selfId,
    });
  };
  for (const d of inputs.relayDevices ?? []) add(d.id, d.name, d.lastSeen, false);
  for (const d of inputs.liveDevices ?? []) add(d.id, d.name, d.lastSeen, true);
  const self = byId.get(inputs.selfId);
  byId.set(inputs.selfId, {
    id: inputs.selfId,
    name: inputs.selfName ?? self?.name ?? 'This device',
    lastSeen: inputs.now.toISOString(),
    live: true,
    self: true,
  });
  return [...byId.values()].sort((a, b) =>
    a.self !== b.self ? (a.self ? -1 : 1) : b.lastSeen.localeCompare(a.lastSeen),
  );
}

/** Compute the indicator state, its sentence, the device list and the last error. */
export function summarizeSync(inputs: SyncInputs): SyncSummary {
  const { peer, relay } = inputs;
  const devices = inputs.paired ? mergeDevices(inputs) : [];
  const others = devices.filter((d) => !d.self).length;
  const lastSyncedAt = latest(peer?.lastSyncedAt, relay?.lastSyncedAt);
  const lastError = inputs.storageError ?? relay?.lastError ?? peer?.lastError;
  const since = lastSyncedAt ? ` · last synced ${formatSince(lastSyncedAt, inputs.now)}` : '';
  const base = { deviceCount: others, devices, lastSyncedAt, lastError };

  if (!inputs.paired) {
    return { ...base, state: 'this-device', text: 'This device only — pair a device to sync' };
  }
  const peerUp = peer !== undefined && peer.connection === 'online';
  const relayUp = relay !== undefined && relay.connection === 'online';
  const relayTrying = relay !== undefined && relay.connection === 'connecting';
  const peerTrying = peer !== undefined && peer.connection === 'connecting';
  if (!inputs.networkOnline || (!peerUp && !relayUp && !relayTrying && !peerTrying)) {
    const why = relay?.connection === 'denied' ? ' — the relay refused this device' : '';
    return {
      ...base,
      state: 'offline',
      text: `Offline${why} — changes are kept on this device${since}`,
    };
  }
  const relayDone = relayUp && relay.upToDate;
  const peersDone = peerUp && peer.peers > 0 && peer.synced;
  if (relayDone || peersDone) {
    const n =
      others === 0
        ? 'Up to date — no other device has synced yet'
        : `Up to date with ${others} device${others === 1 ? '' : 's'}`;
    return { ...base, state: 'up-to-date', text: `${n}${since}` };
  }
  return { ...base, state: 'connecting', text: `Connecting…${since}` };
}

/** Events of {@link SyncStatus}. */
export type SyncStatusEvents = { change: (summary: SyncSummary) => void };

/** Anything with a status and `status`/`devices` events (PeerSync, RelayClient). */
interface Source<S, D> {
  readonly status: S;
  readonly devices: readonly D[];
  on(name: 'status', f: (s: S) => void): void;
  on(name: 'devices', f: (d: readonly D[]) => void): void;
  off(name: 'status', f: (s: S) => void): void;
  off(name: 'devices', f: (d: readonly D[]) => void): void;
}

/** Options for {@link SyncStatus}. */
export interface SyncStatusOptions {
  selfId: string;
  selfName?: string;
  paired: boolean;
  peer?: Source<PeerStatus, LiveDevice>;
  relay?: Source<RelayStatus, RelayDevice>;
  /** Current storage error in words, if any (from storage.ts). */
  storageError?: () => string | undefined;
  /** Network state; defaults to `navigator.onLine` where there is one. */
  isOnline?: () => boolean;
  now?: () => Date;
}

/** Live sync status: recomputes the summary whenever a source changes. */
export class SyncStatus extends ObservableV2<SyncStatusEvents> {
  private readonly options: SyncStatusOptions;
  private readonly update = () => this.emit('change', [this.summary]);
  private readonly hasWindow =
    typeof globalThis.addEventListener === 'function' && typeof navigator !== 'undefined';

  constructor(options: SyncStatusOptions) {
    super();
    this.options = options;
    options.peer?.on('status', this.update);
    options.peer?.on('devices', this.update);
    options.relay?.on('status', this.update);
    options.relay?.on('devices', this.update);
    if (this.hasWindow) {
      globalThis.addEventListener('online', this.update);
      globalThis.addEventListener('offline', this.update);
    }
  }

  /** The current summary. */
  get summary(): SyncSummary {
    const o = this.options;
    const online =
      o.isOnline?.() ?? (typeof navigator !== 'undefined' ? navigator.onLine !== false : true);
    return summarizeSync({
      paired: o.paired,
      networkOnline: online,
      selfId: o.selfId,
      selfName: o.selfName,
      storageError: o.storageError?.(),
      peer: o.peer?.status,
      relay: o.relay?.status,
      liveDevices: o.peer?.devices,
      relayDevices: o.relay?.devices,
      now: o.now?.() ?? new Date(),
    });
  }

  /** Stop listening to the sources. */
  override destroy(): void {
    this.options.peer?.off('status', this.update);
    this.options.peer?.off('devices', this.update);
    this.options.relay?.off('status', this.update);
    this.options.relay?.off('devices', this.update);
    if (this.hasWindow) {
      globalThis.removeEventListener('online', this.update);
      globalThis.removeEventListener('offline', this.update);
    }
    super.destroy();
  }
}
