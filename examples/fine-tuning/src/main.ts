/**
 * Fine-tuning with Sigil: BootstrapFinetune distils a program's own successful runs into a fine-tuned model,
 * then BetterTogether chains prompt optimization and fine-tuning ('p -> w'). Offline by default, against the
 * loopback FakeOpenAIServer from @sigil/testing (its "model" answers sums and misses 5 + 5 until it is
 * fine-tuned; its fine-tuning jobs finish after three polls). With OPENAI_API_KEY and SIGIL_FINETUNE_MODEL
 * (e.g. gpt-4.1-mini-2025-04-14) it runs against OpenAI — that costs money and takes a while.
 */
import { configure, Example, exactMatch, LM, Predict, Predictor, Program, signature } from '@sigil/core';
import {
  BetterTogether,
  BootstrapFewShot,
  BootstrapFinetune,
  betterTogetherOf,
  finetuneJobsOf,
} from '@sigil/optimize';
import { FakeOpenAIServer, type RecordedRequest } from '@sigil/testing';

class Solver extends Program<{ question: string }> {
  @Predictor() solve = new Predict(signature('question -> answer'));
  async forward({ question }: { question: string }) {
    return this.solve.forward({ question });
  }
}

const sums = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return Example.from({ question: `What is ${n} + ${n}?`, answer: String(2 * n) }).withInputs('question');
  });

/** The offline model: right, except about 5 + 5 — until it is fine-tuned. */
function fakeModel(request: RecordedRequest): string {
  const [, a, b] = /What is (\d+) \+ (\d+)\?/.exec(String(request.body.messages.at(-1).content)) ?? [];
  const sum = Number(a) + Number(b);
  const tuned = String(request.body.model).startsWith('ft:');
  return `[[ ## answer ## ]]\n${sum === 10 && !tuned ? 11 : sum}\n\n[[ ## completed ## ]]`;
}

async function main(): Promise<void> {
  const real = process.env.SIGIL_FINETUNE_MODEL?.trim();
  const server = real ? undefined : new FakeOpenAIServer({ reply: fakeModel, fineTuning: { polls: 3 } });
  const lm = real
    ? new LM(`openai/${real}`)
    : new LM('gpt-4o-mini', { baseURL: await server!.start(), apiKey: 'sk-fake', cache: false });
  configure({ lm });
  console.log(
    real ? `Fine-tuning ${real} on OpenAI.` : 'Offline: the loopback FakeOpenAIServer plays OpenAI.',
  );
  const metric = exactMatch('answer');
  const trainset = sums(1, 8);
  const valset = sums(1, 10);

  const finetune = new BootstrapFinetune({
    metric,
    outputDir: 'finetune-data',
    pollIntervalMs: real ? 20_000 : 10,
    journal: 'finetune-data/journal.jsonl',
    fresh: true,
  });
  finetune.on('finetune', (event) => {
    if (event.phase === 'file') console.log(`  training file ${event.file}`);
    if (event.phase === 'job') console.log(`  job ${event.jobId}${event.resumed ? ' (resumed)' : ''}`);
    if (event.phase === 'event') console.log(`  [${event.status}] ${event.message}`);
  });
  console.log('\nBootstrapFinetune');
  const tuned = await finetune.compile(new Solver(), { trainset });
  const [job] = finetuneJobsOf(tuned)!;
  console.log(`  → ${tuned.solve.lm?.model} (${job.status})`);
  console.log(`  5 + 5 = ${(await tuned.forward({ question: 'What is 5 + 5?' })).answer}`);

  console.log("\nBetterTogether 'p -> w'");
  const together = new BetterTogether({
    metric,
    strategy: 'p -> w',
    optimizers: {
      p: new BootstrapFewShot({ metric, maxBootstrappedDemos: 2 }),
      w: new BootstrapFinetune({ metric, outputDir: 'finetune-data', pollIntervalMs: real ? 20_000 : 10 }),
    },
  });
  const best = await together.compile(new Solver(), { trainset, valset });
  for (const { strategy, score } of betterTogetherOf(best)!.candidates) {
    console.log(`  ${(strategy || '(as given)').padEnd(10)} ${score?.toFixed(1)}%`);
  }
  await best.save('finetune-data/solver.json');
  console.log(`  best saved to finetune-data/solver.json (model ${best.solve.lm?.model})`);
  await server?.stop();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
