/**
 * A base URL checked when an LM or Embedder is made, so an unusable one fails at construction instead
 * of on every attempt of the first call. Credentials in it (`https://user:pass@host/v1`, which `fetch`
 * refuses to send) become a Basic `Authorization` header, as curl and Python's requests do.
 */
import { InvalidOptionError } from '../errors/sigil-error';

/** A usable base URL, without credentials, and the Basic credentials it carried. */
export interface ParsedBaseURL {
  baseURL: string;
  /** `Basic …` when the URL had `user:password@`. */
  authorization?: string;
}

/** The URL with any `user:password@` part shown as `***@`, for messages. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}

/**
 * Parses and checks a base URL from `source` (the option or environment variable, with the model it is for), trailing slashes
 * removed. Throws `InvalidOptionError` for text that is not an http(s) URL, and for credentials in the
 * URL together with an `apiKey` option (one Authorization header cannot carry both).
 * @example parseBaseURL('http://localhost:4000/', 'baseURL') // { baseURL: 'http://localhost:4000' }
 */
export function parseBaseURL(raw: string, source: string, explicitApiKey: boolean): ParsedBaseURL {
  const shown = withoutCredentials(raw);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim())) {
    throw new InvalidOptionError(
      `${source} ${JSON.stringify(shown)} has no scheme: write it with http:// or https:// in front ` +
        `(e.g. "http://${shown.trim()}").`,
      { option: 'baseURL' },
    );
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidOptionError(
      `${source} ${JSON.stringify(shown)} is not a URL. Give the endpoint's full base URL, e.g. ` +
        `"http://localhost:4000" for a LiteLLM proxy or "https://api.openai.com/v1".`,
      { option: 'baseURL' },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError(
      `${source} ${JSON.stringify(shown)} uses ${url.protocol.slice(0, -1)}:, but an endpoint is reached ` +
        `over http: or https: (e.g. "http://localhost:4000").`,
      { option: 'baseURL' },
    );
  }
  if (!url.username && !url.password) return { baseURL: raw.trim().replace(/\/+$/, '') };
  if (explicitApiKey) {
    throw new InvalidOptionError(
      `${source} ${JSON.stringify(shown)} carries credentials and the apiKey option is set too; both ` +
        `would be the Authorization header. Keep one: remove "user:password@" from the URL, or drop apiKey.`,
      { option: 'baseURL' },
    );
  }
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return {
    baseURL: url.href.replace(/\/+$/, ''),
    authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
  };
}
