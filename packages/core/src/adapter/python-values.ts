import { Image } from '../custom-types/image';
import { isFunctionTool } from '../custom-types/tool-calls';
import type { EnumFieldType, FieldType, LiteralValue } from '../signature/field-type';
import { FloatValue, floatRepr, intText, isFloatType, pyJson, pyStr } from './python-repr';

/**
 * DSPy's `format_field_value`: a list given to a `str` field becomes a numbered «…» list (each item by
 * Python's `str()`); objects and arrays become `json.dumps`; anything else prints as Python's `str()`.
 * A `number` field prints its values as floats (`3` → `3.0`).
 */
export function formatFieldValue(value: unknown, type: FieldType): string {
  if (Array.isArray(value) && type.kind === 'string') return formatTextList(value);
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return isFloatType(type) ? floatRepr(value) : pyStr(value);
    case 'bigint':
      return value.toString();
    case 'object':
      if (value instanceof FloatValue) return floatRepr(value.value);
      if (value instanceof Date) return value.toISOString();
      // A custom type prints as its marked parts (DSPy's serialize_model), expanded later into parts.
      if (Image.isImage(value)) return value.toJSON();
      if (isFunctionTool(value)) return String(value);
      return pyJson(value, { type, nonFiniteAsNull: true });
    default:
      return String(value);
  }
}

function formatTextList(items: readonly unknown[]): string {
  if (items.length === 0) return 'N/A';
  if (items.length === 1) return formatBlob(items[0]);
  return items.map((item, i) => `[${i + 1}] ${formatBlob(item)}`).join('\n');
}

/** A list item: text as `«text»` (or a `«««` block when it spans lines); other values by Python's `str()`. */
function formatBlob(item: unknown): string {
  const blob = pyStr(item);
  if (typeof item !== 'string' || (!blob.includes('\n') && !blob.includes('«') && !blob.includes('»')))
    return `«${blob}»`;
  return `«««\n    ${blob.replace(/\n/g, '\n    ')}\n»»»`;
}

const PIPE_UNION_KINDS = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'array',
  'dict',
  'enum',
  'class',
]);

/** Python's name of a field type, as DSPy prints it: `str`, `list[str]`, `Literal['a', 'b']`, `Person`. */
export function pyTypeName(type: FieldType): string {
  switch (type.kind) {
    case 'string':
      return 'str';
    case 'number':
      return 'float';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'any':
      return 'Any';
    case 'array':
      return `list[${pyTypeName(type.items)}]`;
    case 'dict':
      return `dict[str, ${pyTypeName(type.values)}]`;
    case 'optional': {
      // DSPy's get_annotation_name prints the union's origin: `T | None` is a types.UnionType when T is a
      // class or a builtin generic (`int`, `list[str]`, a model); with a typing form (`Literal[…]`, `Any`)
      // Python makes it a typing.Union, as `Optional[T]` always is.
      const pipe = type.spelling === 'T | None' && PIPE_UNION_KINDS.has(type.inner.kind);
      return `${pipe ? 'UnionType' : 'Union'}[${pyTypeName(type.inner)}, NoneType]`;
    }
    case 'literal':
      return `Literal[${type.values.map(literalRepr).join(', ')}]`;
    case 'enum':
    case 'class':
      return type.name;
  }
}

/** A literal option inside `Literal[…]`: strings quoted as DSPy quotes them, others by `repr`. */
function literalRepr(value: LiteralValue): string {
  if (typeof value !== 'string') return pyStr(value);
  const single = value.includes("'");
  const double = value.includes('"');
  if (single && !double) return `"${value}"`;
  if (single && double) return `'${value.replace(/'/g, "\\'")}'`;
  return `'${value}'`;
}

/** `str(x)` of a literal option or enum value, as DSPy lists them in `… one of: a; b`. */
export function literalText(value: LiteralValue): string {
  return typeof value === 'number'
    ? Number.isInteger(value)
      ? intText(value)
      : floatRepr(value)
    : pyStr(value);
}

/** The values of an enum as DSPy lists them in its type note (`red; green`). */
export function enumValuesText(type: EnumFieldType): string {
  return type.members.map((m) => literalText(m.value)).join('; ');
}
