/**
 * Adapter benchmark (issue 2). Run: npx ts-node --transpile-only benchmarks/adapter.bench.ts
 *
 * One operation = `ChatAdapter.format` of a 2-input/2-output signature with 3 demos, plus `ChatAdapter.parse`
 * of a typical reply — what `Predict` does around every LM call. The adapter caches the system message,
 * demo messages and output requirements per signature, so after warm-up the per-call work is the final
 * user message and the parse. Reported: median µs per operation over samples of BATCH operations.
 * Target: ≤ 20 µs. Imports from source (ts-node does not read tsconfig paths). Output: JSON on stdout.
 */
import { cpus, totalmem } from 'node:os';
import { ChatAdapter, Input, Output, Signature, signatureOf } from '../packages/core/src';

@Signature('Answer the question from the context, and say how sure you are.')
class ContextQA {
  @Input({ desc: 'facts that may help' }) context!: string;
  @Input() question!: string;
  @Output({ desc: 'a short answer' }) answer!: string;
  @Output() confidence!: number;
}

/** `--quick` (CI smoke, via benchmarks/run.ts): fewer samples. */
const quick = process.argv.includes('--quick');
const WARMUP = quick ? 2_000 : 20_000;
const BATCH = 1_000;
const SAMPLES = quick ? 20 : 200;

const spec = signatureOf(ContextQA);
const adapter = new ChatAdapter();
const demos = [
  {
    context: 'Paris is the capital of France.',
    question: 'What is the capital of France?',
    answer: 'Paris',
    confidence: 0.98,
  },
  {
    context: 'Water boils at 100 °C at sea level.',
    question: 'At what temperature does water boil?',
    answer: '100 °C',
    confidence: 0.9,
  },
  {
    context: 'The Nile flows through eleven countries.',
    question: 'How many countries does the Nile cross?',
    answer: '11',
    confidence: 0.75,
  },
];
const inputs = { context: 'Mount Everest is 8,849 m tall.', question: 'How tall is Mount Everest?' };
const completion = '[[ ## answer ## ]]\n8,849 m\n\n[[ ## confidence ## ]]\n0.95\n\n[[ ## completed ## ]]';

let sink = 0;
function operation(): void {
  const messages = adapter.format(spec, demos, inputs);
  const outputs = adapter.parse(spec, completion);
  sink += messages.length + (outputs.confidence as number);
}

for (let i = 0; i < WARMUP; i++) operation();
const perOperation: number[] = [];
for (let s = 0; s < SAMPLES; s++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) operation();
  perOperation.push(Number(process.hrtime.bigint() - start) / 1e3 / BATCH);
}
perOperation.sort((a, b) => a - b);
const quantile = (q: number) =>
  perOperation[Math.min(perOperation.length - 1, Math.floor(q * perOperation.length))];

console.log(
  JSON.stringify(
    {
      benchmark: 'adapter format + parse (ChatAdapter, 2 inputs, 2 outputs, 3 demos)',
      median_us: Number(quantile(0.5).toFixed(2)),
      p10_us: Number(quantile(0.1).toFixed(2)),
      p90_us: Number(quantile(0.9).toFixed(2)),
      target_us: 20,
      samples: SAMPLES,
      operations_per_sample: BATCH,
      warmup_operations: WARMUP,
      machine: { cpus: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version },
      checksum: sink > 0,
    },
    null,
    2,
  ),
);
