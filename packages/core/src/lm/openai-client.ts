/**
 * The `openai` SDK client behind LM and Embedder, set up so Sigil owns retries and timeouts. The package
 * takes ~30 ms to load, so it is required when the first client is created (at an LM's first request), not
 * when `@sigil/core` is imported.
 */
import type * as OpenAIModule from 'openai';
import type OpenAI from 'openai';
import type { ResolvedEndpoint } from './endpoint';
import { LMAuthenticationError } from './errors';
import { clientTransport, type TransportOptions } from './http/transport-options';

let sdk: typeof OpenAIModule | undefined;

/** The `openai` module, required once. */
function openaiModule(): typeof OpenAIModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require('openai') as typeof OpenAIModule;
  return sdk;
}

/** The `openai` module if a client was ever created; before that no error can come from the SDK. */
export function loadedOpenAIModule(): typeof OpenAIModule | undefined {
  return sdk;
}

/**
 * An SDK client for an endpoint over the chosen transport; fails without a request when OpenAI itself is
 * the endpoint and no key is set.
 */
export function createOpenAIClient(
  endpoint: ResolvedEndpoint,
  label: string,
  transport: TransportOptions = {},
): OpenAI {
  const { apiKey, baseURL, isOpenAI, headers } = endpoint;
  if (!apiKey && isOpenAI) {
    throw new LMAuthenticationError(
      `${label} at ${baseURL}: no API key. Set SIGIL_LM_API_KEY or OPENAI_API_KEY, or pass apiKey; ` +
        `for a LiteLLM proxy or local server set baseURL (or SIGIL_LM_BASE_URL).`,
      { model: endpoint.wireModel, endpoint: baseURL },
    );
  }
  return new (openaiModule().OpenAI)({
    // Local servers usually need no key, but the SDK insists on one.
    apiKey: apiKey ?? 'no-key',
    baseURL: endpoint.requestURL,
    defaultHeaders: headers,
    // Sigil's retry loop and per-attempt timer replace the SDK's own.
    maxRetries: 0,
    timeout: 24 * 60 * 60 * 1000,
    ...clientTransport(endpoint.requestURL, transport),
  });
}
