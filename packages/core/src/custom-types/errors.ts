import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';

/**
 * An `Image` could not be made from what it was given. Codes: `IMAGE_SOURCE_INVALID` (a string that is
 * neither an http(s)/gs URL nor a data URI, or bytes that are no known image format),
 * `IMAGE_FILE_NOT_FOUND`, `IMAGE_TYPE_UNKNOWN` (no MIME type for the file's extension) and
 * `IMAGE_FETCH_FAILED` (`Image.fromUrl` got no image).
 */
export class ImageError extends SigilError {
  static override readonly code: string = 'IMAGE_SOURCE_INVALID';
  /** The file path or URL at fault, when there is one. */
  readonly source?: string;

  constructor(message: string, options: SigilErrorOptions & { source?: string } = {}) {
    super(message, options);
    this.source = options.source;
  }
}

/** A `History` value is not `{ messages: [...] }` with one object per earlier turn. Code `HISTORY_INVALID`. */
export class HistoryError extends SigilError {
  static override readonly code: string = 'HISTORY_INVALID';
}

/** A value given as `ToolCalls` is not a list of `{ name, args }` calls. Code `TOOL_CALLS_INVALID`. */
export class ToolCallsError extends SigilError {
  static override readonly code: string = 'TOOL_CALLS_INVALID';
}
