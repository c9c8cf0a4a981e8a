/**
 * `vitrine pair --notebook NB.vitrine [--relay URL] [--app URL]`: print a pairing link for a
 * notebook file, the same link the app's "Pair a device" shows (pairing.ts: the secret in
 * the fragment; the relay address in the query when it is not the default). The secret is
 * made once and kept beside the notebook (`NB.vitrine.sync`, mode 0600; see sync.ts), so
 * pairing again prints the same link. Nothing is sent anywhere: run `vitrine sync` to push
 * the notebook to the relay.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseFlags } from './flags.ts';
import { VitrineError } from '../model/index.ts';
import { DEFAULT_SYNC_SETTINGS, IdentityStore, pairingBase } from '../sync/identity-store.ts';
import { createIdentity, formatPairingLink } from '../sync/pairing.ts';
import { SyncStateFile, loadDevice, relaySettings, syncStatePath, type SyncIo } from './sync.ts';

/** The app `npm start` serves (scripts/start.js), where a link opens by default. */
export const DEFAULT_APP = 'http://127.0.0.1:5178/';

/** Run `vitrine pair`: prints the link on stdout (alone, for scripts), advice on stderr. */
export async function cmdPair(args: string[], io: SyncIo): Promise<void> {
  const values = parseFlags(
    args,
    {
      notebook: { type: 'string' },
      relay: { type: 'string' },
      app: { type: 'string' },
      name: { type: 'string' },
    },
    'vitrine pair --notebook NB.vitrine [--relay URL] [--app URL]',
  );
  if (!values.notebook) {
    throw new VitrineError('Missing --notebook NB.vitrine. Run "vitrine --help" for usage.');
  }
  const path = resolve(values.notebook);
  if (!existsSync(path)) {
    throw new VitrineError(
      `${values.notebook} does not exist. Check the path, or join a notebook into a new file with "vitrine sync --notebook ${values.notebook} --link LINK".`,
    );
  }
  let app: URL;
  try {
    app = new URL(values.app ?? DEFAULT_APP);
    if (app.protocol !== 'http:' && app.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new VitrineError(
      `--app takes the address the app is served from, such as https://vitrine.example.com/ (got "${values.app}").`,
    );
  }
  const state = await SyncStateFile.open(path, io);
  const store = new IdentityStore(state, 'notebook');
  const settings = await relaySettings(state, values.relay, undefined);
  let identity = await store.loadIdentity();
  if (!identity) {
    identity = createIdentity();
    await store.saveIdentity(identity);
  }
  // This device's keys are made now, so the first sync publishes them with its entry.
  await loadDevice(state, values.name);
  const link = formatPairingLink(
    pairingBase(app.href, { ...DEFAULT_SYNC_SETTINGS, relay: settings.relay }),
    identity,
  );
  io.out(`${link}\n`);
  io.err(
    `Open this link on the device to pair (it holds the notebook's key: share it only with yourself).\n` +
      `The secret is kept in ${syncStatePath(path)}, readable by you only.\n` +
      `Run "vitrine sync --notebook ${basename(path)}" to send ${basename(path)} to ${settings.relay}.\n`,
  );
}
