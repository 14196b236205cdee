/** DSPy MIPROv2's `auto` presets: candidates per predictor and the valset size used. */
export const AUTO_PRESETS = {
  light: { numCandidates: 6, valSize: 100 },
  medium: { numCandidates: 12, valSize: 300 },
  heavy: { numCandidates: 18, valSize: 1000 },
} as const;

/** `'light' | 'medium' | 'heavy'`. */
export type AutoPreset = keyof typeof AUTO_PRESETS;

/**
 * DSPy's trial count for a preset: max(2 · variables · log2(candidates), 1.5 · candidates), where each
 * predictor is one variable (instructions) or two (instructions and demos).
 */
export function trialsFor(predictors: number, numCandidates: number, zeroShot: boolean): number {
  const variables = Math.max(1, predictors) * (zeroShot ? 1 : 2);
  return Math.floor(Math.max(2 * variables * Math.log2(Math.max(2, numCandidates)), 1.5 * numCandidates));
}
