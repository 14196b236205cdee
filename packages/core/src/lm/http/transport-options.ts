/**
 * How an LM or Embedder reaches its endpoint: Sigil's pooled transport (the default) or the global `fetch`.
 */
import { InvalidOptionError } from '../../errors/sigil-error';
import { createPooledFetch, proxyDispatcherFor } from './pooled-fetch';

/** The transport options of `LM` and `Embedder`. */
export interface TransportOptions {
  /**
   * `'pooled'` (default): keep-alive connection pools per endpoint over undici, with the `HTTPS_PROXY` /
   * `HTTP_PROXY` / `NO_PROXY` conventions. `'fetch'`: the global `fetch` (for runtimes or tools that
   * replace it, such as request mocks and tracers); proxy variables are honoured there too.
   */
  transport?: 'pooled' | 'fetch';
  /** Connections open to the endpoint at most, shared by every LM using it (default: no limit). */
  connections?: number;
}

/** What the `openai` client is given for a transport: its `fetch` and any `fetchOptions`. */
export interface ClientTransport {
  fetch?: typeof fetch;
  fetchOptions?: Record<string, unknown>;
}

/** Checks the transport options; throws `InvalidOptionError` naming the bad one. */
export function validateTransportOptions(options: TransportOptions, owner: string): void {
  const { transport, connections } = options;
  if (transport !== undefined && transport !== 'pooled' && transport !== 'fetch') {
    throw new InvalidOptionError(
      `${owner}: transport must be 'pooled' (the default) or 'fetch', got ${JSON.stringify(transport)}.`,
      { option: 'transport' },
    );
  }
  if (connections !== undefined && !(Number.isInteger(connections) && connections > 0)) {
    throw new InvalidOptionError(
      `${owner}: connections must be a positive whole number (connections per endpoint), got ${String(connections)}.`,
      { option: 'connections' },
    );
  }
}

/** The `fetch` (and fetch options) the SDK client for `baseURL` uses under these options. */
export function clientTransport(baseURL: string, options: TransportOptions): ClientTransport {
  if (options.transport === 'fetch') {
    const dispatcher = proxyDispatcherFor(baseURL, options);
    return dispatcher ? { fetchOptions: { dispatcher } } : {};
  }
  return { fetch: createPooledFetch({ connections: options.connections }) };
}
