/**
 * Sync errors. Every message is a sentence a person can act on; the status object shows
 * them as they are.
 */
import { VitrineError } from '../model/errors.ts';

/** A sync problem worth showing: a broken pairing link, an entry that fails to open, … */
export class SyncError extends VitrineError {
  constructor(message: string) {
    super(message);
    this.name = 'SyncError';
  }
}

/** An envelope entry failed authentication: changed on the way, or sealed with another key. */
export class SealError extends SyncError {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}
