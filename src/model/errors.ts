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

/**
 * Thrown when a value is refused before anything is written: a date that does not exist, a
 * link that is not a web address, a cadence out of range. `field` names the input it came
 * from (`links`, `birthday`, `cadenceDays`, …) so a form can show the sentence next to it.
 */
export class ValidationError extends VitrineError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ValidationError';
    this.field = field;
  }
}
