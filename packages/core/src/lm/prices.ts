/**
 * What tokens cost: a price table in US dollars per million tokens, extendable by users. A LiteLLM proxy's
 * `x-litellm-response-cost` header, when present, wins over the table.
 */
import type { Usage } from './types';

/** Prices of one model, in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Price of prompt tokens served from the provider's prompt cache (default: `input`). */
  cachedInput?: number;
}

// OpenAI list prices (USD per 1M tokens) as published in 2025; register your own to override.
const prices = new Map<string, ModelPrice>(
  Object.entries({
    'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
    'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
    'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
    'o3-mini': { input: 1.1, output: 4.4, cachedInput: 0.55 },
    'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
    'text-embedding-3-small': { input: 0.02, output: 0 },
    'text-embedding-3-large': { input: 0.13, output: 0 },
  }),
);

/**
 * Adds or overrides model prices (USD per million tokens), by bare or LiteLLM name.
 * @example `registerPrices({ 'gpt-4o-mini': { input: 0.15, output: 0.6 } })`
 */
export function registerPrices(table: Record<string, ModelPrice>): void {
  for (const [model, price] of Object.entries(table)) prices.set(model, { ...price });
}

/**
 * The price of a model: exact name first, then without the provider prefix (`openai/gpt-4o` → `gpt-4o`).
 * @example `priceOf('openai/gpt-4o-mini')?.input // 0.15`
 */
export function priceOf(model: string): ModelPrice | undefined {
  const exact = prices.get(model);
  if (exact) return exact;
  const slash = model.indexOf('/');
  return slash >= 0 ? prices.get(model.slice(slash + 1)) : undefined;
}

/**
 * Cost in US dollars of some usage at a price; 0 when the price is unknown.
 * @example `costOf('gpt-4o-mini', usage)`
 */
export function costOf(model: string | ModelPrice, usage: Usage): number {
  const price = typeof model === 'string' ? priceOf(model) : model;
  if (!price) return 0;
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const dollars =
    (usage.promptTokens - cached) * price.input +
    cached * (price.cachedInput ?? price.input) +
    usage.completionTokens * price.output;
  return dollars / 1_000_000;
}

/** Reads LiteLLM's `x-litellm-response-cost` header (dollars), if present and numeric. */
export function costFromHeaders(
  headers: { get(name: string): string | null } | undefined,
): number | undefined {
  const value = headers?.get('x-litellm-response-cost');
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const cost = Number(value);
  return Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
