import type { SignatureSpec } from '../signature/signature-spec';

/**
 * DSPy's `apply_output_field_defaults`: an output missing from a reply takes its default, or `null` when
 * its type admits `None`; other missing outputs stay missing (and the reply is then a parse error).
 */
export function applyOutputDefaults(
  signature: SignatureSpec<any, any>,
  outputs: Record<string, unknown>,
): void {
  for (const field of signature.outputFields) {
    if (field.name in outputs) continue;
    if (field.defaultValue) outputs[field.name] = structuredClone(field.defaultValue.value);
    else if (field.type.kind === 'optional') outputs[field.name] = null;
  }
}
