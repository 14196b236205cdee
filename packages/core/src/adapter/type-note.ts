import type { FieldSpec } from '../signature/signature-spec';
import { pySchema } from './json-schema';
import { pyJson } from './python-repr';
import { enumValuesText, literalText } from './python-values';

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
    case 'enum':
      return `must be one of: ${enumValuesText(type)}`;
    case 'literal':
      return `must exactly match (no extra characters) one of: ${type.values.map(literalText).join('; ')}`;
    default:
      return `must adhere to the JSON schema: ${pyJson(pySchema(type))}`;
  }
}
