/**
 * Where requests go and under which model name: LiteLLM-style names, base URL and key resolution.
 */
import { parseBaseURL } from './base-url';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Connection settings shared by `LM` and `Embedder`. */
export interface EndpointOptions {
  /** An OpenAI-compatible base URL (`http://localhost:4000` for a LiteLLM proxy). */
  baseURL?: string;
  /** Sent as a Bearer token; never cached, logged or put in errors. */
  apiKey?: string;
  /** Extra request headers (e.g. LiteLLM tags); never part of the cache key. */
  headers?: Record<string, string>;
}

/** The endpoint a client talks to, resolved once at construction. */
export interface ResolvedEndpoint {
  baseURL: string;
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
  const parsed = parseBaseURL(
    configured ?? OPENAI_BASE_URL,
    `"${model}": ${from ?? 'baseURL'}`,
    !!options.apiKey,
  );
  const baseURL = parsed.baseURL;
  const isOpenAI = isOpenAIHost(baseURL);
  const apiKey = options.apiKey ?? env('SIGIL_LM_API_KEY') ?? env('OPENAI_API_KEY');
  const wireModel = isOpenAI && model.startsWith('openai/') ? model.slice('openai/'.length) : model;
  const headers = { ...options.headers };
  if (parsed.authorization) headers.authorization = parsed.authorization;
  return { baseURL, apiKey, headers, isOpenAI, wireModel };
}

function isOpenAIHost(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

const KEY_PATTERN = /\b(sk-[A-Za-z0-9_*-]{4,}|Bearer\s+[A-Za-z0-9._~+/=-]+)/g;

/** Removes the key (and anything key-shaped) from text that may reach errors, history or logs. */
export function redactSecrets(text: string, apiKey: string | undefined): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(KEY_PATTERN, '[redacted]');
}
