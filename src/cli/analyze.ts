/**
 * `vitrine analyze --notebook NB.vitrine [--json]`: clusters, self-sustaining scores,
 * neglected ties, brokers and bridges, from the same analysis the app runs in its worker.
 */
import { analyze, type Analysis } from '../analysis/index.ts';
import { getPerson, graphSnapshot, type Notebook } from '../model/index.ts';

/** The analysis of a notebook, as `--json` prints it (a superset of PRODUCT.md's shape). */
export function analyzeNotebook(nb: Notebook, now?: Date): Analysis {
  return analyze(graphSnapshot(nb, now));
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** A readable report for a person at a terminal. */
export function formatAnalysis(nb: Notebook, a: Analysis, limit = 10): string {
  const name = (id: string) => getPerson(nb, id)?.name ?? id;
  const lines: string[] = [];
  lines.push(
    `Clusters (${a.clusters.length}, modularity ${a.modularity.toFixed(3)}; ${a.unclustered.length} people tied only to you)`,
  );
  for (const c of a.clusters.slice(0, limit)) {
    lines.push(
      `  ${c.name ?? c.id} — ${c.size} people, self-sustaining ${pct(c.selfSustaining)}`,
      `    ${c.explanation}`,
    );
  }
  if (a.clusters.length > limit) lines.push(`  … and ${a.clusters.length - limit} more`);
  lines.push('', `Needs attention (${a.neglected.length} overdue ties)`);
  for (const n of a.neglected.slice(0, limit)) lines.push(`  ${n.name}: ${n.reason}`);
  if (!a.neglected.length) lines.push('  Nothing overdue.');
  lines.push('', 'Brokers (people who link groups that are not otherwise linked)');
  for (const b of a.brokers.slice(0, limit)) lines.push(`  ${b.explanation}`);
  if (!a.brokers.length) lines.push('  None yet.');
  lines.push('', `Bridges: ${a.bridges.length} ties whose loss would split the network`);
  for (const b of a.bridges.slice(0, Math.min(5, limit))) {
    lines.push(`  ${name(b.a)} — ${name(b.b)} (${b.splitsOff} cut off without it)`);
  }
  lines.push('', 'The network feeding itself', `  ${a.feeding.summary}`);
  if (a.you) {
    lines.push(
      '',
      `You: effective size ${a.you.effectiveSize.toFixed(1)}, constraint ${a.you.constraint.toFixed(2)}`,
    );
  }
  return lines.join('\n') + '\n';
}
