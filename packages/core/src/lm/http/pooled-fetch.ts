/**
 * Sigil's default transport under the `openai` SDK: a `fetch` built on undici's `request()` over keep-alive
 * connection pools, one per endpoint, shared by every LM and Embedder that talks to it. It behaves as global
 * `fetch` does where the SDK can tell (redirects, aborts, `TypeError: fetch failed` for network errors,
 * `TypeError: terminated` for a body cut short, decoded gzip/deflate/br bodies) and adds what global fetch
 * lacks on Node 20: the `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` conventions and a configurable pool size.
 * Bodies the SDK never sends for chat or embeddings (streams, Blobs, FormData) go through global `fetch`
 * over the same pool.
 */
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { PooledResponse, type RawReply } from './pooled-response';
import { proxyFor } from './proxy-env';

/** Connection settings of the pooled transport. */
export interface PoolOptions {
  /** Connections kept open per endpoint at most (default: no limit, as global fetch). */
  connections?: number;
}

/** The parts of undici the pooled fetch uses. */
interface UndiciParts {
  Agent: typeof Undici.Agent;
  request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
}

let undici: UndiciParts | undefined;

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * undici's Agent and `request`, required when the first pool is made (an import of core stays fast).
 * Only those two files: the package's entry point also loads fetch, WebSocket, caches and mocks, ~30 ms
 * more at the first request. It is the fallback should a release move them.
 */
function undiciModule(): UndiciParts {
  if (undici) return undici;
  try {
    undici = {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent,
      request: require('undici/lib/api/api-request.js') as UndiciParts['request'],
    };
  } catch {
    const whole = require('undici') as typeof Undici;
    undici = { Agent: whole.Agent, request: whole.Dispatcher.prototype.request };
  }
  return undici;
}

/** undici's ProxyAgent, from the entry point: its tunnels use the API the entry point installs. */
function proxyAgentClass(): typeof Undici.ProxyAgent {
  return (require('undici') as typeof Undici).ProxyAgent;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Dispatchers by pool size and proxy, shared process-wide so LMs made per request reuse connections. */
const dispatchers = new Map<string, Dispatcher>();

function sharedDispatcher(connections: number | undefined, proxy: string | undefined): Dispatcher {
  const key = `${connections ?? ''} ${proxy ?? ''}`;
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    // Sigil's per-attempt AbortSignal is the one timeout: undici's own 300 s limits would cut a long call
    // short that the caller allowed.
    const options = { connections: connections ?? null, headersTimeout: 0, bodyTimeout: 0 };
    const { Agent } = undiciModule();
    const ProxyAgent = proxy ? proxyAgentClass() : undefined;
    // proxyTunnel false: http endpoints go to the proxy as absolute-form requests, as curl sends them
    // (many proxies allow CONNECT to port 443 only); https ones through a CONNECT tunnel.
    dispatcher =
      proxy && ProxyAgent
        ? new ProxyAgent({ ...options, uri: proxy, proxyTunnel: false })
        : new Agent(options);
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const CONTENT_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

type HeaderRecord = Record<string, string>;

/** Request headers as a plain record with lower-case names (what undici and its proxy agent take). */
function headerRecord(headers: RequestInit['headers']): HeaderRecord {
  const record: HeaderRecord = {};
  if (!headers) return record;
  if (typeof (headers as Headers).forEach === 'function' && !Array.isArray(headers)) {
    (headers as Headers).forEach((value, name) => (record[name] = value));
  } else {
    const entries = Array.isArray(headers) ? (headers as [string, string][]) : Object.entries(headers);
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      record[key] = key in record ? `${record[key]}, ${String(value)}` : String(value);
    }
  }
  return record;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** The body as undici sends it, with the content type fetch would add; undefined for bodies left to fetch. */
function encodeBody(
  body: RequestInit['body'],
  headers: HeaderRecord,
): { body: string | Uint8Array | null } | undefined {
  if (body === undefined || body === null) return { body: null };
  const typed = (type: string) => {
    headers['content-type'] ??= type;
  };
  if (typeof body === 'string') {
    typed('text/plain;charset=UTF-8');
    return { body };
  }
  if (body instanceof URLSearchParams) {
    typed('application/x-www-form-urlencoded;charset=UTF-8');
    return { body: body.toString() };
  }
  if (ArrayBuffer.isView(body))
    return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  return undefined;
}

/**
 * A `fetch` over pooled keep-alive connections (see the file comment). Proxy settings are read from the
 * environment the first time each origin is requested.
 * @example new OpenAI({ baseURL, apiKey, fetch: createPooledFetch({ connections: 32 }) })
 */
export function createPooledFetch(options: PoolOptions = {}): typeof fetch {
  const byOrigin = new Map<string, Dispatcher>();
  const dispatcherFor = (url: URL): Dispatcher => {
    let dispatcher = byOrigin.get(url.origin);
    if (!dispatcher) {
      dispatcher = sharedDispatcher(options.connections, proxyFor(url));
      byOrigin.set(url.origin, dispatcher);
    }
    return dispatcher;
  };

  const { request } = undiciModule();
  // The SDK asks for the same few URLs over and over: parse each once.
  let lastInput: string | undefined;
  let lastURL: URL | undefined;
  const parse = (input: string | URL): URL => {
    if (typeof input !== 'string') return new URL(input);
    if (input !== lastInput) {
      lastURL = new URL(input);
      lastInput = input;
    }
    return lastURL as URL;
  };

  async function pooledFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    if (typeof input !== 'string' && !(input instanceof URL)) {
      return fetch(input, { ...init, dispatcher: dispatcherFor(new URL(input.url)) } as RequestInit);
    }
    let url = parse(input);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw abortReason(signal);
    let method = (init.method ?? 'GET').toUpperCase();
    const headers = headerRecord(init.headers);
    const encoded = encodeBody(init.body, headers);
    if (!encoded || url.username || url.password) {
      return fetch(url, { ...init, dispatcher: dispatcherFor(url) } as RequestInit);
    }
    let body = encoded.body;
    for (let redirects = 0; ; redirects++) {
      let reply: RawReply;
      try {
        reply = (await request.call(dispatcherFor(url), {
          origin: url.origin,
          path: url.pathname + url.search,
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
          signal,
        })) as unknown as RawReply;
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        throw new TypeError('fetch failed', { cause: error });
      }
      const location = reply.headers.location;
      if (!REDIRECTS.has(reply.statusCode) || typeof location !== 'string' || init.redirect === 'manual') {
        return new PooledResponse(reply, url.href, redirects > 0, method, signal) as unknown as Response;
      }
      await reply.body.dump?.().catch(() => undefined);
      const next = new URL(location, url);
      if (init.redirect === 'error' || redirects >= MAX_REDIRECTS || !/^https?:$/.test(next.protocol)) {
        const why =
          init.redirect === 'error'
            ? `redirect to ${next.origin} refused (redirect: "error")`
            : redirects >= MAX_REDIRECTS
              ? `more than ${MAX_REDIRECTS} redirects`
              : `redirect to a ${next.protocol} URL`;
        throw new TypeError('fetch failed', { cause: new Error(why) });
      }
      // As fetch: 303 (and 301/302 after a POST) turn into a GET without a body; the Authorization header
      // is not sent to another origin.
      const toGet =
        (reply.statusCode === 303 && method !== 'GET' && method !== 'HEAD') ||
        ((reply.statusCode === 301 || reply.statusCode === 302) && method === 'POST');
      if (toGet) {
        method = 'GET';
        body = null;
        for (const name of CONTENT_HEADERS) delete headers[name];
      }
      if (next.origin !== url.origin) delete headers.authorization;
      url = next;
    }
  }
  return pooledFetch as typeof fetch;
}

/**
 * The dispatcher global `fetch` needs to honour `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` for `baseURL`, or
 * undefined when no proxy applies (global fetch on Node 20 ignores those variables).
 */
export function proxyDispatcherFor(baseURL: string, options: PoolOptions = {}): Dispatcher | undefined {
  const proxy = proxyFor(new URL(baseURL));
  return proxy ? sharedDispatcher(options.connections, proxy) : undefined;
}
