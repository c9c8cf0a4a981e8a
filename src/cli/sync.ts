/**
 * `vitrine sync --notebook NB.vitrine [--link LINK] [--relay URL] [--watch]`: the command
 * line as one more paired device of a notebook. It joins the notebook's relay envelope with
 * the same code as the app (`SyncSession`: sealed entries, its own device keys, signed
 * re-keys checked by `RekeyGuard`), pulls and pushes sealed changes, saves the file and
 * exits once the relay has everything — or, with `--watch`, keeps syncing (and picks up
 * what other `vitrine` commands write to the file) until Ctrl+C.
 *
 * What sync keeps on this device lives beside the notebook, never inside it: `NB.vitrine.sync`
 * (JSON, mode 0600, written atomically) holds the secret, this device's id, name and key
 * pairs, the pinned keys of the other devices, the re-key memory and the relay address.
 * Anyone who can read it can read the notebook's relay copy, as with the link itself.
 *
 * The device keys are made extractable here (to be written to that file) and imported as
 * non-extractable `CryptoKey`s on every run; in the browser they never leave IndexedDB.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { chmod, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Notebook, VitrineError } from '../model/index.ts';
import { parseFlags } from './flags.ts';
import { FILE_ORIGIN, decodeVitrineFile } from '../io/vitrine-file.ts';
import { SyncError } from '../sync/errors.ts';
import {
  DEFAULT_RELAY,
  IdentityStore,
  checkRelayUrl,
  newDeviceId,
  settingsFromLink,
  type DeviceRecord,
  type KeyValueStore,
  type SyncSettings,
} from '../sync/identity-store.ts';
import { parsePairingLink, type SyncIdentity } from '../sync/pairing.ts';
import { SyncSession } from '../sync/session.ts';
import type { SyncSummary } from '../sync/status.ts';
import { fromBase64Url, toBase64Url } from '../sync/bytes.ts';
import { loadNotebook, saveNotebook } from './files.ts';

/** Output sinks (the CLI's `Io`). */
export interface SyncIo {
  out(text: string): void;
  err(text: string): void;
}

/** The file beside a notebook that holds its sync state on this machine. */
export function syncStatePath(notebook: string): string {
  return `${resolve(notebook)}.sync`;
}

const STATE_FORMAT = 1;
/** The one notebook a state file is for (IdentityStore keys values by notebook). */
const NOTEBOOK_KEY = 'notebook';

interface StoredDevice {
  id: string;
  name: string;
  publicKey: JsonWebKey;
  privateKey: JsonWebKey;
  verifyKey: JsonWebKey;
  signingKey: JsonWebKey;
}

/** JSON that keeps `Uint8Array`s (the secret) as `{ "$bytes": base64url }`. */
function encode(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (v instanceof Uint8Array ? { $bytes: toBase64Url(v) } : v),
    2,
  );
}

function decode(text: string, path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_k, v: unknown) => {
      if (v && typeof v === 'object' && typeof (v as { $bytes?: unknown }).$bytes === 'string') {
        const bytes = fromBase64Url((v as { $bytes: string }).$bytes);
        if (!bytes) throw new Error('damaged bytes');
        return bytes;
      }
      return v;
    });
  } catch (e) {
    throw new VitrineError(
      `${path} is damaged (${(e as Error).message}); delete it and pair this notebook again with a link.`,
    );
  }
  const p = parsed as { format?: unknown; values?: unknown };
  if (!p || typeof p !== 'object' || p.format !== STATE_FORMAT || typeof p.values !== 'object') {
    throw new VitrineError(
      `${path} is not a sync state file this Vitrine reads; delete it and pair this notebook again with a link.`,
    );
  }
  return { ...(p.values as Record<string, unknown>) };
}

/**
 * The sync state file as a {@link KeyValueStore}: every `set` rewrites it atomically (temp
 * file with mode 0600, fsync, rename), so a crash leaves the old state or the new one.
 */
export class SyncStateFile implements KeyValueStore {
  private constructor(
    readonly path: string,
    private readonly values: Record<string, unknown>,
  ) {}

  /** Open (or start) the state file of `notebook`; a file others can read is made private. */
  static async open(notebook: string, io?: SyncIo): Promise<SyncStateFile> {
    const path = syncStatePath(notebook);
    let values: Record<string, unknown> = {};
    try {
      const info = await stat(path);
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        await chmod(path, 0o600);
        io?.err(`${path} could be read by others; it is now readable by its owner only.\n`);
      }
      values = decode(await readFile(path, 'utf8'), path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return new SyncStateFile(path, values);
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve(this.values[key]);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.values[key] = value;
    await this.write();
  }

  async delete(key: string): Promise<void> {
    delete this.values[key];
    await this.write();
  }

  destroy(): void {}

  private writing: Promise<void> = Promise.resolve();

  private write(): Promise<void> {
    const text = encode({ format: STATE_FORMAT, values: this.values }) + '\n';
    const step = async () => {
      const tmp = join(
        dirname(this.path),
        `.${basename(this.path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`,
      );
      try {
        const handle = await open(tmp, 'wx', 0o600);
        try {
          await handle.writeFile(text);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, this.path);
      } catch (e) {
        await rm(tmp, { force: true });
        throw new VitrineError(`Cannot write ${this.path}: ${(e as Error).message}`);
      }
    };
    this.writing = this.writing.then(step, step);
    return this.writing;
  }
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** This machine's device for the notebook: made once, kept in the state file. */
export async function loadDevice(state: SyncStateFile, name?: string): Promise<DeviceRecord> {
  const stored = (await state.get('cli-device')) as StoredDevice | undefined;
  let d: StoredDevice;
  if (stored && typeof stored.id === 'string' && stored.privateKey && stored.signingKey) {
    d = stored;
    if (name && name !== d.name) {
      d = { ...d, name };
      await state.set('cli-device', d);
    }
  } else {
    const ecdh = (await crypto.subtle.generateKey(ECDH, true, ['deriveBits'])) as CryptoKeyPair;
    const ecdsa = (await crypto.subtle.generateKey(ECDSA, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    d = {
      id: newDeviceId(),
      name: name ?? `Vitrine command line on ${hostname()}`,
      publicKey: await crypto.subtle.exportKey('jwk', ecdh.publicKey),
      privateKey: await crypto.subtle.exportKey('jwk', ecdh.privateKey),
      verifyKey: await crypto.subtle.exportKey('jwk', ecdsa.publicKey),
      signingKey: await crypto.subtle.exportKey('jwk', ecdsa.privateKey),
    };
    await state.set('cli-device', d);
  }
  return {
    id: d.id,
    name: d.name,
    keys: {
      publicKey: d.publicKey,
      privateKey: await crypto.subtle.importKey('jwk', d.privateKey, ECDH, false, ['deriveBits']),
      verifyKey: d.verifyKey,
      signingKey: await crypto.subtle.importKey('jwk', d.signingKey, ECDSA, false, ['sign']),
    },
  };
}

/** The relay address to use: the flag, else the one the link carries, else the one kept. */
export async function relaySettings(
  state: SyncStateFile,
  flag: string | undefined,
  link: string | undefined,
): Promise<SyncSettings> {
  const store = new IdentityStore(state, NOTEBOOK_KEY);
  const saved = await store.loadSettings();
  let relay = saved.relay || DEFAULT_RELAY;
  if (link && /^[a-z][a-z0-9+.-]*:/i.test(link.trim())) {
    const fromLink = settingsFromLink(link.trim());
    if (fromLink.relay) relay = fromLink.relay;
  }
  if (flag) relay = flag;
  const settings: SyncSettings = {
    signaling: '',
    relay: sentence(() => checkRelayUrl(relay), '--relay'),
    relayEnabled: true,
    iceServers: [],
  };
  if (settings.relay !== saved.relay) await store.saveSettings(settings);
  return settings;
}

/** Run `f`, turning a sync error into a CLI error (a sentence, exit code 1). */
export function sentence<T>(f: () => T, what?: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SyncError) {
      throw new VitrineError(what ? `${what}: ${e.message}` : e.message);
    }
    throw e;
  }
}

function parse(args: string[]) {
  return parseFlags(
    args,
    {
      notebook: { type: 'string' },
      link: { type: 'string' },
      relay: { type: 'string' },
      name: { type: 'string' },
      watch: { type: 'boolean' },
      timeout: { type: 'string' },
    },
    'vitrine sync --notebook NB.vitrine [--link LINK] [--relay URL] [--watch]',
  );
}

/**
 * Run `vitrine sync`. Resolves when synced (or, with `--watch`, when `stop` settles or the
 * process gets SIGINT/SIGTERM). Throws {@link VitrineError}s with a sentence.
 */
export async function cmdSync(args: string[], io: SyncIo, stop?: Promise<unknown>): Promise<void> {
  const values = parse(args);
  if (!values.notebook) {
    throw new VitrineError('Missing --notebook NB.vitrine. Run "vitrine --help" for usage.');
  }
  const path = resolve(values.notebook);
  const limitMs = Number(values.timeout ?? 60) * 1000;
  if (!Number.isFinite(limitMs) || limitMs <= 0) {
    throw new VitrineError(
      `--timeout must be a number of seconds above 0 (got "${values.timeout}").`,
    );
  }
  const state = await SyncStateFile.open(path, io);
  const store = new IdentityStore(state, NOTEBOOK_KEY);
  let identity: SyncIdentity | undefined;
  if (values.link !== undefined) {
    identity = sentence(() => parsePairingLink(values.link!), '--link');
    const kept = await store.loadIdentity();
    if (kept && toBase64Url(kept.secret) !== toBase64Url(identity.secret)) {
      io.err(`${basename(path)} was paired with another link before; it now follows this one.\n`);
    }
    await store.saveIdentity(identity);
  } else {
    identity = await store.loadIdentity();
    if (!identity) {
      throw new VitrineError(
        `${basename(path)} is not paired yet: give the link from "Pair a device" with --link, or make one with "vitrine pair --notebook ${values.notebook}".`,
      );
    }
  }
  const settings = await relaySettings(state, values.relay, values.link);
  const device = await loadDevice(state, values.name);

  const fresh = !existsSync(path);
  // A file that does not exist yet starts empty and unmigrated: a "first run" written before
  // the relay's copy arrived would add a second owner (src/sync/README.md).
  const nb = fresh ? new Notebook() : await loadNotebook(path);
  let lastSaved = fresh ? '' : toBase64Url(Y.encodeStateVector(nb.doc));

  const session = new SyncSession({
    doc: nb.doc,
    device,
    settings,
    store,
    pins: await store.loadPins(),
    WebSocketPolyfill: WebSocket,
    locks: null,
    isOnline: () => true,
  });
  const save = async () => {
    if (fresh) nb.migrate();
    const vector = toBase64Url(Y.encodeStateVector(nb.doc));
    if (vector === lastSaved && existsSync(path)) return false;
    await saveNotebook(nb, path);
    lastSaved = vector;
    return true;
  };
  let watcher: FSWatcher | undefined;
  try {
    await session.start(identity);
    await upToDate(session, limitMs, settings.relay);
    const changed = await save();
    const others = session.summary.devices.filter((d) => d.id !== device.id).length;
    io.out(
      `Synced ${basename(path)} through ${settings.relay}: ${changed ? 'saved the changes' : 'nothing new'}; ` +
        `${others} other device${others === 1 ? '' : 's'} on this notebook.\n`,
    );
    if (!values.watch) return;

    io.out('Watching for changes; press Ctrl+C to stop.\n');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failed: Error | undefined;
    const saveSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void save().then(
          (did) => did && io.out(`Saved changes from the relay to ${basename(path)}.\n`),
          (e: Error) => {
            failed = e;
            io.err(`${e.message}\n`);
          },
        );
      }, 200);
    };
    nb.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== FILE_ORIGIN) saveSoon();
    });
    // Another `vitrine` command (an import, say) wrote the file: bring its changes in, and
    // the relay client seals them like any edit.
    watcher = watch(dirname(path), (_event, name) => {
      if (name !== basename(path)) return;
      void readFile(path).then(
        (bytes) => {
          try {
            const update = decodeVitrineFile(new Uint8Array(bytes), basename(path));
            const before = toBase64Url(Y.encodeStateVector(nb.doc));
            Y.applyUpdate(nb.doc, update, FILE_ORIGIN);
            if (toBase64Url(Y.encodeStateVector(nb.doc)) !== before) {
              io.out(`Sending changes made to ${basename(path)}.\n`);
            }
          } catch {
            // A file being replaced right now, or damaged: the next change event reads it.
          }
        },
        () => undefined,
      );
    });
    await new Promise<void>((done) => {
      const finish = () => {
        process.off('SIGINT', finish);
        process.off('SIGTERM', finish);
        done();
      };
      process.once('SIGINT', finish);
      process.once('SIGTERM', finish);
      void stop?.then(finish, finish);
    });
    clearTimeout(timer);
    if (failed) throw failed;
    await upToDate(session, limitMs, settings.relay).catch(() => undefined);
    await save();
    io.out('Stopped; the notebook is saved.\n');
  } finally {
    watcher?.close();
    session.destroy();
  }
}

/**
 * Resolve once the relay has everything this device has and the reverse (and any re-key
 * seen on the way has been decided); reject with a sentence after `limitMs`, or at once
 * when the relay refuses this notebook.
 */
function upToDate(session: SyncSession, limitMs: number, relay: string): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    let settledAt: SyncSummary | undefined;
    const check = () => {
      const s = session.summary;
      if (s.choice) {
        finish(
          new VitrineError(
            `${s.text}. Open the notebook in the app to choose; the command line does not choose for you.`,
          ),
        );
        return;
      }
      if (s.state === 'up-to-date') {
        settledAt = s;
        // A re-key seen during the catch-up is decided after it; let that run first.
        void (session as unknown as { deciding: Promise<void> }).deciding.then(() => {
          if (session.summary.state === 'up-to-date' && settledAt) finish();
        });
      } else settledAt = undefined;
    };
    const timer = setTimeout(() => {
      const s = session.summary;
      finish(
        new VitrineError(
          `Could not sync through ${relay} within ${Math.round(limitMs / 1000)} s (${s.lastError ?? s.text}). The notebook file was left as it was.`,
        ),
      );
    }, limitMs);
    const finish = (e?: Error) => {
      clearTimeout(timer);
      session.off('change', check);
      if (e) reject(e);
      else resolvePromise();
    };
    session.on('change', check);
    check();
  });
}
