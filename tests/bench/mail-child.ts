/**
 * Child process of the mail bench: runs `vitrine <argv>` (the CLI's own `main`) and prints
 * its peak resident memory (`process.resourceUsage().maxRSS`, KiB) as a JSON line. With
 * `plan-mail FILE` first instead, it only streams and plans the mailbox (no notebook
 * write), to tell reading's memory from the notebook's.
 */
import { createReadStream, statSync } from 'node:fs';
import { main } from '../../src/cli/main.ts';
import { planMailImport } from '../../src/io/mail-import.ts';
import { activityImportSnapshot } from '../../src/io/activity-import.ts';
import { loadNotebook } from '../../src/cli/files.ts';

let summary = '';
let code = 0;
const argv = process.argv.slice(2);
if (argv[0] === 'plan-mail') {
  const [, file, nbPath] = argv as [string, string, string];
  const nb = await loadNotebook(nbPath);
  const plan = await planMailImport(
    activityImportSnapshot(nb),
    createReadStream(file),
    'bench.mbox',
    'mbox',
    { total: statSync(file).size, me: ['me@owner.example'] },
  );
  summary = `${plan.mail?.messages} messages, ${plan.activity.touches} touches planned`;
} else {
  code = await main(argv, {
    out: (t) => {
      summary += t;
    },
    err: (t) => process.stderr.write(t),
    progress: () => {},
  });
}
process.stdout.write(
  JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS, summary }) + '\n',
);
