/**
 * The field list and objective of DSPy's system message, and the type requirement of an output field, as
 * the ChatAdapter and JSONAdapter (and the TwoStepAdapter's extraction prompt) print them.
 */
import type { FieldSpec } from '../signature/signature-spec';
import { describeConstraints } from '../signature/constraints';
import { type FieldType, isToolCallsType } from '../signature/field-type';
import { ToolCalls } from '../custom-types/tool-calls';
import { pyTypeName } from './python-values';
import { pyDedent, pySplitlines, pyStrip } from './python-text';

/** `N. \`name\` (type): desc` lines; the block is stripped as a whole (so only its last line loses `: `'s space). */
export function fieldList(fields: readonly FieldSpec[]): string {
  const lines = fields.map((f, i) => {
    // DSPy prints a description only when it differs from the field's placeholder `${name}`.
    const desc = f.desc === undefined || f.desc === `\${${f.name}}` ? '' : f.desc;
    let line = `${i + 1}. \`${f.name}\` (${pyTypeName(f.type)}): ${desc}${customTypeNotes(f.type)}`;
    if (f.constraints.length > 0) {
      const text = describeConstraints(f.constraints);
      if (text) line += `\nConstraints: ${text}`;
    }
    return line;
  });
  return pyStrip(lines.join('\n'));
}

export function objective(instructions: string): string {
  const lines = pySplitlines(pyDedent(instructions));
  return `In adhering to this structure, your objective is: ${lines.map((l) => `\n        ${l}`).join('')}`;
}

/** ` (must be formatted as a valid Python T)` for non-string outputs (ToolCalls: the JSON shape, as DSPy). */
export function typeRequirement(field: FieldSpec): string {
  if (isToolCallsType(field.type))
    return ' (must be a JSON object like {"tool_calls": [{"name": "...", "args": {...}}]})';
  return field.type.kind === 'string'
    ? ''
    : ` (must be formatted as a valid Python ${pyTypeName(field.type)})`;
}

/**
 * DSPy's field-list line for custom types with a description (`ToolCalls`), wherever they sit in the type:
 * `\n    Type description of ToolCalls: …`.
 */
function customTypeNotes(type: FieldType): string {
  if (isToolCallsType(type)) return `\n    Type description of ToolCalls: ${ToolCalls.description()}`;
  switch (type.kind) {
    case 'array':
      return customTypeNotes(type.items);
    case 'dict':
      return customTypeNotes(type.values);
    case 'optional':
      return customTypeNotes(type.inner);
    default:
      return '';
  }
}
