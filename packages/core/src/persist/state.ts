import type { Demo } from '../adapter/adapter';
import type { LanguageModel } from '../lm/types';
import type { Module, Parameter } from '../module/module';
import type { SignatureSpec } from '../signature/signature-spec';
import { SIGIL_VERSION } from '../version';
import { ProgramStateError } from './errors';

/** One predictor's state, in DSPy's saved-program format. */
export interface SavedPredictor {
  traces: unknown[];
  train: unknown[];
  demos: Record<string, unknown>[];
  signature: { instructions: string; fields: { prefix: string; description: string }[] };
  lm: Record<string, unknown> | null;
}

/** A whole saved program: one entry per predictor path plus `metadata` (Sigil's params live in `metadata.sigil`). */
export type SavedProgram = Record<string, unknown> & {
  metadata: { dependency_versions: Record<string, string>; sigil?: { params: Record<string, unknown> } };
};

interface PredictorState {
  signature: SignatureSpec<any, any>;
  demos: Demo[];
  lm?: LanguageModel;
}

/** Keys DSPy writes into demos that are not signature fields. */
const DEMO_META_KEYS = new Set(['augmented', 'dspy_uuid', 'dspy_split']);

/** The learnable state of a program as DSPy's JSON (a lone Predict is saved flat, as DSPy does). */
export function dumpState(program: Module): SavedProgram {
  const predictors = program.namedPredictors();
  const out: Record<string, unknown> = {};
  if (predictors.length === 1 && predictors[0][0] === 'self') {
    Object.assign(out, dumpPredictor(predictors[0][1] as unknown as PredictorState));
  } else {
    for (const [path, predictor] of predictors)
      out[path] = dumpPredictor(predictor as unknown as PredictorState);
  }
  const params: Record<string, unknown> = {};
  for (const p of program.parameters()) if (p.kind === 'param') params[p.path] = (p.owner as any)[p.property];
  const metadata: SavedProgram['metadata'] = { dependency_versions: { sigil: SIGIL_VERSION } };
  if (Object.keys(params).length > 0) metadata.sigil = { params };
  out.metadata = metadata;
  return out as SavedProgram;
}

function dumpPredictor(p: PredictorState): SavedPredictor {
  return {
    traces: [],
    train: [],
    demos: p.demos.map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>),
    signature: {
      instructions: p.signature.instructions,
      fields: p.signature.fields.map((f) => ({ prefix: f.prefix, description: f.desc ?? `\${${f.name}}` })),
    },
    lm: p.lm ? { model: p.lm.model } : null,
  };
}

/**
 * Checks `state` against the program and applies it: instructions, field prefixes and descriptions, demos
 * and `@Param` values. All checks run before anything changes, so a bad file leaves the program as it was.
 */
export function loadState(program: Module, state: unknown, file?: string): void {
  const where = file ? ` in ${file}` : '';
  const fail = (message: string, path?: string): never => {
    throw new ProgramStateError(`${message}${where}.`, { file, path });
  };
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    fail('A saved program must be a JSON object keyed by predictor path');
  }
  const saved = state as Record<string, unknown>;
  const predictors = program.namedPredictors();
  const flat = predictors.length === 1 && predictors[0][0] === 'self' && 'signature' in saved;
  const known = new Set(predictors.map(([path]) => path));
  if (!flat) {
    for (const key of Object.keys(saved)) {
      if (key === 'metadata' || known.has(key)) continue;
      fail(
        `Saved program has predictor "${key}", which this program (${program.constructor.name}) does not have; ` +
          `its predictors are ${[...known].map((k) => `"${k}"`).join(', ')}`,
        key,
      );
    }
  }
  const updates: [PredictorState, SignatureSpec<any, any>, Demo[]][] = [];
  for (const [path, predictor] of predictors) {
    const entry = flat ? saved : saved[path];
    if (entry === undefined) {
      fail(`Saved program has no state for predictor "${path}" of ${program.constructor.name}`, path);
    }
    const p = predictor as unknown as PredictorState;
    updates.push([p, ...checkPredictor(entry, p.signature, path, fail)]);
  }
  const paramUpdates = checkParams(program.parameters(), saved.metadata, fail);
  for (const [p, signature, demos] of updates) {
    p.signature = signature;
    p.demos = demos;
  }
  for (const [param, value] of paramUpdates) (param.owner as any)[param.property] = value;
}

function checkPredictor(
  entry: unknown,
  current: SignatureSpec<any, any>,
  path: string,
  fail: (message: string, path?: string) => never,
): [SignatureSpec<any, any>, Demo[]] {
  if (entry === null || typeof entry !== 'object') fail(`Predictor "${path}": state must be an object`, path);
  const e = entry as Partial<SavedPredictor>;
  let signature = current;
  if (e.signature !== undefined) {
    const s = e.signature;
    if (typeof s !== 'object' || s === null) fail(`Predictor "${path}": "signature" must be an object`, path);
    if (s.instructions !== undefined) {
      if (typeof s.instructions !== 'string')
        fail(`Predictor "${path}": signature.instructions must be a string`, path);
      signature = signature.withInstructions(s.instructions);
    }
    if (s.fields !== undefined) {
      if (!Array.isArray(s.fields) || s.fields.length !== current.fields.length) {
        fail(
          `Predictor "${path}": the saved signature has ${Array.isArray(s.fields) ? s.fields.length : 'no list of'} fields but ` +
            `${current.name} has ${current.fields.length} (${current.fields.map((f) => f.name).join(', ')})`,
          path,
        );
      }
      current.fields.forEach((field, i) => {
        const saved = s.fields![i] as { prefix?: unknown; description?: unknown };
        if (saved === null || typeof saved !== 'object')
          fail(`Predictor "${path}": field ${i} must be an object`, path);
        const desc =
          typeof saved.description === 'string' && saved.description !== `\${${field.name}}`
            ? saved.description
            : undefined;
        const prefix = typeof saved.prefix === 'string' ? saved.prefix : field.prefix;
        if (desc !== field.desc || prefix !== field.prefix)
          signature = signature.withField(field.name, { desc, prefix });
      });
    }
  }
  const demos: Demo[] = [];
  if (e.demos !== undefined) {
    if (!Array.isArray(e.demos)) fail(`Predictor "${path}": "demos" must be an array`, path);
    e.demos.forEach((demo, i) => {
      if (demo === null || typeof demo !== 'object' || Array.isArray(demo)) {
        fail(`Predictor "${path}": demo ${i} must be an object of field values`, path);
      }
      // A labelled training example (not `augmented`) is shared by every predictor of the program, as in
      // DSPy, so it may carry fields of other predictors (ReAct's `answer` on its `react` step); the adapter
      // skips those. It must still hold one of this signature's fields. Bootstrapped demos are exact traces.
      const record = demo as Record<string, unknown>;
      const labelled = record.augmented !== true;
      if (labelled && !current.fields.some((f) => f.name in record)) {
        fail(
          `Predictor "${path}": demo ${i} has none of the fields of signature ${current.name} ` +
            `(${current.fields.map((f) => f.name).join(', ')})`,
          path,
        );
      }
      for (const key of labelled ? [] : Object.keys(demo)) {
        if (!DEMO_META_KEYS.has(key) && !current.field(key)) {
          fail(
            `Predictor "${path}": demo ${i} has field "${key}", which signature ${current.name} lacks ` +
              `(fields: ${current.fields.map((f) => f.name).join(', ')})`,
            path,
          );
        }
      }
      demos.push(Object.freeze({ ...demo }));
    });
  }
  return [signature, demos];
}

function checkParams(
  parameters: Parameter[],
  metadata: unknown,
  fail: (message: string, path?: string) => never,
): [Extract<Parameter, { kind: 'param' }>, unknown][] {
  const saved = (metadata as { sigil?: { params?: Record<string, unknown> } } | undefined)?.sigil?.params;
  if (!saved) return [];
  const byPath = new Map<string, Extract<Parameter, { kind: 'param' }>>();
  for (const p of parameters) if (p.kind === 'param') byPath.set(p.path, p);
  const out: [Extract<Parameter, { kind: 'param' }>, unknown][] = [];
  for (const [path, value] of Object.entries(saved)) {
    const param = byPath.get(path);
    if (!param) fail(`Saved @Param "${path}" does not exist in this program`, path);
    if (!param.choices.some((c) => JSON.stringify(c) === JSON.stringify(value))) {
      fail(
        `Saved @Param "${path}" = ${JSON.stringify(value)} is not one of its choices ${JSON.stringify(param.choices)}`,
        path,
      );
    }
    out.push([param, param.choices.find((c) => JSON.stringify(c) === JSON.stringify(value))]);
  }
  return out;
}
