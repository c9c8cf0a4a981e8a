#!/usr/bin/env node
// The `vitrine` command. Runs the TypeScript sources directly through tsx, so a checkout
// needs no build step (`npx vitrine --help` right after `npm install`).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
