import { SIGIL_VERSION } from '../version';
import { ProgramStateError } from './errors';
import type { ParameterHandle } from './parameter';

/** One predictor's state, in DSPy's saved-program format. */
export interface SavedPredictor {
  traces: unknown[];
  train: unknown[];
  demos: Record<string, unknown>[];
  signature: { instructions: string; fields: { prefix: string; description: string }[] };
  lm: Record<string, unknown> | null;
}

/** Sigil's own section of a saved program's `metadata`: its version and the `@Param` values. */
export interface SigilMetadata {
  version: string;
  params?: Record<string, unknown>;
  /** Set when the program is the best of a run that did not complete (a budget, an interrupt). */
  partial?: { stoppedBy: string; bestScore?: number; at: string };
}

/**
 * A whole saved program: one entry per predictor path (or, for a lone Predict, the predictor's keys at the
 * top, as DSPy saves it) plus `metadata`. `metadata.dependency_versions` holds only the keys DSPy's
 * `load()` knows; Sigil's section is `metadata.sigil`.
 */
export type SavedProgram = Record<string, unknown> & {
  metadata: { dependency_versions: Record<string, string>; sigil?: SigilMetadata };
};

/**
 * Part of a saved program: only the entries and keys it sets (a candidate of an optimizer, a journal
 * entry). `mergeState(saved, patch)` or `program.loadState(patch, { partial: true })` applies it.
 */
export type StatePatch = Record<string, unknown>;

/**
 * What `dependency_versions` says, for DSPy: DSPy's `load()` compares each key with its own installed
 * versions (a key it does not know crashes it), and only warns on a difference.
 */
export const DSPY_DEPENDENCY_VERSIONS: Readonly<Record<string, string>> = Object.freeze({
  python: '3.11',
  dspy: '3.3.1',
  cloudpickle: '3.1',
});

/** Keys a saved predictor entry has besides its handles' slots (DSPy writes them; Sigil keeps none). */
const PREDICTOR_SKELETON = (): Record<string, unknown> => ({ traces: [], train: [] });

/** True when the program's only predictor is the program itself (a lone Predict): saved flat, as DSPy. */
function isFlat(parameters: readonly ParameterHandle[]): boolean {
  const predictors = new Set(parameters.flatMap((p) => (p.predictor === undefined ? [] : [p.predictor])));
  return predictors.size === 1 && predictors.has('self');
}

function entryOf(
  root: Record<string, unknown>,
  handle: ParameterHandle,
  flat: boolean,
): Record<string, unknown> {
  if (handle.predictor === undefined || flat) return root;
  return (root[handle.predictor] ??= PREDICTOR_SKELETON()) as Record<string, unknown>;
}

function put(target: Record<string, unknown>, slot: readonly string[], value: unknown): void {
  let node = target;
  for (const key of slot.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[slot[slot.length - 1]] = value;
}

function read(source: unknown, slot: readonly string[]): unknown {
  let node = source;
  for (const key of slot) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The state of `parameters` as DSPy's saved-program JSON. Predictor entries keep DSPy's key order
 * (`traces`, `train`, `demos`, `signature`, `lm`).
 */
export function dumpState(parameters: readonly ParameterHandle[]): SavedProgram {
  const flat = isFlat(parameters);
  const root: Record<string, unknown> = flat ? PREDICTOR_SKELETON() : {};
  for (const handle of parameters) put(entryOf(root, handle, flat), handle.slot, handle.encode());
  const metadata = (root.metadata ??= {}) as SavedProgram['metadata'];
  metadata.dependency_versions = { ...DSPY_DEPENDENCY_VERSIONS };
  metadata.sigil = { version: SIGIL_VERSION, ...metadata.sigil };
  // `metadata` goes last, as DSPy writes it.
  const { metadata: _last, ...rest } = root;
  return { ...rest, metadata } as SavedProgram;
}

/**
 * The part of a saved program that sets `values` (each handle's value encoded in its slot): what an
 * optimizer's candidate, or a journal entry, is.
 */
export function statePatch(
  values: Iterable<readonly [ParameterHandle<any>, unknown]>,
  all: readonly ParameterHandle[],
): StatePatch {
  const flat = isFlat(all);
  const root: Record<string, unknown> = {};
  for (const [handle, value] of values) {
    const entry =
      handle.predictor === undefined || flat
        ? root
        : ((root[handle.predictor] ??= {}) as Record<string, unknown>);
    put(entry, handle.slot, handle.encode(value));
  }
  return root;
}

/** Options of `loadState`. */
export interface LoadStateOptions {
  /** The file the state came from, for messages. */
  file?: string;
  /** The program's class name, for messages. */
  program?: string;
  /** Apply only what the state holds (a patch): missing predictors and slots are left as they are. */
  partial?: boolean;
}

/**
 * Checks `state` against the program's `parameters` and applies it. All checks run before anything
 * changes, so a bad state leaves the program as it was. Accepts files written by DSPy and by every Sigil
 * version (older ones kept `@Param` values under `metadata.sigil.params` too).
 */
export function loadState(
  parameters: readonly ParameterHandle[],
  state: unknown,
  options: LoadStateOptions = {},
): void {
  const where = options.file ? ` in ${options.file}` : '';
  const program = options.program ? `this program (${options.program})` : 'this program';
  const fail = (message: string, path?: string, cause?: unknown): never => {
    throw new ProgramStateError(`${message}${where}.`, { file: options.file, path, cause });
  };
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    fail('A saved program must be a JSON object keyed by predictor path');
  }
  const saved = state as Record<string, unknown>;
  const paths = [...new Set(parameters.flatMap((p) => (p.predictor === undefined ? [] : [p.predictor])))];
  // A lone Predict is saved flat (DSPy's shape); a nested `self` entry is read too.
  const flat = isFlat(parameters) && !('self' in saved && !('signature' in saved));
  if (!flat) {
    const known = new Set(paths);
    // A file with a predictor's own keys at the top is a lone Predict saved flat, not a whole program.
    if (typeof saved.signature === 'object' && saved.signature !== null && !known.has('signature')) {
      fail(
        `Saved program holds a single predictor saved flat (a lone Predict's state, keys ` +
          `${Object.keys(saved)
            .filter((k) => k !== 'metadata')
            .join(', ')}), but ${program} has the predictors ` +
          `${paths.map((k) => `"${k}"`).join(', ')} — load it into a Predict of that signature, or save and load ` +
          'the whole program',
      );
    }
    for (const key of Object.keys(saved)) {
      if (key === 'metadata' || known.has(key)) continue;
      fail(
        `Saved program has predictor "${key}", which ${program} does not have; its predictors are ` +
          `${paths.map((k) => `"${k}"`).join(', ')}`,
        key,
      );
    }
    if (!options.partial) {
      for (const path of paths) {
        if (saved[path] === undefined)
          fail(
            `Saved program has no state for predictor "${path}" of ${options.program ?? 'this program'}`,
            path,
          );
      }
    }
  }
  const savedParams = read(saved, ['metadata', 'sigil', 'params']);
  if (savedParams !== null && typeof savedParams === 'object' && !Array.isArray(savedParams)) {
    const declared = new Set(parameters.filter((p) => p.kind === 'param').map((p) => p.path));
    for (const path of Object.keys(savedParams)) {
      if (!declared.has(path)) fail(`Saved @Param "${path}" does not exist in ${program}`, path);
    }
  }
  const updates: [ParameterHandle, unknown][] = [];
  for (const handle of parameters) {
    const entry = handle.predictor === undefined || flat ? saved : saved[handle.predictor];
    if (
      handle.predictor !== undefined &&
      !flat &&
      (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    ) {
      if (entry === undefined) continue;
      fail(`Predictor "${handle.predictor}": state must be an object`, handle.predictor);
    }
    const json = read(entry, handle.slot);
    if (json === undefined) continue;
    try {
      updates.push([handle, handle.decode(json)]);
    } catch (error) {
      if (!ProgramStateError.isInstance(error)) throw error;
      fail(error.message.replace(/\.$/, ''), handle.path, error);
    }
  }
  for (const [handle, value] of updates) handle.set(value);
}

/** The `@Param` values a saved program or a patch sets, by path (`{}` when it sets none). */
export function savedParams(state: StatePatch): Record<string, unknown> {
  const params = read(state, ['metadata', 'sigil', 'params']);
  return params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : {};
}

/** `base` with `patch` laid over it (entries and keys the patch holds replace the base's), as a new object. */
export function mergeState(base: SavedProgram, patch: StatePatch): SavedProgram {
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return b;
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return structuredClone(b);
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [key, value] of Object.entries(b)) out[key] = merge(out[key], value);
    return out;
  };
  return merge(structuredClone(base), patch) as SavedProgram;
}
