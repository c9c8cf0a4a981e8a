/**
 * The relay's documents in PostgreSQL, for several relay processes sharing one store
 * (`vitrine relay --postgres URL`, issue 16). The same four calls as the file store: a
 * state per document (`vitrine_relay_documents`) and the updates appended since
 * (`vitrine_relay_updates`), merged on reading. Everything in both tables is what the
 * relay receives: sealed envelope updates, named by the hash of a relay token.
 *
 * Several processes append to and replace one document at once (the relay that received a
 * change appends it, every relay holding the notebook writes its state when its session
 * ends; see persistence.ts), so a replacement never drops what another
 * process appended: it merges the state it is given with the stored state and every
 * stored update, under a per-document advisory lock, and removes only the rows it merged.
 * Yjs updates merge in any order and applying one twice does nothing, so the merged state
 * holds everything any process stored. Reading is one statement (one snapshot), so a
 * replacement committing meanwhile is seen whole or not at all.
 *
 * Driver: `pg` (pure JavaScript; `pg-native` is optional and not installed).
 */
import pg from 'pg';
import * as Y from 'yjs';
import { DOCUMENT_NAME, type DocumentStore } from './file-store.ts';

/** Table names (fixed: a relay owns its database, or at least these two tables). */
export const PG_TABLES = ['vitrine_relay_documents', 'vitrine_relay_updates'] as const;

/** Options for {@link PgStore}. */
export interface PgStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** Called with the size of every write (tests and the load test count bytes). */
  onWrite?: (bytes: number) => void;
}

// One lock key space for the relay's advisory locks: schema set-up, and one per document.
const LOCK_SPACE = 0x76697472; // "vitr"

/** A PostgreSQL database holding relay documents. */
export class PgStore implements DocumentStore {
  readonly pool: pg.Pool;
  private readonly onWrite: (bytes: number) => void;
  // Bytes this process knows in each document's log (read, or appended since): counting
  // them here keeps an append one INSERT instead of a sum over the document's rows.
  private readonly logBytes = new Map<string, number>();

  constructor(url: string, options: PgStoreOptions = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
    // An idle connection the server drops (a restart) must not end the relay: the pool
    // replaces it on the next query.
    this.pool.on('error', (e) => console.warn(`Relay: PostgreSQL connection lost: ${e.message}`));
    this.onWrite = options.onWrite ?? (() => undefined);
  }

  /** Create the tables if missing (several relays starting at once take turns). */
  async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_SPACE]);
      await client.query(`CREATE TABLE IF NOT EXISTS vitrine_relay_documents (
        name text PRIMARY KEY,
        state bytea NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
      await client.query(`CREATE TABLE IF NOT EXISTS vitrine_relay_updates (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        data bytea NOT NULL)`);
      await client.query(
        'CREATE INDEX IF NOT EXISTS vitrine_relay_updates_name ON vitrine_relay_updates (name, id)',
      );
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async exists(name: string): Promise<boolean> {
    check(name);
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM vitrine_relay_documents WHERE name = $1
       UNION ALL SELECT 1 FROM (SELECT 1 FROM vitrine_relay_updates WHERE name = $1 LIMIT 1) u`,
      [name],
    );
    return (rowCount ?? 0) > 0;
  }

  async fetch(name: string): Promise<Uint8Array | null> {
    check(name);
    const { rows } = await this.pool.query<{ data: Buffer; part: number }>(
      `SELECT data, part FROM (
         SELECT state AS data, 0 AS part, 0::bigint AS id FROM vitrine_relay_documents WHERE name = $1
         UNION ALL
         SELECT data, 1 AS part, id FROM vitrine_relay_updates WHERE name = $1) d
       ORDER BY part, id`,
      [name],
    );
    this.logBytes.set(
      name,
      rows.reduce((n, r) => n + (r.part === 1 ? r.data.byteLength : 0), 0),
    );
    const parts = rows.map((r) => new Uint8Array(r.data));
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  }

  async append(name: string, update: Uint8Array): Promise<number> {
    check(name);
    await this.pool.query('INSERT INTO vitrine_relay_updates (name, data) VALUES ($1, $2)', [
      name,
      Buffer.from(update.buffer, update.byteOffset, update.byteLength),
    ]);
    this.onWrite(update.byteLength);
    // Other processes' appends to the same document are theirs to count and fold in.
    const total = (this.logBytes.get(name) ?? 0) + update.byteLength;
    this.logBytes.set(name, total);
    return total;
  }

  async replace(name: string, state: Uint8Array): Promise<void> {
    check(name);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SPACE, name]);
      const { rows } = await client.query<{ data: Buffer; id: string }>(
        `SELECT state AS data, 0 AS part, 0::bigint AS id FROM vitrine_relay_documents WHERE name = $1
         UNION ALL
         SELECT data, 1 AS part, id FROM vitrine_relay_updates WHERE name = $1
         ORDER BY part, id`,
        [name],
      );
      const merged = rows.length
        ? Y.mergeUpdates([...rows.map((r) => new Uint8Array(r.data)), state])
        : state;
      const last = rows.reduce((m, r) => (BigInt(r.id) > m ? BigInt(r.id) : m), 0n);
      await client.query(
        `INSERT INTO vitrine_relay_documents (name, state) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [name, Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength)],
      );
      if (last > 0n) {
        await client.query('DELETE FROM vitrine_relay_updates WHERE name = $1 AND id <= $2', [
          name,
          last.toString(),
        ]);
      }
      await client.query('COMMIT');
      this.logBytes.delete(name);
      this.onWrite(merged.byteLength);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** Close every connection. */
  async close(): Promise<void> {
    await this.pool.end();
  }
}

function check(name: string): void {
  // The relay checks names before any store call; a store never trusts that alone.
  if (!DOCUMENT_NAME.test(name)) throw new Error(`Refusing to store document "${name}".`);
}
