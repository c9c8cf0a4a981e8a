/**
 * Flags of a `vitrine` subcommand: `node:util`'s `parseArgs`, strict and without
 * positionals, with a mistake turned into the CLI's sentence and the command's usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VitrineError } from '../model/index.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The values of `args` for `options`; an unknown flag or a missing value throws a
 * {@link VitrineError} ending in "Usage: `usage`."
 */
export function parseFlags<const O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (e) {
    throw new VitrineError(`${(e as Error).message.replace(/\.$/, '')}. Usage: ${usage}.`);
  }
}
