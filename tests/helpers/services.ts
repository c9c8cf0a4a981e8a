/**
 * Test helper: real PostgreSQL 15 and Redis servers from Debian's packages, on 127.0.0.1 and
 * free ports, each in a temporary folder removed on `destroy()`. `.ci/run` installs them when
 * missing; when they cannot start, these throw with a sentence saying what to install, so
 * a test fails (never skips) on a machine without them.
 *
 *     const pg = await startPostgres();   const url = await pg.createDatabase();
 *     const redis = await startRedis();   redis.url   // redis://127.0.0.1:PORT
 *
 * PostgreSQL refuses to run as root: as root, the data folder belongs to the `postgres`
 * user the package creates and the server runs as that user (`su postgres -c pg_ctl …`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where Debian's postgresql-15 package puts its programs. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

const INSTALL =
  'Install them with: apt-get install -y --no-install-recommends postgresql-15 redis-server (.ci/run does this).';

/** A free TCP port on 127.0.0.1 (the OS picks; closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A running PostgreSQL server. */
export interface Postgres {
  readonly port: number;
  /** Address of its `postgres` database, user `postgres`, no password (trust, 127.0.0.1 only). */
  readonly url: string;
  /** A new, empty database; its address. */
  createDatabase(): Promise<string>;
  /** Rows of a query, on the database at `url`. */
  query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]>;
  /** Stop it at once and remove its folder. */
  destroy(): Promise<void>;
}

/** Start PostgreSQL 15 in a new data folder. */
export async function startPostgres(): Promise<Postgres> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 is not installed (no ${PG_BIN}/initdb). ${INSTALL}`);
  }
  const root = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asPg = async (cmd: string[]) => {
    const quoted = cmd.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    try {
      return root
        ? await run('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { timeout: 60_000 })
        : await run(cmd[0]!, cmd.slice(1), { timeout: 60_000 });
    } catch (e) {
      const err = e as Error & { stderr?: string };
      throw new Error(
        `PostgreSQL could not start (${cmd[0]!.split('/').pop()}): ${(err.stderr || err.message).trim()}. ${INSTALL}`,
        { cause: e },
      );
    }
  };
  if (root) {
    await chown(dir, ...(await postgresUser()));
    await chmod(dir, 0o700);
  }
  await asPg([join(PG_BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
  const opts = `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await asPg([
    join(PG_BIN, 'pg_ctl'),
    '-D',
    data,
    '-o',
    opts,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let n = 0;
  const query = async <T extends pg.QueryResultRow>(at: string, sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: at });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    async createDatabase() {
      const name = `relay_${process.pid}_${++n}`;
      await query(url, `CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    query,
    async destroy() {
      await asPg([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<[number, number]> {
  try {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: g } = await run('id', ['-g', 'postgres']);
    return [Number(stdout.trim()), Number(g.trim())];
  } catch {
    throw new Error(`PostgreSQL 15 is installed, but there is no "postgres" user. ${INSTALL}`);
  }
}

/** A running Redis server. */
export interface RedisServer {
  readonly port: number;
  /** The server's process id (the load test reads its CPU time). */
  readonly pid: number | undefined;
  readonly url: string;
  /**
   * Everything the server is asked from now on, as `MONITOR` prints it (one line per
   * command, arguments quoted, binary bytes as \xNN), read on a side connection.
   */
  monitor(): Promise<{ text(): string; destroy(): void }>;
  /** Stop it at once (SIGKILL), as a crash would. */
  destroy(): Promise<void>;
}

/** Start `redis-server` with no persistence, on 127.0.0.1 and a free port. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-redis-'));
  let child: ChildProcess;
  await new Promise<void>((resolve, reject) => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const fail = (why: string) => reject(new Error(`Redis could not start: ${why}. ${INSTALL}`));
    child.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'ENOENT' ? 'redis-server is not installed' : e.message),
    );
    child.once('exit', (code) => fail(`redis-server exited (${code}): ${out.slice(-500)}`));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        child.removeAllListeners('exit');
        resolve();
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  });
  const sockets = new Set<Socket>();
  return {
    port,
    pid: child!.pid,
    url: `redis://127.0.0.1:${port}`,
    monitor() {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        sockets.add(socket);
        let text = '';
        socket.once('error', reject);
        socket.on('data', (d: Buffer) => {
          const first = text === '';
          text += d.toString('latin1');
          if (first && text.startsWith('+OK'))
            resolve({ text: () => text, destroy: () => socket.destroy() });
        });
        socket.write('MONITOR\r\n');
      });
    },
    async destroy() {
      for (const s of sockets) s.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
