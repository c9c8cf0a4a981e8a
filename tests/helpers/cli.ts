/** Test helper: the CLI's output sinks, captured as strings. */
import type { Io } from '../../src/cli/main.ts';

/** An {@link Io} that keeps what the CLI writes to stdout and stderr. */
export function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}
