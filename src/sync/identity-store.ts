/**
 * What sync keeps on this device and nowhere else: the notebook's sync identity (the
 * secret), this device's id, name and key pair, and the owner's sync settings (signalling
 * server, relay, ICE servers, relay on/off).
 *
 * None of it goes into the notebook's `Y.Doc`: the document is shared with every paired
 * device (and a `.vitrine` backup), while the secret and the device key must stay on the
 * device that made or received them. In the browser it lives in its own IndexedDB
 * database (`vitrine-sync`), which can hold a non-extractable `CryptoKey` as it is
 * (structured clone), so the device's private key is never exported.
 *
 * Also here: the pure helpers the settings form and the pairing flow use (default device
 * name from the user agent, ICE server parsing, address checks, server addresses carried
 * in a pairing link).
 */
import { SyncError } from './errors.ts';
import { checkSignalingUrls, DEFAULT_SIGNALING } from './peer.ts';
import { PAIRING_VERSION, SECRET_BYTES, type SyncIdentity } from './pairing.ts';
import { addSigningKeys, createDeviceKeys, type DeviceKeys } from './rekey.ts';
import { EMPTY_REKEY_MEMORY, isRekeyMemory, type RekeyMemory } from './rekey-guard.ts';

/** The relay `npm start` runs (src/server/index.ts `DEFAULT_RELAY_PORT`). */
export const DEFAULT_RELAY = 'ws://127.0.0.1:4445';

/** The owner's sync settings on this device. */
export interface SyncSettings {
  /** Signalling server for live sync; empty = no live sync across devices. */
  readonly signaling: string;
  /** Relay address (ws:// or wss://). */
  readonly relay: string;
  /** Whether this device syncs through the relay (once paired). */
  readonly relayEnabled: boolean;
  /** STUN/TURN servers for WebRTC; none by default (same-network devices only). */
  readonly iceServers: readonly RTCIceServer[];
}

/**
 * Defaults: only the helpers `npm start` runs on this machine, never a public server, and
 * nothing is contacted at all until the owner pairs a device.
 */
export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  signaling: DEFAULT_SIGNALING[0]!,
  relay: DEFAULT_RELAY,
  relayEnabled: true,
  iceServers: [],
};

/** This device as sync knows it. */
export interface DeviceRecord {
  /** Random, stable per browser profile. */
  readonly id: string;
  /** Shown to the other devices (sealed on the relay, encrypted between peers). */
  readonly name: string;
  /** Key pairs for receiving a rotated secret and signing one ("Remove a device"). */
  readonly keys: DeviceKeys;
}

/** The smallest storage the store needs: IndexedDB in the browser, a `Map` in tests. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Release the storage (an IndexedDB connection); the data stays. */
  destroy(): void;
}

/** A `KeyValueStore` in memory (Node tests, or a browser without IndexedDB). */
export function memoryKeyValue(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: (key) => Promise.resolve(map.get(key)),
    set: (key, value) => {
      map.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      map.delete(key);
      return Promise.resolve();
    },
    destroy: () => undefined,
  };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** A `KeyValueStore` in its own IndexedDB database (one object store, `kv`). */
export async function openIdbKeyValue(name = 'vitrine-sync'): Promise<KeyValueStore> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('kv');
  const db = await request(open);
  const run = async <T>(
    mode: IDBTransactionMode,
    fn: (store: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> => {
    const tx = db.transaction('kv', mode);
    const result = await request(fn(tx.objectStore('kv')));
    // Resolve writes only once committed: a secret "saved" but lost on a crash would
    // leave this device paired in memory only.
    if (mode === 'readwrite') {
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      });
    }
    return result;
  };
  return {
    get: (key) => run('readonly', (s) => s.get(key)),
    set: async (key, value) => {
      await run('readwrite', (s) => s.put(value, key));
    },
    delete: async (key) => {
      await run('readwrite', (s) => s.delete(key));
    },
    destroy: () => db.close(),
  };
}

/** A random id for this device (base-62, 16 characters, ~95 bits). */
export function newDeviceId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => alphabet[b % 62]).join('');
}

/**
 * A name a person recognises their device by, from the user agent: "Chrome on Android",
 * "Firefox on Windows", "Safari on iPhone". Editable in settings.
 */
export function defaultDeviceName(userAgent: string): string {
  const ua = userAgent;
  const os = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /CrOS/.test(ua)
          ? 'ChromeOS'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'Mac'
            : /Windows/.test(ua)
              ? 'Windows'
              : /Linux/.test(ua)
                ? 'Linux'
                : '';
  // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'Firefox'
        : /HeadlessChrome/.test(ua)
          ? 'Headless Chrome'
          : /Chrome\/|CriOS/.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : '';
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || 'This device';
}

/** Check a relay address: a WebSocket URL, so a typo never becomes a request elsewhere. */
export function checkRelayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyncError(`"${url}" is not a relay address (use ws://host:port or wss://host).`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new SyncError(
      `"${url}" is not a WebSocket address; a relay starts with ws:// or wss://.`,
    );
  }
  return url;
}

/**
 * Read ICE servers as typed in settings: one per line, `stun:host:port` or
 * `turn:host:port username credential`. Empty lines are skipped; an empty text is "none".
 */
export function parseIceServers(text: string): RTCIceServer[] {
  const out: RTCIceServer[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const [url, username, credential, ...rest] = line.split(/\s+/);
    if (!/^(stun|stuns|turn|turns):\S+$/.test(url!) || rest.length > 0) {
      throw new SyncError(
        `Line ${i + 1} of the ICE servers is not "stun:host:port" or "turn:host:port user password".`,
      );
    }
    if (url!.startsWith('turn') && (!username || !credential)) {
      throw new SyncError(`Line ${i + 1}: a TURN server needs a user name and a password.`);
    }
    out.push(username ? { urls: url!, username, credential: credential ?? '' } : { urls: url! });
  }
  return out;
}

/** ICE servers back to the one-per-line text {@link parseIceServers} reads. */
export function formatIceServers(servers: readonly RTCIceServer[]): string {
  return servers
    .flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).map((u) => ({ ...s, urls: u })))
    .map((s) => [s.urls, s.username, s.credential].filter(Boolean).join(' '))
    .join('\n');
}

/** Check every address in `settings`; throws {@link SyncError} with a sentence. */
export function checkSettings(settings: SyncSettings): SyncSettings {
  if (settings.signaling) checkSignalingUrls([settings.signaling]);
  if (settings.relayEnabled || settings.relay) checkRelayUrl(settings.relay);
  return settings;
}

/**
 * The page address a pairing link is built on: the app's address plus, when this device
 * uses other servers than the defaults, `?signaling=…&relay=…`, so the new device reaches
 * the same servers (a phone cannot use the laptop's defaults). Only addresses go in the
 * query; the secret stays in the fragment.
 */
export function pairingBase(href: string, settings: SyncSettings): string {
  const url = new URL(href);
  url.hash = '';
  url.search = '';
  if (settings.signaling !== DEFAULT_SYNC_SETTINGS.signaling) {
    url.searchParams.set('signaling', settings.signaling);
  }
  if (settings.relayEnabled && settings.relay !== DEFAULT_SYNC_SETTINGS.relay) {
    url.searchParams.set('relay', settings.relay);
  }
  if (!settings.relayEnabled) url.searchParams.set('relay', 'off');
  return url.href;
}

/**
 * Server addresses a pairing link carries (see {@link pairingBase}), checked. They are
 * shown in the "Join this notebook?" question and only used once the owner accepts.
 */
export function settingsFromLink(href: string): Partial<SyncSettings> {
  const params = new URL(href).searchParams;
  const out: { -readonly [K in keyof SyncSettings]?: SyncSettings[K] } = {};
  const signaling = params.get('signaling');
  if (signaling) out.signaling = checkSignalingUrls([signaling])[0]!;
  const relay = params.get('relay');
  if (relay === 'off') out.relayEnabled = false;
  else if (relay) {
    out.relay = checkRelayUrl(relay);
    out.relayEnabled = true;
  }
  return out;
}

/** The page address without `#pair=…` and the server query a pairing link adds. */
export function withoutPairing(href: string): string {
  const url = new URL(href);
  url.hash = '';
  url.searchParams.delete('signaling');
  url.searchParams.delete('relay');
  return url.href;
}

function isIdentity(value: unknown): value is SyncIdentity {
  const v = value as Partial<SyncIdentity> | undefined;
  return (
    !!v &&
    v.version === PAIRING_VERSION &&
    v.secret instanceof Uint8Array &&
    v.secret.length === SECRET_BYTES
  );
}

/**
 * Sync state kept on this device. One device record and one settings record per browser
 * profile; one identity per notebook (keyed by the notebook's name).
 */
export class IdentityStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly notebook: string,
  ) {}

  /** The notebook's sync identity, or undefined when nothing was paired yet. */
  async loadIdentity(): Promise<SyncIdentity | undefined> {
    const value = await this.kv.get(`identity:${this.notebook}`);
    return isIdentity(value) ? { version: value.version, secret: value.secret } : undefined;
  }

  /** Keep `identity` for this notebook (replacing the previous one after a rekey). */
  async saveIdentity(identity: SyncIdentity): Promise<void> {
    await this.kv.set(`identity:${this.notebook}`, {
      version: identity.version,
      secret: identity.secret,
    });
  }

  /** Forget the notebook's identity (stop syncing it from this device). */
  async clearIdentity(): Promise<void> {
    await this.kv.delete(`identity:${this.notebook}`);
  }

  /**
   * This device's id, name and key pairs, made once and kept: a new id on every start
   * would list the same phone as a new device each time. A record made before re-keys were
   * signed keeps its id and receiving key (the other devices pinned them) and gains a
   * signing key pair, which the others pin the first time they see it.
   */
  async loadDevice(userAgent: string): Promise<DeviceRecord> {
    const value = (await this.kv.get('device')) as Partial<DeviceRecord> | undefined;
    if (
      value &&
      typeof value.id === 'string' &&
      typeof value.name === 'string' &&
      value.keys?.privateKey &&
      value.keys.publicKey
    ) {
      if (value.keys.signingKey && value.keys.verifyKey) {
        return { id: value.id, name: value.name, keys: value.keys };
      }
      const upgraded: DeviceRecord = {
        id: value.id,
        name: value.name,
        keys: await addSigningKeys(value.keys),
      };
      await this.kv.set('device', upgraded);
      return upgraded;
    }
    const device: DeviceRecord = {
      id: newDeviceId(),
      name: defaultDeviceName(userAgent),
      keys: await createDeviceKeys(),
    };
    await this.kv.set('device', device);
    return device;
  }

  /** Rename this device (what the other devices' lists show). */
  async saveDeviceName(device: DeviceRecord, name: string): Promise<DeviceRecord> {
    const trimmed = name.trim();
    if (!trimmed) throw new SyncError('A device needs a name the other devices can show.');
    const next = { ...device, name: trimmed.slice(0, 80) };
    await this.kv.set('device', next);
    return next;
  }

  /** The sync settings, defaults filled in. */
  async loadSettings(): Promise<SyncSettings> {
    const value = (await this.kv.get('settings')) as Partial<SyncSettings> | undefined;
    return { ...DEFAULT_SYNC_SETTINGS, ...(value ?? {}) };
  }

  /** Check and keep the sync settings. */
  async saveSettings(settings: SyncSettings): Promise<SyncSettings> {
    checkSettings(settings);
    const plain: SyncSettings = {
      signaling: settings.signaling,
      relay: settings.relay,
      relayEnabled: settings.relayEnabled,
      iceServers: settings.iceServers.map((s) => ({ ...s })),
    };
    await this.kv.set('settings', plain);
    return plain;
  }

  /** Device key fingerprints pinned when first seen (device id → fingerprint). */
  async loadPins(): Promise<Record<string, string>> {
    const value = await this.kv.get('pins');
    return value && typeof value === 'object' ? { ...(value as Record<string, string>) } : {};
  }

  /** Keep the pinned device key fingerprints. */
  async savePins(pins: Readonly<Record<string, string>>): Promise<void> {
    await this.kv.set('pins', { ...pins });
  }

  /**
   * Device signing keys pinned when first seen (device id → public key): a re-key is
   * adopted only when the key pinned for its sender verifies it.
   */
  async loadSigningPins(): Promise<Record<string, JsonWebKey>> {
    const value = await this.kv.get('signing-pins');
    return value && typeof value === 'object' ? { ...(value as Record<string, JsonWebKey>) } : {};
  }

  /** Keep the pinned device signing keys. */
  async saveSigningPins(pins: Readonly<Record<string, JsonWebKey>>): Promise<void> {
    await this.kv.set('signing-pins', { ...pins });
  }

  /**
   * What this device remembers about this notebook's re-keys: the last one decided per
   * sender, the highest device-entry number per device, the devices named as removed.
   * On this device only (never in the notebook, which a removed device shares).
   */
  async loadRekeyMemory(): Promise<RekeyMemory> {
    const value = await this.kv.get(`rekey-memory:${this.notebook}`);
    return isRekeyMemory(value) ? value : EMPTY_REKEY_MEMORY;
  }

  /** Keep the re-key memory. */
  async saveRekeyMemory(memory: RekeyMemory): Promise<void> {
    await this.kv.set(`rekey-memory:${this.notebook}`, {
      statements: { ...memory.statements },
      devices: { ...memory.devices },
      removed: [...memory.removed],
    });
  }

  /** Release the database connection. */
  destroy(): void {
    this.kv.destroy();
  }
}
