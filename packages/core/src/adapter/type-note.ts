import type { FieldSpec } from '../signature/signature-spec';
import { literalText, pySchema } from './python-values';

/**
 * DSPy's `translate_field_type`: the placeholder `{name}` of a field in the structure section, followed for
 * non-string outputs by a note (8 spaces, `# note: the value you produce …`) saying what the value must be.
 */
export function fieldPlaceholder(field: FieldSpec): string {
  const note = field.io === 'input' ? '' : typeNote(field);
  return note ? `{${field.name}}        # note: the value you produce ${note}` : `{${field.name}}`;
}

function typeNote(field: FieldSpec): string {
  const type = field.type;
  switch (type.kind) {
    case 'string':
      return '';
    case 'boolean':
      return 'must be True or False';
    case 'integer':
      return 'must be a single int value';
    case 'number':
      return 'must be a single float value';
    case 'literal':
      return `must exactly match (no extra characters) one of: ${type.values.map(literalText).join('; ')}`;
    default:
      return `must adhere to the JSON schema: ${pyJsonText(pySchema(type))}`;
  }
}

/** `json.dumps(schema, ensure_ascii=False)` for schema objects (no floats to worry about). */
function pyJsonText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyJsonText).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pyJsonText(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
