/**
 * Live peer-to-peer sync: a thin wrapper over y-webrtc's `WebrtcProvider` with the room name
 * and password derived from the sync identity, our own signalling servers only, and no
 * ICE servers unless the owner configures some.
 *
 * Two defaults matter for privacy and are set explicitly here, never left to the library:
 * y-webrtc's default `signaling` is a public server, and simple-peer's default ICE config
 * lists public STUN servers (Google, Twilio). With `iceServers: []` browsers use host
 * candidates only, which connects devices on the same network; add a STUN/TURN server you
 * run in settings to reach across networks.
 */
import type * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import { Awareness } from 'y-protocols/awareness';
import { ObservableV2 } from 'lib0/observable';
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
import { nextSeq } from './crypto.ts';

/** The signalling server `npm start` runs (see src/server/index.ts). */
export const DEFAULT_SIGNALING: readonly string[] = ['ws://127.0.0.1:4444'];

/** Where live sync stands. */
export interface PeerStatus {
  /** `online` = connected to at least one signalling server. */
  readonly connection: 'connecting' | 'online' | 'offline';
  /** Devices connected right now (WebRTC or another tab of this browser). */
  readonly peers: number;
  /** In sync with every connected peer. */
  readonly synced: boolean;
  readonly lastSyncedAt: Date | undefined;
  readonly lastError: string | undefined;
}

/** A device seen live, from its awareness state. */
export interface LiveDevice {
  readonly id: string;
  readonly name: string;
  /** ISO time of its last awareness update. */
  readonly lastSeen: string;
  /** Its public key for receiving a rotated secret, when it published one. */
  readonly publicKey?: JsonWebKey;
  /** Its public key for signing re-keys, when it published one (not an older Vitrine). */
  readonly verifyKey?: JsonWebKey;
}

/** Events of a {@link PeerSync}. */
export type PeerEvents = {
  status: (status: PeerStatus) => void;
  devices: (devices: readonly LiveDevice[]) => void;
  /**
   * A copy of a new secret addressed to this device was opened. Who wrote it is NOT
   * checked here: a removed device still has the room password and can publish one too.
   * Act on `notices` through `RekeyGuard` (the app's SyncSession does).
   */
  rekey: (identity: SyncIdentity, from: string) => void;
  /** Re-key messages newly seen in presence (addressed to this device or not). */
  notices: (notices: readonly RekeyNotice[]) => void;
};

/** Options for {@link PeerSync}. */
export interface PeerSyncOptions {
  doc: Y.Doc;
  keys: Pick<SyncKeys, 'roomId' | 'webrtcPassword'>;
  /** Signalling servers (ws:// or wss://); default {@link DEFAULT_SIGNALING}. */
  signaling?: readonly string[];
  /** ICE (STUN/TURN) servers; default none (host candidates only). */
  iceServers?: readonly RTCIceServer[];
  deviceId: string;
  deviceName?: string;
  /** This device's key pair, so a rotated secret can be handed to it live (rekey.ts). */
  deviceKeys?: DeviceKeys;
  /** An awareness to share (the app's); one is created otherwise. */
  awareness?: Awareness;
  now?: () => Date;
}

/** Check signalling addresses: WebSocket URLs only, so a typo never becomes a fetch. */
export function checkSignalingUrls(urls: readonly string[]): string[] {
  return urls.map((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new SyncError(`"${u}" is not a signalling server address (use ws://host:port).`);
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new SyncError(
        `"${u}" is not a WebSocket address; signalling servers start with ws:// or wss://.`,
      );
    }
    return u;
  });
}

interface SignalingConnLike {
  connected: boolean;
  on(name: string, f: () => void): void;
  off(name: string, f: () => void): void;
}

/** Live sync with the other paired devices that are online now. */
export class PeerSync extends ObservableV2<PeerEvents> {
  readonly provider: WebrtcProvider;
  readonly awareness: Awareness;
  private readonly deviceId: string;
  private readonly roomId: string;
  private readonly deviceKeys: DeviceKeys | undefined;
  // Rekey messages already seen (by author and IV), so an awareness refresh does not repeat them.
  private readonly rekeysSeen = new Set<string>();
  // Our awareness fields: y-webrtc clears the local state on disconnect() and does not
  // restore it on connect(), so they are kept here and published again.
  private readonly ownState: Record<string, unknown>;
  private readonly now: () => Date;
  private peers = 0;
  private synced = false;
  private lastSyncedAt: Date | undefined;
  private lastError: string | undefined;
  private destroyed = false;
  private readonly ownsAwareness: boolean;
  private readonly watched = new Set<SignalingConnLike>();
  private readonly onConnChange = () => this.emitStatus();
  private readonly onAwareness = () => {
    this.emit('devices', [this.devices]);
    void this.receiveRekeys();
  };

  constructor(options: PeerSyncOptions) {
    super();
    const signaling = checkSignalingUrls(options.signaling ?? DEFAULT_SIGNALING);
    this.deviceId = options.deviceId;
    this.roomId = options.keys.roomId;
    this.deviceKeys = options.deviceKeys;
    this.now = options.now ?? (() => new Date());
    this.ownsAwareness = !options.awareness;
    this.awareness = options.awareness ?? new Awareness(options.doc);
    this.ownState = {
      device: {
        id: options.deviceId,
        name: options.deviceName ?? 'A device',
        ...(options.deviceKeys ? { publicKey: options.deviceKeys.publicKey } : {}),
        ...(options.deviceKeys?.verifyKey ? { verifyKey: options.deviceKeys.verifyKey } : {}),
      },
    };
    this.publishState();
    this.provider = new WebrtcProvider(options.keys.roomId, options.doc, {
      signaling: [...signaling],
      // Encrypts signalling messages and awareness with a key derived from the password.
      password: options.keys.webrtcPassword,
      awareness: this.awareness,
      peerOpts: { config: { iceServers: [...(options.iceServers ?? [])] } },
    });
    this.provider.on('peers', ({ webrtcPeers, bcPeers }) => {
      this.peers = webrtcPeers.length + bcPeers.length;
      this.emitStatus();
    });
    this.provider.on('synced', ({ synced }) => {
      this.synced = synced;
      if (synced) this.lastSyncedAt = this.now();
      this.emitStatus();
    });
    this.provider.on('status', () => this.emitStatus());
    this.watchConns();
    this.awareness.on('change', this.onAwareness);
  }

  /** Current status (also emitted as `status`). */
  get status(): PeerStatus {
    const conns = this.conns();
    const anyConnected = conns.some((c) => c.connected);
    return {
      connection: !this.provider.connected
        ? 'offline'
        : anyConnected
          ? 'online'
          : conns.length === 0
            ? 'offline'
            : 'connecting',
      peers: this.peers,
      synced: this.synced,
      lastSyncedAt: this.lastSyncedAt,
      lastError: this.lastError,
    };
  }

  /** Other devices online now, from awareness. */
  get devices(): readonly LiveDevice[] {
    const out: LiveDevice[] = [];
    for (const [client, state] of this.awareness.getStates()) {
      if (client === this.awareness.clientID) continue;
      const device = (
        state as {
          device?: { id?: unknown; name?: unknown; publicKey?: unknown; verifyKey?: unknown };
        }
      ).device;
      if (!device || typeof device.id !== 'string' || device.id === this.deviceId) continue;
      const meta = this.awareness.meta.get(client);
      out.push({
        id: device.id,
        name: typeof device.name === 'string' ? device.name : 'A device',
        lastSeen: new Date(meta?.lastUpdated ?? this.now().getTime()).toISOString(),
        ...(device.publicKey && typeof device.publicKey === 'object'
          ? { publicKey: device.publicKey as JsonWebKey }
          : {}),
        ...(device.verifyKey && typeof device.verifyKey === 'object'
          ? { verifyKey: device.verifyKey as JsonWebKey }
          : {}),
      });
    }
    return out;
  }

  /**
   * "Remove a device", live: hand `next` to every device online now that published a key,
   * except those in `remove`, in one signed re-key (rekey.ts) carried in presence (which
   * y-webrtc encrypts with the room password). Each copy is wrapped for its recipient
   * alone, so the removed device, which still has the room password, learns nothing. Keep
   * this object alive until the others have switched, then move to the new identity.
   */
  async rotate(next: SyncIdentity, remove: readonly string[]): Promise<{ addressed: string[] }> {
    if (!this.deviceKeys) throw new SyncError('This device has no key pair to sign a key change.');
    const recipients = this.devices.flatMap((d) =>
      remove.includes(d.id) || !d.publicKey ? [] : [{ id: d.id, publicKey: d.publicKey }],
    );
    const messages = await createRekeyMessages({
      keys: this.deviceKeys,
      sender: this.deviceId,
      oldRoom: this.roomId,
      next,
      removed: remove,
      recipients,
      seq: nextSeq(),
      at: this.now(),
    });
    this.publishRekey(messages);
    return { addressed: recipients.map((r) => r.id) };
  }

  /** Publish re-key messages (from `createRekeyMessages`) in this device's presence. */
  publishRekey(messages: readonly RekeyMessage[]): void {
    this.ownState.rekey = [...messages];
    this.publishState();
  }

  /** Leave the room (keeps the object; {@link connect} rejoins). */
  disconnect(): void {
    this.provider.disconnect();
    this.emitStatus();
  }

  /** Rejoin after {@link disconnect}. */
  connect(): void {
    if (this.destroyed) return;
    this.provider.connect();
    this.publishState();
    this.watchConns();
    this.emitStatus();
  }

  /** Leave the room and release everything. The document is left to its owner. */
  override destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const c of this.watched) {
      c.off('connect', this.onConnChange);
      c.off('disconnect', this.onConnChange);
    }
    this.awareness.off('change', this.onAwareness);
    this.provider.destroy();
    if (this.ownsAwareness) this.awareness.destroy();
    super.destroy();
  }

  private publishState(): void {
    this.awareness.setLocalState({ ...(this.awareness.getLocalState() ?? {}), ...this.ownState });
  }

  private async receiveRekeys(): Promise<void> {
    const notices: RekeyNotice[] = [];
    for (const [client, state] of this.awareness.getStates()) {
      if (client === this.awareness.clientID) continue;
      const list = (state as { rekey?: unknown }).rekey;
      if (!Array.isArray(list)) continue;
      const from = (state as { device?: { id?: unknown } }).device?.id;
      const author = typeof from === 'string' ? from : '';
      for (const raw of list) {
        const m = parseRekeyMessage(raw);
        const seenKey = `${author}\u0000${m?.iv ?? ''}`;
        if (!m || this.rekeysSeen.has(seenKey)) continue;
        this.rekeysSeen.add(seenKey);
        const notice: RekeyNotice = { via: 'live', author, message: m };
        if (m.to !== this.deviceId || !this.deviceKeys) {
          notices.push(notice);
          continue;
        }
        try {
          const identity = await openRekeyMessage(this.deviceKeys.privateKey, m, {
            roomId: this.roomId,
            recipient: this.deviceId,
          });
          if (!this.destroyed) this.emit('rekey', [identity, author]);
          notices.push({ ...notice, identity });
        } catch (e) {
          this.lastError = (e as Error).message;
          notices.push({ ...notice, openError: this.lastError });
          this.emitStatus();
        }
      }
    }
    if (notices.length > 0 && !this.destroyed) this.emit('notices', [notices]);
  }

  // y-webrtc shares one signalling connection per URL between providers and makes a new
  // one after disconnect()/connect(), so the set is read fresh each time.
  private conns(): SignalingConnLike[] {
    return [...new Set(this.provider.signalingConns as unknown as SignalingConnLike[])];
  }

  private watchConns(): void {
    for (const c of this.conns()) {
      if (this.watched.has(c)) continue;
      this.watched.add(c);
      c.on('connect', this.onConnChange);
      c.on('disconnect', this.onConnChange);
    }
  }

  private emitStatus(): void {
    if (!this.destroyed) this.emit('status', [this.status]);
  }
}
