/**
 * What travels between a coordinator and its workers, as BullMQ job data and return values: plain JSON.
 * Examples go as their fields and input keys, the candidate as a saved-program patch (DSPy's format), and
 * each example comes back as its outputs, score and — when it failed — its error, revived on the
 * coordinator into the same error family and code so the evaluation's failure policies apply unchanged.
 */
import {
  ConfigurationError,
  Example,
  LMError,
  MetricError,
  Prediction,
  SigilError,
  type EvaluationResult,
  type StatePatch,
  type Usage,
} from '@sigil/core';

/** Version of the job format; a worker refuses jobs of another. */
export const PROTOCOL_VERSION = 1;

/** One example of a batch. */
export interface ExampleJSON {
  index: number;
  fields: Record<string, unknown>;
  inputs: string[];
}

/** The data of one evaluation job. */
export interface EvaluationJob {
  protocol: number;
  /** Which task version made the job (see `taskFingerprint`). */
  fingerprint: string;
  task: string;
  /** The candidate: the learnable state of the program, as a saved-program patch. */
  state: StatePatch;
  failureScore: number;
  examples: ExampleJSON[];
}

/** An error, as JSON. */
export interface ErrorJSON {
  name: string;
  message: string;
  code?: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
}

/** One LM call a worker made for the batch, for the coordinator's budget and meters. */
export interface CallRecord {
  cached?: boolean;
  failed?: boolean;
  usage?: Usage;
  cost?: number;
  model?: string;
}

/** One example's outcome. */
export interface ResultJSON {
  index: number;
  score: number;
  outputs: Record<string, unknown>;
  usage: Usage;
  cost: number;
  feedback?: string;
  error?: ErrorJSON;
  failure?: 'lm' | 'program' | 'metric';
}

/** What a worker returns for a job. */
export interface EvaluationJobResult {
  worker: string;
  results: ResultJSON[];
  calls: CallRecord[];
}

export function exampleToJSON(index: number, example: Example<any, any>): ExampleJSON {
  return { index, fields: example.toJSON() as Record<string, unknown>, inputs: [...example.inputKeys] };
}

export function exampleFromJSON(json: ExampleJSON): Example<any, any> {
  return Example.from(json.fields).withInputs(...json.inputs);
}

export function resultToJSON(result: EvaluationResult<any, any>, index: number): ResultJSON {
  const out: ResultJSON = {
    index,
    score: result.score,
    outputs: result.prediction.toJSON() as Record<string, unknown>,
    usage: { ...result.prediction.usage },
    cost: result.prediction.cost,
  };
  if (result.feedback !== undefined) out.feedback = result.feedback;
  if (result.error !== undefined) out.error = errorToJSON(result.error);
  if (result.failure !== undefined) out.failure = result.failure;
  return out;
}

export function resultFromJSON(json: ResultJSON, example: Example<any, any>): EvaluationResult<any, any> {
  const result: EvaluationResult<any, any> = {
    index: json.index,
    example,
    prediction: Prediction.from(json.outputs, { usage: json.usage, cost: json.cost }),
    score: json.score,
  };
  if (json.feedback !== undefined) result.feedback = json.feedback;
  if (json.error !== undefined) result.error = reviveError(json.error);
  if (json.failure !== undefined) result.failure = json.failure;
  return result;
}

export function errorToJSON(error: unknown): ErrorJSON {
  if (SigilError.isInstance(error)) {
    const { name: _name, message: _message, code: _code, retryable: _retryable, ...details } = error.toJSON();
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      retryable: error.retryable,
      details: JSON.parse(
        JSON.stringify(details, (_key, value: unknown) => (value instanceof Error ? String(value) : value)),
      ),
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/**
 * The error a worker reported, as the coordinator sees it: an `LMError`, `MetricError` or
 * `ConfigurationError` (by its code) or a `SigilError`, with the worker's class name, code and message.
 */
export function reviveError(json: ErrorJSON): Error {
  const code = json.code;
  const details = json.details ?? {};
  let error: Error;
  if (code === undefined) error = new Error(json.message);
  else if (code.startsWith('LM_')) {
    error = new LMError(json.message, {
      code,
      retryable: json.retryable,
      model: String(details.model ?? ''),
      endpoint: String(details.endpoint ?? ''),
      status: typeof details.status === 'number' ? details.status : undefined,
      providerCode: typeof details.providerCode === 'string' ? details.providerCode : undefined,
    });
  } else if (code === 'METRIC') error = new MetricError(json.message, { code });
  else if (code === 'NO_LM' || code === 'CONFIGURATION' || code === 'MODULE_DEFINITION')
    error = new ConfigurationError(json.message, { code });
  else error = new SigilError(json.message, { code, retryable: json.retryable });
  error.name = json.name;
  return error;
}
