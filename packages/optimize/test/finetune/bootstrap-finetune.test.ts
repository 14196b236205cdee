import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { ChatAdapter, context, LM, Predict, Predictor, Program, signatureOf } from '@sigil/core';
import { FakeOpenAIServer } from '@sigil/testing';
import { type FinetuneEvent, FinetuneError, finetuneJobsOf, OptimizerError, reportOf } from '@sigil/optimize';
import { fakeLM, finetuner, qa, Solver, sumReply, sums } from '../support/finetune-task';

const root = path.resolve(__dirname, '../../../..');
const temp = () => mkdtempSync(path.join(tmpdir(), 'sigil-finetune-'));

/** The training line a chat request of the teacher should have become: its messages, then the reply. */
function expectedLine(request: { body: any }, reply: string): string {
  const messages = request.body.messages.map(({ role, content }: any) => ({ role, content }));
  return JSON.stringify({ messages: [...messages, { role: 'assistant', content: reply }] });
}

function sortedLines(text: string): string[] {
  return text.split('\n').filter(Boolean).sort();
}

describe('BootstrapFinetune against the fake fine-tuning API', () => {
  let server: FakeOpenAIServer;
  let baseURL: string;

  beforeEach(async () => {
    server = new FakeOpenAIServer({ reply: sumReply, fineTuning: { polls: 3 } });
    baseURL = await server.start();
  });
  afterEach(() => server.stop());

  it('trains on the runs the metric accepts, polls the job with progress, and binds the fine-tuned model', async () => {
    const lm = fakeLM(baseURL);
    const outputDir = temp();
    const optimizer = finetuner({ outputDir });
    const events: FinetuneEvent[] = [];
    optimizer.on('finetune', (event) => events.push(event));
    const tuned = await context({ lm }, () => optimizer.compile(new Solver(), { trainset: sums() }));

    // The file holds exactly the teacher's requests (bytes as the adapter sent them) for the 5 kept runs.
    const teacherCalls = server.chatRequests.filter((r) => !/5 \+ 5/.test(JSON.stringify(r.body)));
    expect(teacherCalls).toHaveLength(5);
    const [upload] = server.files.uploaded;
    expect(server.files.uploaded).toHaveLength(1);
    expect(upload.purpose).toBe('fine-tune');
    const expected = teacherCalls.map((r) =>
      expectedLine(r, `[[ ## answer ## ]]\n${sumReply(r).split('\n')[1]}\n\n[[ ## completed ## ]]\n`),
    );
    expect(sortedLines(upload.bytes.toString('utf8'))).toEqual([...expected].sort());
    expect(upload.bytes.toString('utf8').endsWith('\n')).toBe(true);
    const [record] = finetuneJobsOf(tuned)!;
    expect(readFileSync(record.file).equals(upload.bytes)).toBe(true);
    expect(path.dirname(record.file)).toBe(outputDir);

    // The same line, built from the adapter directly.
    const adapter = new ChatAdapter();
    const line = adapter.formatFinetuneData(
      signatureOf(qa),
      [],
      { question: 'What is 1 + 1?' },
      { answer: '2' },
    );
    expect(sortedLines(upload.bytes.toString('utf8'))).toContain(JSON.stringify(line));

    // One job on the base model, polled to the end, every provider event passed on in order.
    expect(server.fineTuning.jobs).toHaveLength(1);
    const job = server.fineTuning.jobs[0];
    expect(job.model).toBe('gpt-4o-mini');
    expect(events.filter((e) => e.phase === 'poll').map((e) => e.status)).toEqual([
      'running',
      'running',
      'succeeded',
    ]);
    const messages = events.filter((e) => e.phase === 'event').map((e) => e.message);
    expect(messages).toEqual(job.events.map((e) => e.message));
    expect(messages).toContain('Step 1/2: training loss=0.500');
    expect(events.find((e) => e.phase === 'done')).toMatchObject({
      jobId: job.id,
      model: job.fineTunedModel,
    });

    // The returned program calls the fine-tuned model; the given one is unchanged; the saved file names it.
    expect(record).toMatchObject({
      jobId: job.id,
      fileId: upload.id,
      status: 'succeeded',
      predictors: ['solve'],
    });
    const model = `ft:gpt-4o-mini:sigil-fake::${job.id.slice(-6)}`;
    expect(tuned.solve.lm?.model).toBe(model);
    expect(tuned.solve.lm).toBeInstanceOf(LM);
    await tuned.forward({ question: 'What is 7 + 7?' });
    expect(server.chatRequests.at(-1)!.body.model).toBe(model);
    expect(server.chatRequests.at(-1)!.headers.authorization).toBe('Bearer sk-test');
    expect((tuned.dumpState() as any).solve.lm).toEqual({ model });
    expect(reportOf(tuned)?.steps.map((s) => s.name)).toEqual(['bootstrap traces', 'fine-tune solve']);
  });

  it('writes one file and job per predictor, or one per shared LM with multitask', async () => {
    class TwoSteps extends Program<{ question: string }> {
      @Predictor() first = new Predict(qa);
      @Predictor() second = new Predict(qa);
      async forward({ question }: { question: string }) {
        await this.first.forward({ question });
        return this.second.forward({ question });
      }
    }
    const lm = fakeLM(baseURL);
    const perPredictor = await context({ lm }, () =>
      finetuner({ outputDir: temp() }).compile(new TwoSteps(), { trainset: sums() }),
    );
    expect(finetuneJobsOf(perPredictor)!.map((r) => r.predictors)).toEqual([['first'], ['second']]);
    expect(server.files.uploaded.map((f) => sortedLines(f.bytes.toString()).length)).toEqual([5, 5]);
    expect(perPredictor.first.lm?.model).not.toBe(perPredictor.second.lm?.model);

    const multitask = await context({ lm }, () =>
      finetuner({ outputDir: temp(), multitask: true }).compile(new TwoSteps(), { trainset: sums() }),
    );
    expect(finetuneJobsOf(multitask)!.map((r) => [r.key, r.predictors])).toEqual([
      ['lm:gpt-4o-mini', ['first', 'second']],
    ]);
    expect(sortedLines(server.files.uploaded[2].bytes.toString())).toHaveLength(10);
    expect(multitask.first.lm?.model).toBe(multitask.second.lm?.model);
  });

  it('in a dry run writes the training files and uploads nothing', async () => {
    const outputDir = temp();
    const program = new Solver();
    const exported = await context({ lm: fakeLM(baseURL) }, () =>
      finetuner({ outputDir, dryRun: true }).compile(program, { trainset: sums() }),
    );
    const [record] = finetuneJobsOf(exported)!;
    expect(record).toEqual({ key: 'solve', predictors: ['solve'], file: record.file, status: 'exported' });
    expect(sortedLines(readFileSync(record.file, 'utf8'))).toHaveLength(5);
    expect(server.files.uploaded).toHaveLength(0);
    expect(server.fineTuning.jobs).toHaveLength(0);
    expect(exported.solve.lm).toBeUndefined();
  });

  it('turns a failed or cancelled job into a FinetuneError naming the job', async () => {
    const lm = fakeLM(baseURL);
    server.fineTuning.setPlan({
      polls: 2,
      outcome: 'failed',
      error: { code: 'quota_exceeded', message: 'No quota left.' },
    });
    const failed = await context({ lm }, () =>
      finetuner({ outputDir: temp() }).compile(new Solver(), { trainset: sums() }),
    ).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(FinetuneError);
    expect(failed).toMatchObject({
      code: 'FINETUNE_JOB_FAILED',
      jobId: 'ftjob-000001',
      reason: { code: 'quota_exceeded', message: 'No quota left.' },
    });
    expect((failed as Error).message).toMatch(/ftjob-000001.*No quota left\. \(quota_exceeded\)/);

    server.fineTuning.setPlan({ polls: 1, outcome: 'cancelled' });
    await expect(
      context({ lm }, () => finetuner({ outputDir: temp() }).compile(new Solver(), { trainset: sums() })),
    ).rejects.toMatchObject({ code: 'FINETUNE_JOB_CANCELLED', jobId: 'ftjob-000002' });
  });

  it('refuses to fine-tune when no run passed the metric, or when there is no LM', async () => {
    await expect(
      context({ lm: fakeLM(baseURL) }, () =>
        finetuner({ outputDir: temp(), metric: () => false }).compile(new Solver(), { trainset: sums() }),
      ),
    ).rejects.toMatchObject({ code: 'FINETUNE_NO_DATA', predictors: ['solve'] });
    await expect(finetuner({}).compile(new Solver(), { trainset: sums() })).rejects.toBeInstanceOf(
      OptimizerError,
    );
    expect(server.files.uploaded).toHaveLength(0);
  });

  it('reaches an OpenAI-compatible endpoint through a client it is given', async () => {
    const other = new FakeOpenAIServer({ fineTuning: { polls: 1, fineTunedModel: 'tuned-by-proxy' } });
    const client = new OpenAI({ baseURL: await other.start(), apiKey: 'sk-proxy' });
    try {
      const tuned = await context({ lm: fakeLM(baseURL) }, () =>
        finetuner({ outputDir: temp(), client, baseModel: 'meta-llama/Llama-3-8B' }).compile(new Solver(), {
          trainset: sums(),
        }),
      );
      expect(other.fineTuning.jobs[0].model).toBe('meta-llama/Llama-3-8B');
      expect(server.files.uploaded).toHaveLength(0);
      expect(tuned.solve.lm?.model).toBe('tuned-by-proxy');
    } finally {
      await other.stop();
    }
  });

  it('resumes polling the submitted job after a SIGKILL, with no second upload or job', async () => {
    server.fineTuning.setPlan({ polls: Infinity });
    const dir = temp();
    const journal = path.join(dir, 'journal.jsonl');
    const child = fork(path.join(__dirname, '../support/finetune-child.ts'), [baseURL, journal, dir], {
      execArgv: [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        path.join(__dirname, '../support/aliases.ts'),
      ],
      env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.test.json') },
      stdio: 'inherit',
    });
    const signal = await new Promise((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(signal).toBe('SIGKILL');
    expect(server.files.uploaded).toHaveLength(1);
    expect(server.fineTuning.jobs).toHaveLength(1);
    const job = server.fineTuning.jobs[0];
    expect(job.status).toBe('running');
    const teacherCalls = server.chatRequests.length;
    job.plan = { polls: job.polls + 2 };

    const optimizer = finetuner({ journal, outputDir: dir, resume: true });
    const events: FinetuneEvent[] = [];
    optimizer.on('finetune', (event) => events.push(event));
    const tuned = await context({ lm: fakeLM(baseURL) }, () =>
      optimizer.compile(new Solver(), { trainset: sums() }),
    );
    expect(server.files.uploaded).toHaveLength(1);
    expect(server.fineTuning.jobs).toHaveLength(1);
    expect(server.chatRequests).toHaveLength(teacherCalls);
    expect(events.find((e) => e.phase === 'upload')).toMatchObject({
      resumed: true,
      fileId: server.files.uploaded[0].id,
    });
    expect(events.find((e) => e.phase === 'job')).toMatchObject({ resumed: true, jobId: job.id });
    expect(tuned.solve.lm?.model).toBe(job.fineTunedModel);
  }, 60_000);
});
