/**
 * Where requests go and under which model name: LiteLLM-style names, base URL and key resolution.
 */
import { parseBaseURL } from './base-url';
import { isSecretHeader, redactSecrets as redact, redactURL, registerSecrets, urlSecrets } from './secrets';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Connection settings shared by `LM` and `Embedder`. */
export interface EndpointOptions {
  /** An OpenAI-compatible base URL (`http://localhost:4000` for a LiteLLM proxy). */
  baseURL?: string;
  /** Sent as a Bearer token; never cached, logged or put in errors. */
  apiKey?: string;
  /**
   * Extra request headers (e.g. LiteLLM tags); never part of the cache key. Values of auth-like headers
   * (`api-key`, `X-Auth-Token`, `Cookie` … by name) are redacted wherever Sigil prints or stores text.
   */
  headers?: Record<string, string>;
  /** More header names whose values are secrets (case-insensitive), beyond the name patterns. */
  secretHeaders?: readonly string[];
}

/** The endpoint a client talks to, resolved once at construction. */
export interface ResolvedEndpoint {
  /** The base URL as printed in messages: credentials in it replaced by `[redacted]`. */
  baseURL: string;
  /** The base URL requests go to, credentials included: give it to the HTTP client only, never print it. */
  requestURL: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  /** True when talking to OpenAI itself rather than a proxy or local server. */
  isOpenAI: boolean;
  /** The model name as sent on the wire. */
  wireModel: string;
}

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Resolves base URL and key (`SIGIL_LM_*` first, then `OPENAI_*`) and the model name to send:
 * with a proxy the full LiteLLM name goes out; against OpenAI the `openai/` prefix is dropped.
 */
export function resolveEndpoint(model: string, options: EndpointOptions): ResolvedEndpoint {
  const from = options.baseURL !== undefined ? 'baseURL' : ['SIGIL_LM_BASE_URL', 'OPENAI_BASE_URL'].find(env);
  const configured = from === 'baseURL' ? options.baseURL : from && env(from);
  const raw = configured ?? OPENAI_BASE_URL;
  // Registered before parsing, so even the error of an unusable URL cannot show them.
  registerSecrets(urlSecrets(raw));
  const parsed = parseBaseURL(raw, `"${model}": ${from ?? 'baseURL'}`, !!options.apiKey);
  const requestURL = parsed.baseURL;
  const isOpenAI = isOpenAIHost(requestURL);
  const apiKey = options.apiKey ?? env('SIGIL_LM_API_KEY') ?? env('OPENAI_API_KEY');
  const wireModel = isOpenAI && model.startsWith('openai/') ? model.slice('openai/'.length) : model;
  const headers = { ...options.headers };
  if (parsed.authorization) headers.authorization = parsed.authorization;
  const secretHeaderValues = Object.entries(headers)
    .filter(([name]) => isSecretHeader(name, options.secretHeaders))
    .map(([, value]) => value);
  registerSecrets([apiKey, ...secretHeaderValues]);
  return { baseURL: redactURL(requestURL), requestURL, apiKey, headers, isOpenAI, wireModel };
}

function isOpenAIHost(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/** Removes the key, every registered secret and anything key-shaped from text bound for errors or logs. */
export function redactSecrets(text: string, apiKey?: string): string {
  return redact(text, apiKey);
}
