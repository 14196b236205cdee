/**
 * OpenAI's Files API as FakeOpenAIServer serves it: multipart uploads kept in memory byte for byte, so a
 * test can compare what a client uploaded with what it meant to (fine-tuning data, batch input).
 */
import { errorAnswer, type FakeRoutes, nowSeconds, type RouteAnswer, type RouteCall } from './routes';

/** A file uploaded to the fake server. */
export interface FakeFile {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  /** The bytes as uploaded. */
  readonly bytes: Buffer;
  readonly createdAt: number;
  deleted: boolean;
}

/** The wire object of a file. */
function fileObject(file: FakeFile) {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes.length,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    status_details: null,
  };
}

/** `POST /files`, `GET /files`, `GET /files/{id}`, `GET /files/{id}/content`, `DELETE /files/{id}`. */
export class FakeFiles implements FakeRoutes {
  /** Every file uploaded, in order (deleted ones included, marked). */
  readonly uploaded: FakeFile[] = [];

  /** The live file with this id. */
  get(id: string): FakeFile | undefined {
    return this.uploaded.find((file) => file.id === id && !file.deleted);
  }

  /** Adds a file as if it had been uploaded (for tests that start from an existing file). */
  add(bytes: Buffer | string, options: { filename?: string; purpose?: string } = {}): FakeFile {
    const file: FakeFile = {
      id: `file-${String(this.uploaded.length + 1).padStart(6, '0')}`,
      filename: options.filename ?? 'upload.jsonl',
      purpose: options.purpose ?? 'fine-tune',
      bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'),
      createdAt: nowSeconds(),
      deleted: false,
    };
    this.uploaded.push(file);
    return file;
  }

  /** Answers a call to one of its routes; undefined for any other route. */
  async answer(call: RouteCall): Promise<RouteAnswer | undefined> {
    const { method, route } = call;
    if (route === '/files' && method === 'POST') return this.upload(call);
    if (route === '/files' && method === 'GET') {
      const data = this.uploaded.filter((file) => !file.deleted).map(fileObject);
      return { status: 200, body: { object: 'list', data, has_more: false } };
    }
    const match = /^\/files\/([^/]+)(\/content)?$/.exec(route);
    if (!match) return undefined;
    const file = this.get(decodeURIComponent(match[1]));
    if (!file) return errorAnswer(404, `No such File object: ${match[1]}`, undefined, 'id');
    if (match[2] && method === 'GET')
      return { status: 200, raw: file.bytes, contentType: 'application/octet-stream' };
    if (method === 'GET') return { status: 200, body: fileObject(file) };
    if (method === 'DELETE') {
      file.deleted = true;
      return { status: 200, body: { id: file.id, object: 'file', deleted: true } };
    }
    return undefined;
  }

  private async upload(call: RouteCall): Promise<RouteAnswer> {
    if (!call.contentType.startsWith('multipart/form-data')) {
      return errorAnswer(400, 'Uploads must be multipart/form-data with fields "file" and "purpose".');
    }
    // Node's fetch Response parses multipart bodies: no hand-written parser.
    const form = await new Response(call.raw, { headers: { 'content-type': call.contentType } }).formData();
    const upload = form.get('file');
    const purpose = form.get('purpose');
    if (!upload || typeof upload === 'string')
      return errorAnswer(400, "Missing file field 'file'.", undefined, 'file');
    if (typeof purpose !== 'string' || purpose === '')
      return errorAnswer(400, "Missing field 'purpose'.", undefined, 'purpose');
    const bytes = Buffer.from(await upload.arrayBuffer());
    const file = this.add(bytes, { filename: (upload as File).name || 'upload', purpose });
    return { status: 200, body: fileObject(file) };
  }
}
