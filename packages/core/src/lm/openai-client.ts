/**
 * The `openai` SDK client behind LM and Embedder, set up so Sigil owns retries and timeouts.
 */
import OpenAI from 'openai';
import type { ResolvedEndpoint } from './endpoint';
import { LMAuthenticationError } from './errors';

/** An SDK client for an endpoint; fails without a request when OpenAI itself is the endpoint and no key is set. */
export function createOpenAIClient(endpoint: ResolvedEndpoint, label: string): OpenAI {
  const { apiKey, baseURL, isOpenAI, headers } = endpoint;
  if (!apiKey && isOpenAI) {
    throw new LMAuthenticationError(
      `${label} at ${baseURL}: no API key. Set SIGIL_LM_API_KEY or OPENAI_API_KEY, or pass apiKey; ` +
        `for a LiteLLM proxy or local server set baseURL (or SIGIL_LM_BASE_URL).`,
      { model: endpoint.wireModel, endpoint: baseURL },
    );
  }
  return new OpenAI({
    // Local servers usually need no key, but the SDK insists on one.
    apiKey: apiKey ?? 'no-key',
    baseURL,
    defaultHeaders: headers,
    // Sigil's retry loop and per-attempt timer replace the SDK's own.
    maxRetries: 0,
    timeout: 24 * 60 * 60 * 1000,
  });
}
