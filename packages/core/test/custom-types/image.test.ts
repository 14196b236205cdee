import 'reflect-metadata';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  ChatAdapter,
  Image,
  ImageError,
  Input,
  LM,
  Output,
  Predict,
  Signature,
  SignatureError,
  signature,
} from '@sigil/core';
import { chatRequestKey } from '../../src/lm/request-key';
import { FakeOpenAIServer, ScriptedLM } from '@sigil/testing';
import { throughStream } from './streaming-lm';

// A 1×1 PNG.
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PNG_URI = `data:image/png;base64,${PNG_BYTES.toString('base64')}`;

@Signature('Describe the photo.')
class Describe {
  @Input() readonly photo!: Image;
  @Input() readonly question!: string;
  @Output() caption!: string;
}

describe('Image', () => {
  it('keeps URLs and data URIs, trimmed, and refuses other strings', () => {
    expect(new Image(' https://example.com/a.png ').url).toBe('https://example.com/a.png');
    expect(new Image('gs://bucket/a.png').url).toBe('gs://bucket/a.png');
    expect(new Image(PNG_URI).url).toBe(PNG_URI);
    expect(new Image({ url: 'https://example.com/b.png' }).url).toBe('https://example.com/b.png');
    expect(() => new Image('photos/cat.png')).toThrow(
      expect.objectContaining({ code: 'IMAGE_SOURCE_INVALID' }),
    );
    expect(() => new Image('ftp://example.com/a.png')).toThrow(ImageError);
  });

  it('reads bytes and files into data URIs, with the MIME type from the bytes or the extension', () => {
    expect(new Image(PNG_BYTES).url).toBe(PNG_URI);
    expect(Image.fromBytes(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0])).url).toMatch(
      /^data:image\/jpeg;base64,/,
    );
    expect(() => Image.fromBytes(Buffer.from('hello'))).toThrow(
      expect.objectContaining({ code: 'IMAGE_SOURCE_INVALID' }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'sigil-image-'));
    writeFileSync(join(dir, 'pixel.PNG'), PNG_BYTES);
    writeFileSync(join(dir, 'pixel.xyz'), PNG_BYTES);
    expect(Image.fromPath(join(dir, 'pixel.PNG')).url).toBe(PNG_URI);
    expect(() => Image.fromPath(join(dir, 'pixel.xyz'))).toThrow(
      expect.objectContaining({ code: 'IMAGE_TYPE_UNKNOWN' }),
    );
    expect(() => Image.fromPath(join(dir, 'missing.png'))).toThrow(
      expect.objectContaining({ code: 'IMAGE_FILE_NOT_FOUND' }),
    );
  });

  it('downloads with fromUrl from a local server, and says so when the server fails', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/pixel.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG_BYTES);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await Image.fromUrl(`${base}/pixel.png`)).url).toBe(PNG_URI);
      await expect(Image.fromUrl(`${base}/missing.png`)).rejects.toMatchObject({
        code: 'IMAGE_FETCH_FAILED',
      });
      await expect(Image.fromUrl('gs://bucket/a.png')).rejects.toMatchObject({
        code: 'IMAGE_SOURCE_INVALID',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('prints as DSPy repr, base64 data shortened, and serialises to DSPy marked parts', () => {
    expect(inspect(new Image(PNG_URI))).toBe(
      `Image(url=data:image/png;base64,<IMAGE_BASE_64_ENCODED(${PNG_BYTES.toString('base64').length})>)`,
    );
    expect(JSON.stringify({ photo: new Image('https://example.com/a.png') })).toBe(
      JSON.stringify({
        photo:
          '<<CUSTOM-TYPE-START-IDENTIFIER>>[{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]<<CUSTOM-TYPE-END-IDENTIFIER>>',
      }),
    );
  });

  it('is an input type only', () => {
    expect(() => signature('question -> photo: Image')).toThrow(SignatureError);
    expect(() => signature('question -> photos: list[Image]')).toThrow(SignatureError);
  });
});

describe('Image inputs on the wire', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  beforeEach(async () => {
    server = new FakeOpenAIServer({ reply: '[[ ## caption ## ]]\nA red pixel.\n\n[[ ## completed ## ]]' });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  it.each([
    ['non-streamed', (l: LM) => l],
    ['streamed', throughStream],
  ])('sends the image as an image_url part of the user message (%s)', async (_, wrap) => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL, apiKey: 'sk-test', cache: false });
    const out = await new Predict(Describe, { lm: wrap(lm) }).forward({
      photo: new Image(PNG_URI),
      question: 'What is it?',
    });
    expect(out.caption).toBe('A red pixel.');
    const sent = server.chatRequests[0].body.messages;
    expect(typeof sent[0].content).toBe('string');
    expect(sent[1].content).toEqual([
      { type: 'text', text: '[[ ## photo ## ]]\n' },
      { type: 'image_url', image_url: { url: PNG_URI } },
      {
        type: 'text',
        text:
          '\n\n[[ ## question ## ]]\nWhat is it?\n\nRespond with the corresponding output fields, starting with the ' +
          'field `[[ ## caption ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
      },
    ]);
  });

  it('caches image requests by their parts, and text-only requests under the same key as before', async () => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL, apiKey: 'sk-test', cache: { dir: false } });
    const predict = new Predict(Describe, { lm });
    await predict.forward({ photo: new Image('https://example.com/a.png'), question: 'q' });
    await predict.forward({ photo: new Image('https://example.com/a.png'), question: 'q' });
    await predict.forward({ photo: new Image('https://example.com/b.png'), question: 'q' });
    expect(server.chatRequests).toHaveLength(2);
    // The key of a text-only request is what it was before messages could hold parts.
    expect(
      chatRequestKey(
        'http://127.0.0.1/v1',
        'm',
        [{ role: 'user', content: 'hello' }],
        { temperature: 0 },
        undefined,
      ),
    ).toBe('656f7b241b86aa4834ee90ce51cba7f4ff7be585115002c477decbc7f7235585');
  });

  it('keeps images in demos, also after a save and load in DSPy format', () => {
    const predict = new Predict(Describe, { lm: new ScriptedLM([]) });
    predict.demos = [{ photo: new Image('https://example.com/cat.png'), question: 'q', caption: 'A cat.' }];
    const saved = JSON.parse(JSON.stringify(predict.dumpState()));
    expect(saved.demos[0].photo).toMatch(/^<<CUSTOM-TYPE-START-IDENTIFIER>>\[\{"type": "image_url"/);
    const loaded = new Predict(Describe).loadState(saved);
    const adapterMessages = (p: Predict) =>
      new ChatAdapter().format(p.signature, p.demos, { photo: new Image(PNG_URI), question: 'x' });
    expect(adapterMessages(loaded)).toEqual(adapterMessages(predict));
    expect(adapterMessages(loaded)[1].content?.[1]).toEqual({
      type: 'image_url',
      image_url: { url: 'https://example.com/cat.png' },
    });
  });
});
