/**
 * Demos as the adapters see them: whether one reaches the prompt (DSPy's `format_demos` rules), the notes
 * DSPy writes for the fields a demo lacks, and the check that lets an adapter reuse the messages it built
 * for a demo list that has not changed since.
 */
import type { ChatMessage } from '../lm/types';
import type { SignatureSpec } from '../signature/signature-spec';

/** A demonstration: values of some or all of a signature's fields. */
export type Demo = Readonly<Record<string, unknown>>;

/**
 * Whether a demo reaches the prompt, as DSPy's `format_demos` decides: `complete` (every field set, not
 * null), `incomplete` (some missing, but at least one input and one output: sent with a note), or `never`
 * (the adapter drops it, so optimizers should not choose it or report it).
 */
export function demoReach(
  signature: SignatureSpec<any, any>,
  demo: Demo,
): 'complete' | 'incomplete' | 'never' {
  if (signature.fields.every((f) => demo[f.name] !== undefined && demo[f.name] !== null)) return 'complete';
  return signature.inputNames.some((n) => n in demo) && signature.outputNames.some((n) => n in demo)
    ? 'incomplete'
    : 'never';
}

export const INCOMPLETE_DEMO_PREFIX =
  'This is an example of the task, though some input or output fields are not supplied.';
export const MISSING_FIELD_MESSAGE = 'Not supplied for this particular example. ';
/** What DSPy writes for an output a complete demo lacks (it never does: it is complete). */
export const COMPLETE_DEMO_MISSING_MESSAGE = 'Not supplied for this conversation history message. ';

export interface DemoCache {
  readonly items: readonly Demo[];
  /** Every demo's field values when the messages were built, so a demo edited in place is noticed. */
  readonly values: readonly unknown[];
  readonly messages: readonly ChatMessage[];
}

const ABSENT = Symbol('absent');

export function demoValues(signature: SignatureSpec<any, any>, demos: readonly Demo[]): unknown[] {
  const values: unknown[] = [];
  for (const demo of demos)
    for (const f of signature.fields) values.push(f.name in demo ? demo[f.name] : ABSENT);
  return values;
}

export function sameDemos(
  signature: SignatureSpec<any, any>,
  demos: readonly Demo[],
  hit: DemoCache,
): boolean {
  if (hit.items.length !== demos.length) return false;
  const fields = signature.fields;
  let k = 0;
  for (let i = 0; i < demos.length; i++) {
    const demo = demos[i];
    if (demo !== hit.items[i]) return false;
    for (let j = 0; j < fields.length; j++) {
      const name = fields[j].name;
      if ((name in demo ? demo[name] : ABSENT) !== hit.values[k++]) return false;
    }
  }
  return true;
}
