/**
 * The app's sync service, {@link AppSync}: one sync session plus what is kept on this
 * device (device record, settings, identity, pins), and the owner's actions — pair, join,
 * settings, rename, remove a device. Components reach it through `syncContext`
 * (`src/ui/controllers/sync-context.ts`), never by building one.
 */
import type * as Y from 'yjs';
import {
  IdentityStore,
  memoryKeyValue,
  openIdbKeyValue,
  pairingBase,
  type DeviceRecord,
  type SyncSettings,
} from '../sync/identity-store.ts';
import { createIdentity, formatPairingLink, type SyncIdentity } from '../sync/pairing.ts';
import { SyncSession, type RemoveResult } from '../sync/session.ts';
import type { SyncSummary } from '../sync/status.ts';
import { equalBytes } from '../sync/bytes.ts';

/** Message other tabs of this profile get when the identity or settings change here. */
interface TabMessage {
  readonly type: 'changed';
}

/** The app's sync: one session plus what is kept on the device, and the owner's actions. */
export class AppSync {
  /** Set when the device store could not be opened (then nothing survives a reload). */
  readonly storeError: string | undefined;
  private readonly channel: BroadcastChannel | undefined;

  private constructor(
    readonly session: SyncSession,
    readonly store: IdentityStore,
    storeError: string | undefined,
  ) {
    this.storeError = storeError;
    // Another tab paired, joined, was re-keyed or changed settings: follow it, so every tab
    // of this profile syncs in the same room with the same servers.
    this.channel =
      typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('vitrine-sync');
    if (this.channel) this.channel.onmessage = () => void this.reload();
    session.on('identity', () => this.tell());
  }

  /**
   * Load this device's sync state (device record, settings, identity) for `notebook`. Does
   * not start syncing: call {@link startIfPaired} once the notebook has loaded locally.
   */
  static async open(
    doc: Y.Doc,
    notebook: string,
    storageError?: () => string | undefined,
  ): Promise<AppSync> {
    let store: IdentityStore;
    let storeError: string | undefined;
    try {
      store = new IdentityStore(await openIdbKeyValue(), notebook);
    } catch (e) {
      // Without IndexedDB the app still works on this device; pairing would not survive a
      // reload, which the settings say in words.
      storeError = `Sync settings cannot be stored on this device (${e instanceof Error ? e.message : String(e)}); pairing will not survive a reload.`;
      store = new IdentityStore(memoryKeyValue(), notebook);
    }
    const [device, settings, identity, pins] = await Promise.all([
      store.loadDevice(navigator.userAgent),
      store.loadSettings(),
      store.loadIdentity(),
      store.loadPins(),
    ]);
    const session = new SyncSession({
      doc,
      device,
      settings,
      store,
      pins,
      storageError: () => storageError?.() ?? storeError,
    });
    const sync = new AppSync(session, store, storeError);
    sync.pending = identity;
    return sync;
  }

  private pending: SyncIdentity | undefined;

  /** Start syncing if this notebook was paired on this device before. */
  async startIfPaired(): Promise<void> {
    const identity = this.pending;
    this.pending = undefined;
    if (identity) await this.session.start(identity);
  }

  /** Whether this device holds a sync identity (loaded or started). */
  get paired(): boolean {
    return this.session.identity !== undefined || this.pending !== undefined;
  }

  /** The current summary. */
  get summary(): SyncSummary {
    return this.session.summary;
  }

  /**
   * "Pair a device": the notebook's identity (made and stored the first time), with sync
   * started. Returns the pairing link for `href`, the app's address.
   */
  async pair(href: string): Promise<string> {
    let identity = this.session.identity ?? this.pending;
    if (!identity) {
      identity = createIdentity();
      await this.store.saveIdentity(identity);
      this.tell();
    }
    this.pending = undefined;
    if (!this.session.active) await this.session.start(identity);
    return formatPairingLink(pairingBase(href, this.session.settings), identity);
  }

  /** The pairing link for the current identity, or undefined when not paired. */
  link(href: string): string | undefined {
    const identity = this.session.identity;
    return identity
      ? formatPairingLink(pairingBase(href, this.session.settings), identity)
      : undefined;
  }

  /** Whether `identity` is the one this device already syncs with. */
  isCurrent(identity: SyncIdentity): boolean {
    const mine = this.session.identity ?? this.pending;
    return !!mine && equalBytes(mine.secret, identity.secret);
  }

  /**
   * Join the notebook of a pairing link: keep its identity (and the server addresses it
   * carried) and start syncing; this device's notebook merges in.
   */
  async join(identity: SyncIdentity, linkSettings: Partial<SyncSettings>): Promise<void> {
    if (Object.keys(linkSettings).length > 0) {
      const settings = await this.store.saveSettings({
        ...this.session.settings,
        ...linkSettings,
      });
      await this.session.updateSettings(settings);
    }
    await this.store.saveIdentity(identity);
    this.pending = undefined;
    this.tell();
    await this.session.start(identity);
  }

  /** Check, keep and apply new sync settings (sync restarts with them if it runs). */
  async saveSettings(settings: SyncSettings): Promise<void> {
    const saved = await this.store.saveSettings(settings);
    await this.session.updateSettings(saved);
    this.tell();
  }

  /** Rename this device. */
  async rename(name: string): Promise<DeviceRecord> {
    const device = await this.store.saveDeviceName(this.session.device, name);
    await this.session.updateDevice(device);
    return device;
  }

  /**
   * "Pause sync": leave the room and the relay until {@link resume} (or the next start of
   * the app); edits are kept here and sent on resuming.
   */
  pause(): void {
    this.session.stop();
  }

  /** Resume sync after {@link pause}. */
  async resume(): Promise<void> {
    const identity = this.session.identity;
    if (identity && !this.session.active) await this.session.start(identity);
  }

  /** "Remove a device" (see {@link SyncSession.removeDevice}). */
  removeDevice(id: string): Promise<RemoveResult> {
    return this.session.removeDevice(id);
  }

  /**
   * Answer a conflicting re-key (see `SyncSession.chooseRekey`): follow the device
   * `sender`, or stay with `null`.
   */
  chooseRekey(sender: string | null): Promise<void> {
    return this.session.chooseRekey(sender);
  }

  /** Stop syncing and close the store. */
  destroy(): void {
    this.channel?.close();
    this.session.destroy();
    this.store.destroy();
  }

  private tell(): void {
    const message: TabMessage = { type: 'changed' };
    this.channel?.postMessage(message);
  }

  private async reload(): Promise<void> {
    const [settings, identity] = await Promise.all([
      this.store.loadSettings(),
      this.store.loadIdentity(),
    ]);
    const sameIdentity =
      identity &&
      this.session.identity &&
      equalBytes(identity.secret, this.session.identity.secret);
    const sameSettings = JSON.stringify(settings) === JSON.stringify(this.session.settings);
    if (!sameSettings) await this.session.updateSettings(settings);
    if (identity && (!sameIdentity || !this.session.active)) await this.session.start(identity);
  }
}
