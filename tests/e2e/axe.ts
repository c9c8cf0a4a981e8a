/**
 * axe-core in the end-to-end tests. The app's policy allows no inline script, so axe is
 * loaded as an init script (DevTools protocol: not subject to the page's CSP, and the
 * production policy stays as it is). `axeViolations(page)` runs the WCAG 2.x A/AA rules and
 * best practices, plus the experimental label/name check, through open shadow roots.
 */
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Load axe into every page of `context` opened from now on. */
export async function installAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ path: require.resolve('axe-core/axe.min.js') });
}

/** One violation as a line a failing test prints: rule, impact, where, what. */
export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly target: string;
  readonly summary: string;
}

/** Violations of serious or critical impact on the page as it is now. */
export async function axeViolations(
  page: Page,
  impacts: readonly string[] = ['serious', 'critical'],
): Promise<AxeFinding[]> {
  const found = await page.evaluate(async () => {
    type Result = {
      id: string;
      impact: string | null;
      nodes: { target: unknown[]; failureSummary?: string; impact?: string | null }[];
    };
    const axe = (
      window as unknown as {
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Result[] }> };
      }
    ).axe;
    const { violations } = await axe.run(document, {
      resultTypes: ['violations'],
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    return violations.flatMap((v) =>
      v.nodes.map((n) => ({
        rule: v.id,
        impact: n.impact ?? v.impact ?? 'unknown',
        target: JSON.stringify(n.target),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
      })),
    );
  });
  return found.filter((f) => impacts.includes(f.impact));
}
