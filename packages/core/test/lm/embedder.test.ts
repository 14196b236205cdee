import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheMissError, Embedder } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { TRANSPORTS } from './support/transports';

describe.each(TRANSPORTS)('Embedder (%s transport)', (transport) => {
  let server: FakeOpenAIServer;
  let baseURL: string;
  let dir: string;

  beforeEach(async () => {
    server = new FakeOpenAIServer();
    baseURL = await server.start();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigil-embed-'));
  });
  afterEach(async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('embeds in batches, in input order, and caches per text', async () => {
    const embedder = new Embedder('openai/text-embedding-3-small', {
      baseURL,
      apiKey: 'sk-e',
      transport,
      batchSize: 2,
      cache: { dir },
    });
    const texts = ['alpha', 'beta', 'gamma', 'alpha', 'delta'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(5);
    expect(vectors[0]).toEqual(vectors[3]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(Math.hypot(...vectors[2])).toBeCloseTo(1, 5);
    expect(server.requests.map((r) => r.body.input)).toEqual([
      ['alpha', 'beta'],
      ['gamma', 'delta'],
    ]);
    expect(server.requests[0].body).toMatchObject({
      model: 'openai/text-embedding-3-small',
      encoding_format: 'float',
    });

    const again = new Embedder('openai/text-embedding-3-small', {
      baseURL,
      apiKey: 'sk-e',
      transport,
      cache: { dir, mode: 'replay' },
    });
    expect(await again.embed(['gamma', 'beta'])).toEqual([vectors[2], vectors[1]]);
    await expect(again.embed(['never seen'])).rejects.toBeInstanceOf(CacheMissError);
    expect(server.requests).toHaveLength(2);
    expect(again.stats()).toMatchObject({ cacheHits: 2, requests: 0 });
  });

  it('retries failed batches and passes dimensions through', async () => {
    server.failNext('server-error');
    const embedder = new Embedder('emb', {
      baseURL,
      cache: false,
      dimensions: 4,
      retry: { baseDelayMs: 1 },
      transport,
    });
    const vector = await embedder.embedOne('text');
    expect(vector).toHaveLength(4);
    expect(server.requests.map((r) => r.body.dimensions)).toEqual([4, 4]);
    expect(embedder.stats()).toMatchObject({ requests: 2, retries: 1 });
  });
});
