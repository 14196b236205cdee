/**
 * The transport lm.bench weighs against Sigil's undici-based pooled fetch (issue 21 asked for both to be
 * measured): a `fetch` for the `openai` SDK over `node:http` with a keep-alive agent, resolving to a
 * Response-like object. A benchmark contender only: no proxy, redirect or TLS handling.
 */
import * as http from 'node:http';

class Headers2 {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const key of Object.keys(this.raw)) yield [key, this.get(key) as string];
  }
  forEach(callback: (value: string, key: string) => void): void {
    for (const [key, value] of this.entries()) callback(value, key);
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** A `fetch` over node:http keep-alive connections (at most `connections` sockets). */
export function nodeHttpFetch(connections = 64): typeof fetch {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  return (async (input: string | URL, init: RequestInit = {}) => {
    const headers: Record<string, string> = {};
    (init.headers as Headers).forEach((value, name) => (headers[name] = value));
    const body = init.body as string | undefined;
    const message = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(
        String(input),
        { method: init.method, headers, agent, signal: init.signal ?? undefined },
        resolve,
      );
      request.on('error', reject);
      request.end(body);
    });
    const text = new Promise<string>((resolve, reject) => {
      const parts: Buffer[] = [];
      message.on('data', (part: Buffer) => parts.push(part));
      message.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
      message.on('error', reject);
    });
    const status = message.statusCode ?? 0;
    return {
      status,
      ok: status >= 200 && status < 300,
      url: String(input),
      headers: new Headers2(message.headers),
      body: null,
      text: () => text,
      json: async () => JSON.parse(await text),
    } as unknown as Response;
  }) as typeof fetch;
}

/** A raw node:http client: POST `body` to `url` on a keep-alive agent, parse the JSON answer. */
export function nodeHttpPost(url: string, headers: Record<string, string>, connections = 64) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  return (body: string) =>
    new Promise<unknown>((resolve, reject) => {
      const request = http.request(url, { method: 'POST', headers, agent }, (message) => {
        const parts: Buffer[] = [];
        message.on('data', (part: Buffer) => parts.push(part));
        message.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString('utf8'))));
        message.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
}
