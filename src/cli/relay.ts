/**
 * `vitrine relay --port N [--data DIR | --postgres URL] [--redis URL] [--host H]
 * [--allow-origin URL]… [limits…]`: run the store-and-forward relay alone (for a machine
 * that stays on, such as a home server). It stores only sealed envelopes in DIR (or in
 * PostgreSQL, shared by several relays, which pass changes to each other through Redis;
 * see src/server/scale-out.ts) and runs until Ctrl+C (SIGINT) or SIGTERM, then stores
 * everything and stops. Browsers may connect only from the pages named with
 * `--allow-origin` (the app's address; `*` for any), see src/server/origin.ts. The limit
 * flags map onto {@link RelayLimits} (docs/sync.md, "Limits").
 */
import { parseFlags } from './flags.ts';
import { resolve } from 'node:path';
import { VitrineError } from '../model/errors.ts';
import { startRelay } from '../server/relay.ts';
import { DEFAULT_RELAY_PORT } from '../server/index.ts';
import { DEFAULT_RELAY_LIMITS as D, type RelayLimits } from '../server/limits.ts';
import { normaliseOrigin } from '../server/origin.ts';

/** Output sinks (the same shape as the CLI's `Io`). */
export interface RelayIo {
  out(text: string): void;
  err(text: string): void;
}

const MiB = 1024 * 1024;

/** Limit flags: name, field, unit (bytes per unit), and what it means, for parsing and help. */
const LIMIT_FLAGS: readonly [string, keyof RelayLimits, number, string][] = [
  ['max-message-mb', 'maxMessageBytes', MiB, 'largest message accepted'],
  ['max-notebook-mb', 'maxNotebookBytes', MiB, 'largest notebook stored'],
  ['messages-per-second', 'messagesPerSecond', 1, 'per connection, sustained'],
  ['message-burst', 'messageBurst', 1, 'per connection, at once'],
  ['mb-per-second', 'bytesPerSecond', MiB, 'per connection, sustained'],
  ['pre-auth-kb', 'preAuthBytes', 1024, 'sent before authenticating'],
  ['pre-auth-messages', 'preAuthMessages', 1, 'sent before authenticating'],
  ['pre-auth-seconds', 'preAuthMs', 1000, 'to authenticate'],
  ['new-notebooks-per-hour', 'newNotebooksPerHour', 1, 'per client address'],
];

/** Help text for `vitrine relay`, for the CLI's usage screen. */
export const RELAY_HELP = `  vitrine relay [--port ${DEFAULT_RELAY_PORT}] [--data ./vitrine-relay | --postgres URL] [--redis URL] [--host 127.0.0.1] [--allow-origin URL]… [--trust-proxy] [limits]
      Run a sync relay that stores only end-to-end-encrypted data, until Ctrl+C.
      --postgres: store in PostgreSQL (postgres://user:password@host:5432/db) instead of files.
      --redis: share live changes and limits with the other relays on the same store (redis://host:6379).
      --allow-origin: the address of the app whose pages may connect (repeatable; * for any).
      --trust-proxy: behind your own reverse proxy, count clients by X-Forwarded-For.
      Limits (a connection over one is closed with the reason; defaults shown):
${LIMIT_FLAGS.map(([flag, field, unit, what]) => `        --${flag} ${D[field] / unit}`.padEnd(42) + what).join('\n')}
`;

function parse(args: string[]) {
  return parseFlags(
    args,
    {
      port: { type: 'string' },
      data: { type: 'string' },
      postgres: { type: 'string' },
      redis: { type: 'string' },
      host: { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      ...Object.fromEntries(LIMIT_FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
      'allow-origin': { type: 'string', multiple: true },
    },
    'vitrine relay --port N --data DIR',
  );
}

/**
 * Run the relay until `stop` settles (tests) or the process gets SIGINT/SIGTERM.
 * Errors (port in use, folder not writable) are {@link VitrineError}s with a sentence.
 */
export async function cmdRelay(
  args: string[],
  io: RelayIo,
  stop?: Promise<unknown>,
): Promise<void> {
  const values = parse(args);
  const port = values.port === undefined ? DEFAULT_RELAY_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new VitrineError(`--port must be a whole number from 0 to 65535 (got "${values.port}").`);
  }
  if (values.data !== undefined && values.postgres !== undefined) {
    throw new VitrineError(
      '--data and --postgres both say where to store notebooks; give one of them.',
    );
  }
  const postgres = values.postgres;
  if (postgres !== undefined && !/^postgres(ql)?:\/\//.test(postgres)) {
    throw new VitrineError(
      `--postgres takes an address such as postgres://relay:secret@127.0.0.1:5432/vitrine (got "${postgres}").`,
    );
  }
  const redis = values.redis;
  if (redis !== undefined && !/^rediss?:\/\//.test(redis)) {
    throw new VitrineError(
      `--redis takes an address such as redis://127.0.0.1:6379 (got "${redis}").`,
    );
  }
  const dataDir = resolve(values.data ?? 'vitrine-relay');
  const host = values.host ?? '127.0.0.1';
  const allowedOrigins = values['allow-origin'] ?? [];
  for (const origin of allowedOrigins) {
    if (origin !== '*' && normaliseOrigin(origin) === undefined) {
      throw new VitrineError(
        `--allow-origin takes the address the app is served from, such as https://vitrine.example.com, or * for any (got "${origin}").`,
      );
    }
  }
  const limits: Partial<RelayLimits> = {};
  for (const [flag, field, unit] of LIMIT_FLAGS) {
    const raw = (values as Record<string, unknown>)[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new VitrineError(`--${flag} must be a number above 0 (got "${String(raw)}").`);
    }
    limits[field] = Math.round(n * unit);
  }
  let relay;
  try {
    relay = await startRelay({
      port,
      host,
      ...(postgres ? { postgres } : { dataDir }),
      ...(redis ? { redis } : {}),
      limits,
      trustProxy: values['trust-proxy'],
      allowedOrigins,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new VitrineError(`Port ${port} is already in use; choose another with --port.`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new VitrineError(`Cannot use ${dataDir} or port ${port}: permission denied.`);
    }
    if (
      postgres &&
      (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000')
    ) {
      throw new VitrineError(
        `Cannot use PostgreSQL at ${safeUrl(postgres)}: ${(e as Error).message}. Start it, or check --postgres.`,
      );
    }
    if (code === 'EADDRNOTAVAIL') {
      throw new VitrineError(`This machine has no address ${host}; check --host.`);
    }
    throw new VitrineError(`The relay could not start: ${(e as Error).message}`);
  }
  io.out(
    `Vitrine relay listening on ${relay.url}\n` +
      (postgres
        ? `Storing encrypted envelopes in PostgreSQL at ${safeUrl(postgres)}\n`
        : `Storing encrypted envelopes in ${dataDir}\n`) +
      (redis
        ? `Sharing live changes with the other relays through Redis at ${safeUrl(redis)}\n`
        : postgres
          ? 'Without --redis, other relays on this database do not see changes live.\n'
          : '') +
      (host === '127.0.0.1' || host === 'localhost' || host === '::1'
        ? 'Only this machine can reach it; put it behind a TLS proxy (wss://) to serve other devices.\n'
        : 'Reachable from the network: serve it through TLS (wss://) so tokens are not sent in the clear.\n') +
      (allowedOrigins.length
        ? `Web pages from ${allowedOrigins.join(', ')} may connect.\n`
        : 'No web page may connect: add --allow-origin with the address the app is served from.\n') +
      'Press Ctrl+C to stop.\n',
  );
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
  await relay.destroy();
  io.out('Relay stopped; everything is stored.\n');
}

/** An address without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return url;
  }
}
