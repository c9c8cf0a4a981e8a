/**
 * Errors a person can act on. `message` is a whole sentence meant for the screen or stderr.
 */
export class VitrineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VitrineError';
  }
}

/** Thrown by every command when the notebook was written by a newer Vitrine. */
export class ReadOnlyError extends VitrineError {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyError';
  }
}

/** Thrown when an introduction would touch an under-glass person without a recorded override. */
export class UnderGlassError extends VitrineError {
  /** What is missing, one line per gap ("Ana: working style not vetted first-hand"). */
  readonly missing: readonly string[];
  constructor(message: string, missing: readonly string[]) {
    super(message);
    this.name = 'UnderGlassError';
    this.missing = missing;
  }
}
