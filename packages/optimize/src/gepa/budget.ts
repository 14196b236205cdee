/**
 * GEPA's budget, in metric calls (one program run scored by the metric). The `auto` presets reproduce
 * DSPy 3.3.1's formula exactly — it is MIPRO's trial model (35-example minibatches, a full evaluation
 * every 5 trials), not GEPA's loop, a mismatch DSPy's maintainers acknowledge — so a preset costs here what
 * it costs there. `estimate()` states GEPA's real arithmetic next to it.
 */

/** The candidates-per-component figure of each preset (DSPy's `AUTO_RUN_SETTINGS[auto]["n"]`). */
export const GEPA_AUTO = { light: 6, medium: 12, heavy: 18 } as const;

/** `'light' | 'medium' | 'heavy'`. */
export type GEPAPreset = keyof typeof GEPA_AUTO;

/**
 * The metric-call budget of an `auto` preset for `components` learnable instructions and a valset of
 * `valSize` examples: V + 5n + 35N + (⌊(N+1)/5⌋ + 1 + [N < 5])·V with N = ⌊max(4P·log2 n, 1.5n)⌋.
 * @example autoMetricCalls('light', 1, 100) // 780
 */
export function autoMetricCalls(preset: GEPAPreset, components: number, valSize: number): number {
  const n = GEPA_AUTO[preset];
  const trials = Math.floor(Math.max(2 * (Math.max(1, components) * 2) * Math.log2(n), 1.5 * n));
  let total = valSize + 5 * n + 35 * trials;
  if (trials === 0) return total;
  const periodicFulls = Math.floor((trials + 1) / 5) + 1;
  const extraFinal = trials < 5 ? 1 : 0;
  total += (periodicFulls + extraFinal) * valSize;
  return total;
}

/** Which of GEPA's three budget options is set, and the metric calls it means for this data. */
export function metricCallBudget(
  options: { auto?: GEPAPreset | null; maxMetricCalls?: number; maxFullEvals?: number },
  components: number,
  trainSize: number,
  valSize: number,
  hasValset: boolean,
): number {
  if (options.auto) return autoMetricCalls(options.auto, components, valSize);
  if (options.maxFullEvals !== undefined)
    return options.maxFullEvals * (trainSize + (hasValset ? valSize : 0));
  return options.maxMetricCalls ?? 0;
}

/**
 * GEPA's own cost model, for `estimate()`: with b the minibatch size and V the valset, a rejected proposal
 * costs 2b metric calls and an accepted one 2b + V; a perfect-score skip b; a merge at most 5 (+ V).
 */
export interface GEPAPlan {
  metricCalls: number;
  /** Proposals the budget pays for if all are rejected (the most reflection calls it can make). */
  maxProposals: number;
  /** Proposals it pays for if every one is accepted (the fewest). */
  minProposals: number;
}

/** The planned proposals of a metric-call budget. */
export function planProposals(metricCalls: number, minibatchSize: number, valSize: number): GEPAPlan {
  const left = Math.max(0, metricCalls - valSize);
  // Stop conditions are checked at the top of an iteration: the last one may start just under the budget.
  const maxProposals = left === 0 ? 0 : Math.ceil(left / (2 * minibatchSize));
  const minProposals = left === 0 ? 0 : Math.ceil(left / (2 * minibatchSize + valSize));
  return { metricCalls, maxProposals, minProposals };
}
