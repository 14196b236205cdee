/**
 * The `Response` the pooled fetch resolves to: the parts of WHATWG `Response` the `openai` SDK and Sigil
 * read (status, headers, `json()`, `text()`, a streaming `body`), built straight from undici's reply
 * without the web-stream and `Headers` copies global `fetch` makes for every response.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import * as zlib from 'node:zlib';

type RawHeaders = Record<string, string | string[] | undefined>;

/** Response headers with the read side of `Headers`; like fetch's, they cannot be changed. */
export class ResponseHeaders {
  constructor(private readonly raw: RawHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    const value = this.raw['set-cookie'];
    return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  }

  forEach(callback: (value: string, key: string, parent: ResponseHeaders) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const key in this.raw) {
      const value = this.raw[key];
      if (value === undefined) continue;
      if (key === 'set-cookie' && typeof value !== 'string') for (const cookie of value) yield [key, cookie];
      else yield [key, typeof value === 'string' ? value : value.join(', ')];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  append(): void {
    throw new TypeError('Response headers are immutable.');
  }

  set(): void {
    throw new TypeError('Response headers are immutable.');
  }

  delete(): void {
    throw new TypeError('Response headers are immutable.');
  }
}

/** What undici's `request()` gives for a reply. */
export interface RawReply {
  statusCode: number;
  headers: RawHeaders;
  body: Readable & { text(): Promise<string>; dump?(): Promise<void> };
}

/** Why a body could not be read in full, as fetch reports it (`TypeError: terminated`, with the cause). */
function terminated(cause: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
  return new TypeError('terminated', { cause });
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** A response of the pooled fetch. Its body can be read once, as with fetch. */
export class PooledResponse {
  readonly status: number;
  readonly statusText = '';
  readonly ok: boolean;
  readonly headers: ResponseHeaders;
  readonly type = 'basic' as const;
  private used = false;
  private stream?: ReadableStream<Uint8Array> | null;

  constructor(
    private readonly reply: RawReply,
    readonly url: string,
    readonly redirected: boolean,
    private readonly method: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.status = reply.statusCode;
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new ResponseHeaders(reply.headers);
  }

  private get hasBody(): boolean {
    return this.method !== 'HEAD' && !NULL_BODY_STATUS.has(this.status);
  }

  /** The decoded body as a Node stream (gzip, deflate and br are decoded, as fetch does). */
  private decoded(): Readable {
    const encoding = this.headers.get('content-encoding')?.trim().toLowerCase();
    const raw = this.reply.body;
    let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined;
    if (encoding === 'gzip' || encoding === 'x-gzip') decoder = zlib.createGunzip();
    else if (encoding === 'deflate') decoder = zlib.createInflate();
    else if (encoding === 'br') decoder = zlib.createBrotliDecompress();
    if (!decoder) return raw;
    raw.on('error', (error) => decoder.destroy(error));
    return raw.pipe(decoder);
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.stream !== undefined) return this.stream;
    if (!this.hasBody) return (this.stream = null);
    const nodeStream = Readable.toWeb(this.decoded()) as NodeReadableStream<Uint8Array>;
    this.stream = nodeStream as unknown as ReadableStream<Uint8Array>;
    return this.stream;
  }

  get bodyUsed(): boolean {
    return this.used || (this.stream?.locked ?? false);
  }

  private claim(): void {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
  }

  /** The body as one buffer: from the web stream once `body` was looked at (the SDK's logging does). */
  private async buffer(): Promise<Buffer> {
    if (!this.stream) return collectBytes(this.decoded());
    const parts: Uint8Array[] = [];
    const reader = this.stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    return Buffer.concat(parts);
  }

  async text(): Promise<string> {
    this.claim();
    if (!this.hasBody) {
      await this.reply.body.dump?.();
      return '';
    }
    try {
      const fast = this.decodedIsRaw() && !this.stream;
      const text = fast ? await this.reply.body.text() : (await this.buffer()).toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch (error) {
      throw terminated(error, this.signal);
    }
  }

  async json(): Promise<any> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    this.claim();
    if (!this.hasBody) return new Uint8Array(0);
    try {
      const buffer = await this.buffer();
      return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length));
    } catch (error) {
      throw terminated(error, this.signal);
    }
  }

  async blob(): Promise<Blob> {
    const type = this.headers.get('content-type') ?? '';
    return new Blob([await this.bytes()], { type });
  }

  formData(): Promise<FormData> {
    return Promise.reject(
      new TypeError('formData() is not supported by Sigil\'s pooled fetch; use transport: "fetch".'),
    );
  }

  clone(): never {
    throw new TypeError('clone() is not supported by Sigil\'s pooled fetch; use transport: "fetch".');
  }

  private decodedIsRaw(): boolean {
    const encoding = this.headers.get('content-encoding')?.trim().toLowerCase();
    return !encoding || encoding === 'identity';
  }
}

async function collectBytes(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
