/**
 * The transports every LM test runs against: Sigil's pooled undici fetch (the default) and the global
 * `fetch` (`transport: 'fetch'`).
 */
export const TRANSPORTS = ['pooled', 'fetch'] as const;

export type TransportName = (typeof TRANSPORTS)[number];
