/** One benchmark figure, reported against a baseline measured in the same run. */
export interface Row {
  /** What was measured ("open 10k: decode + read every person"). */
  name: string;
  value: number;
  /** What it is compared with ("bare Y.applyUpdate"). */
  baselineName?: string;
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  unit: string;
  /** The acceptance limit for the ratio, when an issue sets one, and which way it goes. */
  limit?: { max?: number; min?: number };
}

/** Median of repeated timings of `fn` in milliseconds (one warm-up run first). */
export function time(fn: () => unknown, runs = 5): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Median timings of `a` and `b`, run alternately (a b a b …) so that load from elsewhere on
 * the machine weighs on both alike; the ratio is what a bench reports.
 */
export function timePair(a: () => unknown, b: () => unknown, runs = 5): [number, number] {
  a();
  b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    b();
    tb.push(performance.now() - t0);
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(ta), median(tb)];
}

export function row(
  name: string,
  value: number,
  unit: string,
  baseline?: { name: string; value: number },
  limit?: Row['limit'],
): Row {
  return {
    name,
    value,
    unit,
    ...(baseline
      ? { baselineName: baseline.name, baseline: baseline.value, ratio: value / baseline.value }
      : {}),
    ...(limit ? { limit } : {}),
  };
}

/** A plain-text table of rows, with a ✓/✗ against each limit. */
export function formatTable(rows: readonly Row[]): string {
  const fmt = (v: number | undefined, unit = '') =>
    v === undefined
      ? ''
      : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${unit ? ' ' + unit : ''}`;
  const lines = rows.map((r) => {
    const ok =
      r.limit && r.ratio !== undefined
        ? (r.limit.max === undefined || r.ratio <= r.limit.max) &&
          (r.limit.min === undefined || r.ratio >= r.limit.min)
          ? ' ✓'
          : ' ✗'
        : '';
    const lim = r.limit
      ? ` (limit ${r.limit.max !== undefined ? '≤ ' + r.limit.max : '≥ ' + r.limit.min}×)`
      : '';
    return [
      r.name,
      fmt(r.value, r.unit),
      r.baselineName ? `${r.baselineName}: ${fmt(r.baseline, r.unit)}` : '',
      r.ratio !== undefined ? `${r.ratio.toFixed(2)}×${lim}${ok}` : '',
    ];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...lines.map((l) => l[i]!.length), 8));
  return lines
    .map(
      (l) =>
        `${l[0]!.padEnd(widths[0]!)}  ${l[1]!.padStart(widths[1]!)}  ${l[2]!.padEnd(widths[2]!)}  ${l[3]}`,
    )
    .join('\n');
}
