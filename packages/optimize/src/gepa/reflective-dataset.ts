import { ChatAdapter, type Module, predictorsOf } from '@sigil/core';
import { pyRepr } from '@sigil/core/internal';
import type { OptimizerRun } from '../optimizer/run';
import type { PyRandom } from '../random/py-random';
import type { CandidateEvaluator, Evaluation, ExampleRun, TraceStep } from './evaluator';
import { pythonNumber, type ReflectiveRecord } from './reflection';
import { logWarning } from '@sigil/core/internal';

/** Raw replies that failed to parse are shown behind this sentence (as the reference words it). */
export const PARSE_FAILURE_OUTPUT =
  "Couldn't parse the output as per the expected output format. The model's raw response was:\n";
/** The feedback of a parse failure, followed by the signature's ChatAdapter messages. */
export const PARSE_FAILURE_FEEDBACK = 'Your output failed to parse. Follow this structure:\n';

/** The feedback text of a metric that gave none. */
export function scoreCaption(score: number): string {
  return `This trajectory got a score of ${pythonNumber(score, true)}.`;
}

/** What building a reflective dataset may warn about, once per run. */
export interface DatasetWarnings {
  scoreMismatch: boolean;
  sawFeedback: boolean;
}

/**
 * GEPA's reflective dataset for one component: per minibatch example of the parent's traced run, one call
 * of that predictor (a parse failure when there is one, otherwise one drawn with the adapter RNG), as a
 * record of its inputs, its outputs and the metric's feedback on that call. Examples where the predictor
 * did not run, or the whole program failed, give no record.
 */
export async function reflectiveRecords(options: {
  run: OptimizerRun;
  evaluator: CandidateEvaluator;
  program: Module;
  component: string;
  evaluation: Evaluation;
  ids: readonly number[];
  rng: PyRandom;
  includeFormatFailures: boolean;
  evalKeyOf: (id: number) => string;
  warnings: DatasetWarnings;
}): Promise<ReflectiveRecord[]> {
  const { run, evaluator, component, evaluation, ids, rng, includeFormatFailures, warnings } = options;
  const records: ReflectiveRecord[] = [];
  for (const id of ids) {
    const result = evaluation.runs.get(id);
    if (!result) continue;
    let entries = result.trace.filter((step) => step.predictor === component);
    if (!includeFormatFailures) entries = entries.filter((step) => !step.failed);
    if (entries.length === 0) continue;
    let selected = entries.find((step) => step.failed);
    if (!selected) {
      if (result.error !== undefined) continue;
      selected = rng.choice(entries);
    }
    const record: Record<string, unknown> = {
      Inputs: inputsOf(selected),
      'Generated Outputs': selected.failed
        ? `${PARSE_FAILURE_OUTPUT}\`\`\`\n${selected.completion ?? ''}\n\`\`\`\n\n`
        : Object.fromEntries(Object.entries(selected.outputs).map(([k, v]) => [k, textOf(v)])),
    };
    if (selected.failed) {
      record.Feedback = PARSE_FAILURE_FEEDBACK + structureOf(options.program, component);
    } else {
      const key = `${options.evalKeyOf(id)}:${component}`;
      const verdict = await run.memo('gepa-feedback', key, () =>
        evaluator.feedbackFor('train', id, result, component, [selected!]),
      );
      const { score, feedback } = verdict ?? { score: result.score };
      if (feedback) warnings.sawFeedback = true;
      if (score !== result.score && !warnings.scoreMismatch) {
        warnings.scoreMismatch = true;
        logWarning(
          'SIGIL_GEPA_SCORE_MISMATCH',
          `GEPA: the metric's score for predictor "${component}" (${score}) differs from its score for the whole ` +
            `program (${result.score}); GEPA keeps the program-level score and uses only the feedback text. ` +
            'Return the program-level score with per-predictor feedback.',
        );
      }
      record.Feedback = feedback ?? scoreCaption(result.score);
    }
    records.push(record);
  }
  return records;
}

/** The inputs of a call as text; a chat history (`{ messages }`) becomes a numbered `Context` block. */
function inputsOf(step: TraceStep): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const historyKey = Object.keys(step.inputs).find((key) => isHistory(step.inputs[key]));
  if (historyKey !== undefined) {
    const messages = (step.inputs[historyKey] as { messages: unknown[] }).messages;
    out.Context = `\`\`\`json\n${messages.map((m, i) => `  ${i}: ${textOf(m)}\n`).join('')}\`\`\``;
  }
  for (const [key, value] of Object.entries(step.inputs)) {
    if (key !== historyKey) out[key] = textOf(value);
  }
  return out;
}

function isHistory(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Array.isArray((value as { messages?: unknown }).messages) &&
    Object.keys(value).length === 1
  );
}

/** A value as Python's `str()` shows it: text as it is, anything else as its repr. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** The ChatAdapter messages of the component's signature with no demos or inputs, `role: content` per line. */
function structureOf(program: Module, component: string): string {
  const predictor = predictorsOf(program).find((p) => p.path === component);
  if (!predictor) return '';
  try {
    const messages = new ChatAdapter().format(predictor.instructions.signature, [], {});
    return messages.map((m) => `${m.role}: ${m.content}\n`).join('');
  } catch {
    return '';
  }
}

/** Whether the runs held any feedback text (the metric gives some). */
export function hasFeedback(runs: Iterable<ExampleRun>): boolean {
  for (const run of runs) if (run.feedback) return true;
  return false;
}
