import OpenAI, { toFile } from 'openai';
import { FakeOpenAIServer } from '@sigil/testing';

const line = `${JSON.stringify({
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello' },
  ],
})}\n`;

describe('FakeOpenAIServer files and fine-tuning endpoints', () => {
  let server: FakeOpenAIServer;
  let client: OpenAI;

  beforeEach(async () => {
    server = new FakeOpenAIServer({ fineTuning: { polls: 3 } });
    client = new OpenAI({ baseURL: await server.start(), apiKey: 'sk-test', maxRetries: 0 });
  });
  afterEach(() => server.stop());

  it('keeps an uploaded file byte for byte and serves it back', async () => {
    const bytes = Buffer.from(`${line}${line.replace('Hello', 'Grüße')}`, 'utf8');
    const file = await client.files.create({
      file: await toFile(bytes, 'train.jsonl'),
      purpose: 'fine-tune',
    });
    expect(file).toMatchObject({
      object: 'file',
      filename: 'train.jsonl',
      purpose: 'fine-tune',
      bytes: bytes.length,
    });
    expect(server.files.get(file.id)?.bytes.equals(bytes)).toBe(true);
    const content = Buffer.from(await (await client.files.content(file.id)).arrayBuffer());
    expect(content.equals(bytes)).toBe(true);
    await client.files.delete(file.id);
    await expect(client.files.retrieve(file.id)).rejects.toMatchObject({ status: 404 });
  });

  it('runs a job through its polls to a fine-tuned model, with events newest first', async () => {
    const file = await client.files.create({
      file: await toFile(Buffer.from(line), 't.jsonl'),
      purpose: 'fine-tune',
    });
    const job = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id });
    expect(job.status).toBe('validating_files');
    expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe('running');
    expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe('running');
    const done = await client.fineTuning.jobs.retrieve(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.fine_tuned_model).toBe(`ft:gpt-4o-mini:sigil-fake::${job.id.slice(-6)}`);
    const page = await client.fineTuning.jobs.listEvents(job.id, { limit: 2 });
    expect(page.data.map((event) => event.message)).toEqual([
      'The job has successfully completed',
      `New fine-tuned model created: ${done.fine_tuned_model}`,
    ]);
    const older = await client.fineTuning.jobs.listEvents(job.id, { after: page.data[1].id, limit: 1 });
    expect(older.data[0].message).toBe('Step 2/2: training loss=0.333');
  });

  it('fails a job as planned, and fails one whose training data is not chat data', async () => {
    server.fineTuning.setPlan({
      polls: 1,
      outcome: 'failed',
      error: { code: 'quota', message: 'No quota.' },
    });
    const good = await client.files.create({
      file: await toFile(Buffer.from(line), 'a.jsonl'),
      purpose: 'fine-tune',
    });
    const failed = await client.fineTuning.jobs.create({ model: 'm', training_file: good.id });
    expect(await client.fineTuning.jobs.retrieve(failed.id)).toMatchObject({
      status: 'failed',
      error: { code: 'quota', message: 'No quota.' },
    });
    server.fineTuning.setPlan({});
    const bad = await client.files.create({
      file: await toFile(Buffer.from('{"prompt":"x"}\n'), 'b.jsonl'),
      purpose: 'fine-tune',
    });
    const rejected = await client.fineTuning.jobs.create({ model: 'm', training_file: bad.id });
    expect(await client.fineTuning.jobs.retrieve(rejected.id)).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_training_file', message: 'Line 1 has no "messages" list.' },
    });
  });

  it('cancels a running job and refuses a job for an unknown file', async () => {
    server.fineTuning.setPlan({ polls: Infinity });
    const file = await client.files.create({
      file: await toFile(Buffer.from(line), 'c.jsonl'),
      purpose: 'fine-tune',
    });
    const job = await client.fineTuning.jobs.create({ model: 'm', training_file: file.id });
    expect((await client.fineTuning.jobs.cancel(job.id)).status).toBe('cancelled');
    await expect(
      client.fineTuning.jobs.create({ model: 'm', training_file: 'file-nope' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'invalid_training_file',
    });
  });
});
