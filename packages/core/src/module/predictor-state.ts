import type { Demo } from '../adapter/adapter';
import type { LanguageModel } from '../lm/types';
import { ProgramStateError } from '../persist/errors';
import type { ParameterHandle } from '../persist/parameter';
import type { SignatureSpec } from '../signature/signature-spec';

/** A field's text as DSPy saves it: its prefix and description (`${name}` when it has none). */
export interface FieldText {
  readonly prefix: string;
  readonly description?: string;
}

/** A handle on part of a predictor's state, with the predictor it belongs to. */
export interface PredictorHandle<T = unknown> extends ParameterHandle<T> {
  readonly predictor: string;
  /** The predictor's signature as it is now (its current instructions and field texts). */
  readonly signature: SignatureSpec<any, any>;
  /** The predictor itself, to recognise its calls in a trace; not for writing its fields. */
  readonly owner: object;
  /** LM calls the predictor makes per call of its program: expected, and at most (for estimates). */
  readonly calls: { readonly expected: number; readonly max: number };
}

/** What the handles of a predictor need from it (Predict implements it). */
export interface PredictorState {
  signature: SignatureSpec<any, any>;
  demos: Demo[];
  lm?: LanguageModel;
  readonly initialSignature: SignatureSpec<any, any>;
  /** LM calls per call of its program, when a module that owns it calls it more than once (ReAct). */
  readonly callsPerForward?: { readonly expected: number; readonly max: number };
  readonly maxRetries?: number;
  /** When the prompt's instructions wrap the learnable ones (ReAct): how to render and read them back. */
  readonly instructionTemplate?: { render(task: string): string; extract(text: string): string | undefined };
  /** Set when instructions were given in a form the template did not render: sent as they are. */
  instructionsVerbatim?: boolean;
}

/** Keys DSPy writes into demos that are not signature fields. */
const DEMO_META_KEYS = new Set(['augmented', 'dspy_uuid', 'dspy_split']);

function invalid(message: string, path: string): never {
  throw new ProgramStateError(`Predictor "${path}": ${message}`, { path });
}

/**
 * The handles of one predictor, in the order its saved entry lists them (`demos`, then the signature's
 * `instructions` and `fields`, then `lm`).
 */
export function predictorHandles(state: PredictorState, path: string): PredictorHandle[] {
  const common = (kind: string, slot: readonly string[], learnable = true) => ({
    key: `${path}:${kind}`,
    path,
    kind,
    learnable,
    predictor: path,
    slot,
    owner: state,
    get signature() {
      return state.signature;
    },
    get calls() {
      // Each call may be re-asked with feedback (maxRetries, default 2) and once through JSONAdapter.
      const perCall = 1 + (state.maxRetries ?? 2) + 1;
      const own = state.callsPerForward ?? { expected: 1, max: 1 };
      return { expected: own.expected, max: own.max * perCall };
    },
  });

  const demos: PredictorHandle<readonly Demo[]> = {
    ...common('demos', ['demos']),
    get: () => state.demos,
    set: (value) => {
      state.demos = checkDemoList(value, path).map((demo) => Object.freeze({ ...demo }));
    },
    reset: () => {
      state.demos = [];
    },
    encode: (value = state.demos) => value.map((demo) => JSON.parse(JSON.stringify(demo)) as Demo),
    decode: (json) => decodeDemos(json, state.signature, path),
  };

  const instructions: PredictorHandle<string> = {
    ...common('instructions', ['signature', 'instructions']),
    get: () => state.signature.instructions,
    set: (value) => {
      if (typeof value !== 'string') invalid(`instructions must be a string, got ${typeof value}`, path);
      // With a template (ReAct), full instructions in its form set the task part; another form is kept verbatim.
      const task = state.instructionTemplate ? state.instructionTemplate.extract(value) : value;
      if (state.instructionTemplate) state.instructionsVerbatim = task === undefined;
      state.signature = state.signature.withInstructions(task ?? value);
    },
    reset: () => {
      if (state.instructionTemplate) state.instructionsVerbatim = false;
      state.signature = state.signature.withInstructions(state.initialSignature.instructions);
    },
    // A saved file carries the instructions as the prompt has them (DSPy's bytes for ReAct's scaffold).
    encode: (value = state.signature.instructions) =>
      state.instructionTemplate && !state.instructionsVerbatim
        ? state.instructionTemplate.render(value)
        : value,
    decode: (json) => {
      if (typeof json !== 'string') invalid('signature.instructions must be a string', path);
      return json as string;
    },
  };

  const fields: PredictorHandle<readonly FieldText[]> = {
    ...common('fields', ['signature', 'fields']),
    get: () => state.signature.fields.map((f) => ({ prefix: f.prefix, description: f.desc })),
    set: (value) => {
      const texts = checkFieldTexts(value, state.signature, path);
      let signature = state.signature;
      signature.fields.forEach((field, i) => {
        const { prefix, description } = texts[i];
        if (prefix !== field.prefix || description !== field.desc)
          signature = signature.withField(field.name, { prefix, desc: description });
      });
      state.signature = signature;
    },
    reset: () =>
      fields.set(state.initialSignature.fields.map((f) => ({ prefix: f.prefix, description: f.desc }))),
    encode: (value = fields.get()) =>
      value.map((text, i) => ({
        prefix: text.prefix,
        description: text.description ?? `\${${state.signature.fields[i]?.name}}`,
      })),
    decode: (json) => {
      if (!Array.isArray(json)) invalid('signature.fields must be a list', path);
      const list = json as unknown[];
      const current = state.signature.fields;
      if (list.length !== current.length) {
        invalid(
          `the saved signature has ${list.length} fields but ${state.signature.name} has ${current.length} ` +
            `(${current.map((f) => f.name).join(', ')})`,
          path,
        );
      }
      return current.map((field, i) => {
        const saved = list[i] as { prefix?: unknown; description?: unknown };
        if (saved === null || typeof saved !== 'object') invalid(`field ${i} must be an object`, path);
        // DSPy's placeholder for "no description" is `${name}`.
        const description =
          typeof saved.description === 'string' && saved.description !== `\${${field.name}}`
            ? saved.description
            : undefined;
        return { prefix: typeof saved.prefix === 'string' ? saved.prefix : field.prefix, description };
      });
    },
  };

  const lm: PredictorHandle<LanguageModel | undefined> = {
    ...common('lm', ['lm'], false),
    get: () => state.lm,
    set: (value) => {
      state.lm = value;
    },
    reset: () => undefined,
    encode: (value = state.lm) => (value ? { model: value.model } : null),
    // A saved program names the LM it ran with; it does not rebind one (keys and endpoints are not saved).
    decode: () => state.lm,
  };

  return [demos, instructions, fields, lm] as PredictorHandle[];
}

function checkDemoList(value: unknown, path: string): readonly Demo[] {
  if (!Array.isArray(value)) invalid(`demos must be an array, got ${typeof value}`, path);
  (value as unknown[]).forEach((demo, i) => {
    if (demo === null || typeof demo !== 'object' || Array.isArray(demo))
      invalid(`demo ${i} must be an object of field values`, path);
  });
  return value as readonly Demo[];
}

function checkFieldTexts(
  value: unknown,
  signature: SignatureSpec<any, any>,
  path: string,
): readonly FieldText[] {
  if (!Array.isArray(value) || value.length !== signature.fields.length) {
    invalid(`fields must be a list of ${signature.fields.length} { prefix, description } entries`, path);
  }
  return value as readonly FieldText[];
}

function decodeDemos(json: unknown, signature: SignatureSpec<any, any>, path: string): readonly Demo[] {
  if (!Array.isArray(json)) invalid('"demos" must be an array', path);
  return (json as unknown[]).map((demo, i) => {
    if (demo === null || typeof demo !== 'object' || Array.isArray(demo))
      invalid(`demo ${i} must be an object of field values`, path);
    // A labelled training example (not `augmented`) is shared by every predictor of the program, as in
    // DSPy, so it may carry fields of other predictors (ReAct's `answer` on its `react` step); the adapter
    // skips those. It must still hold one of this signature's fields. Bootstrapped demos are exact traces.
    const record = demo as Record<string, unknown>;
    const labelled = record.augmented !== true;
    if (labelled && !signature.fields.some((f) => f.name in record)) {
      invalid(
        `demo ${i} has none of the fields of signature ${signature.name} ` +
          `(${signature.fields.map((f) => f.name).join(', ')})`,
        path,
      );
    }
    for (const key of labelled ? [] : Object.keys(record)) {
      if (!DEMO_META_KEYS.has(key) && !signature.field(key)) {
        invalid(
          `demo ${i} has field "${key}", which signature ${signature.name} lacks ` +
            `(fields: ${signature.fields.map((f) => f.name).join(', ')})`,
          path,
        );
      }
    }
    return Object.freeze({ ...record });
  });
}
