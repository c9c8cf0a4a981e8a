/**
 * Additive, idempotent schema migrations, in increasing `version` order. A migration may
 * add keys and fill defaults; it never deletes a user's data or replaces an entity's map
 * (two devices migrating at once must converge to the same thing).
 */
import type * as Y from 'yjs';

/** One schema step: run once, in order, when a notebook older than `version` opens. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  up(doc: Y.Doc): void;
}

/** Every schema step since the first, oldest first; additive only, so older devices still read the notebook. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'First schema: people, ties, touches, intros and meta maps.',
    up: () => {
      // Version 1 is the first layout; the maps exist as soon as they are read.
    },
  },
];
