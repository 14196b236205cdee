import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { inspect } from 'node:util';
import type { ContentPart } from '../lm/types';
import { ImageError } from './errors';
import { markedParts } from './marker';

/**
 * MIME types by extension, as Python's `mimetypes` table gives them (DSPy's `Image.from_path` uses it);
 * `.webp` as Python 3.13 and the system tables add it.
 */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/vnd.microsoft.icon',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.pdf': 'application/pdf',
};

/** What an `Image` can be made from: a URL or data URI, raw bytes, `{ url }`, or another Image. */
export type ImageSource = string | Uint8Array | ArrayBuffer | { readonly url: string } | Image;

/** Options of `Image.fromUrl`. */
export interface FetchImageOptions {
  /** Stops the download. */
  signal?: AbortSignal;
  /** Gives up after this many ms (default 30 000, as DSPy). */
  timeoutMs?: number;
}

/**
 * DSPy's `dspy.Image`: an image input, sent to the model as an OpenAI `image_url` content part exactly where
 * DSPy puts it (in the user message, between the text before and after the field). Holds an http(s) or
 * `gs://` URL, or a `data:` URI. Construction never touches the file system or the network: read a local
 * file with `Image.fromPath`, download with `Image.fromUrl`.
 * @example
 * class Describe { @Input() readonly photo!: Image; @Output() caption!: string; }
 * await new Predict(Describe).forward({ photo: new Image('https://example.com/cat.png') });
 * await new Predict(Describe).forward({ photo: Image.fromPath('photos/cat.png') });
 */
export class Image {
  /** The URL or data URI sent to the model. */
  readonly url: string;

  constructor(source: ImageSource) {
    this.url = encodeImage(source);
    Object.freeze(this);
  }

  /**
   * Reads a local file into a data URI, its MIME type from the extension (as DSPy's `Image.from_path`).
   * @example Image.fromPath('receipts/2024-03.jpg')
   */
  static fromPath(path: string): Image {
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new ImageError(`Image.fromPath: file not found: ${path}.`, {
        code: 'IMAGE_FILE_NOT_FOUND',
        source: path,
      });
    }
    const mime = MIME_BY_EXTENSION[extname(path).toLowerCase()];
    if (!mime) {
      throw new ImageError(
        `Image.fromPath: could not determine the MIME type of ${path} from its extension — use one of ` +
          `${Object.keys(MIME_BY_EXTENSION).join(', ')}, or pass the bytes: Image.fromBytes(bytes, 'image/png').`,
        { code: 'IMAGE_TYPE_UNKNOWN', source: path },
      );
    }
    return new Image(`data:${mime};base64,${readFileSync(path).toString('base64')}`);
  }

  /**
   * Raw bytes as a data URI. The MIME type is read from the bytes' signature (PNG, JPEG, GIF, WebP, BMP,
   * TIFF) unless given. Unlike DSPy, which re-encodes bytes with Pillow, the bytes are sent as they are.
   */
  static fromBytes(bytes: Uint8Array | ArrayBuffer, mimeType?: string): Image {
    const data = Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes);
    const mime = mimeType ?? sniffMime(data);
    if (!mime) {
      throw new ImageError(
        'Image.fromBytes: the bytes are not a PNG, JPEG, GIF, WebP, BMP or TIFF image — pass the MIME type: ' +
          "Image.fromBytes(bytes, 'image/heic').",
        { code: 'IMAGE_SOURCE_INVALID' },
      );
    }
    return new Image(`data:${mime};base64,${data.toString('base64')}`);
  }

  /**
   * Downloads an http(s) URL into a data URI (as DSPy's `Image.from_url`), the MIME type from the response's
   * `content-type`, else from the URL's extension. Like any fetch it reaches whatever host the URL names:
   * check untrusted URLs against an allow-list first.
   */
  static async fromUrl(url: string, options: FetchImageOptions = {}): Promise<Image> {
    if (!isHttpUrl(url)) {
      throw new ImageError(`Image.fromUrl needs an http(s) URL, got ${url}.`, {
        code: 'IMAGE_SOURCE_INVALID',
        source: url,
      });
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, { signal });
    } catch (error) {
      throw new ImageError(`Image.fromUrl: could not download ${url}: ${(error as Error).message}.`, {
        code: 'IMAGE_FETCH_FAILED',
        source: url,
        cause: error,
      });
    }
    if (!response.ok) {
      throw new ImageError(`Image.fromUrl: ${url} answered HTTP ${response.status}.`, {
        code: 'IMAGE_FETCH_FAILED',
        source: url,
      });
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const mime =
      response.headers.get('content-type') || MIME_BY_EXTENSION[extname(new URL(url).pathname).toLowerCase()];
    if (!mime) {
      throw new ImageError(`Image.fromUrl: could not determine the MIME type of ${url}.`, {
        code: 'IMAGE_TYPE_UNKNOWN',
        source: url,
      });
    }
    return new Image(`data:${mime};base64,${bytes.toString('base64')}`);
  }

  /** True for an `Image` (also one made by another installed copy of @sigil/core). */
  static isImage(value: unknown): value is Image {
    return value instanceof Image || (value as { [IMAGE_MARK]?: boolean } | null)?.[IMAGE_MARK] === true;
  }

  /** The content parts sent to the model (DSPy's `Image.format()`). */
  format(): ContentPart[] {
    return [{ type: 'image_url', image_url: { url: this.url } }];
  }

  /** DSPy's serialised form: the marked parts, which adapters turn back into an `image_url` part. */
  toJSON(): string {
    return markedParts(this.format());
  }

  /** As DSPy's `str(image)`: the marked parts. */
  toString(): string {
    return this.toJSON();
  }

  /** DSPy's `repr`: `Image(url='…')`, base64 data shortened to its length. */
  repr(): string {
    if (this.url.includes('base64')) {
      const encoded = this.url.split('base64,')[1] ?? '';
      const kind = this.url.split(';')[0].split('/').at(-1);
      return `Image(url=data:image/${kind};base64,<IMAGE_BASE_64_ENCODED(${encoded.length})>)`;
    }
    return `Image(url='${this.url}')`;
  }

  /** What `console.log(image)` prints: the repr, base64 data shortened. */
  [inspect.custom](): string {
    return this.repr();
  }
}

const IMAGE_MARK = Symbol.for('sigil.image');
Object.defineProperty(Image.prototype, IMAGE_MARK, { value: true });

function encodeImage(source: ImageSource): string {
  if (Image.isImage(source)) return source.url;
  if (typeof source === 'string') {
    // pydantic's str_strip_whitespace, as on DSPy's Image.
    const text = source.trim();
    if (text.startsWith('data:') || isUrl(text)) return text;
    throw new ImageError(
      `Unrecognized image string: ${text.length > 80 ? `${text.slice(0, 77)}...` : text}. Pass an http(s) or ` +
        'gs:// URL or a data URI; load a local file with Image.fromPath(path).',
      { code: 'IMAGE_SOURCE_INVALID' },
    );
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return Image.fromBytes(source).url;
  if (source && typeof source === 'object' && typeof (source as { url?: unknown }).url === 'string') {
    return encodeImage((source as { url: string }).url);
  }
  throw new ImageError(
    `Unsupported image source ${source === null ? 'null' : typeof source}: pass a URL, a data URI, bytes or { url }.`,
    { code: 'IMAGE_SOURCE_INVALID' },
  );
}

/** DSPy's `is_url`: an http, https or gs URL with a host. */
function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return ['http:', 'https:', 'gs:'].includes(url.protocol) && url.host !== '';
  } catch {
    return false;
  }
}

function isHttpUrl(text: string): boolean {
  return isUrl(text) && !text.startsWith('gs:');
}

function sniffMime(data: Buffer): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && data.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (starts(0x42, 0x4d)) return 'image/bmp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff';
  return undefined;
}
