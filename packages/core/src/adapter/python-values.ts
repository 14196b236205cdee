import type { FieldType } from '../signature/field-type';
import { pyNumber, pyTitle } from './python-text';

type Hint = 'float' | 'int' | 'unknown';

function hintOf(type: FieldType | undefined): Hint {
  if (!type) return 'unknown';
  if (type.kind === 'number') return 'float';
  if (type.kind === 'integer') return 'int';
  if (type.kind === 'optional') return hintOf(type.inner);
  return 'unknown';
}

function childType(type: FieldType | undefined, key: string | number): FieldType | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case 'array':
      return type.items;
    case 'dict':
      return type.values;
    case 'optional':
      return childType(type.inner, key);
    case 'class':
      return type.fields.find((f) => f.name === key)?.type;
    default:
      return undefined;
  }
}

/** Python's `json.dumps(value, ensure_ascii=False)`, with numbers printed as the field's type says. */
export function pyDumps(value: unknown, type?: FieldType): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return pyNumber(value, hintOf(type));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) {
        const items = type
          ? value.map((v, i) => pyDumps(v, childType(type, i)))
          : value.map((v) => pyDumps(v));
        return `[${items.join(', ')}]`;
      }
      if (value instanceof Map) return pyDumps(Object.fromEntries(value), type);
      if (value instanceof Set) return pyDumps([...value], type);
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined || typeof v === 'function') continue;
        parts.push(`${JSON.stringify(k)}: ${pyDumps(v, childType(type, k))}`);
      }
      return `{${parts.join(', ')}}`;
    }
    default:
      return JSON.stringify(String(value));
  }
}

/**
 * DSPy's `format_field_value`: a list given to a string field becomes a numbered «…» list; objects and
 * arrays become JSON; anything else prints as Python's `str()` would.
 */
export function formatFieldValue(value: unknown, type: FieldType): string {
  if (Array.isArray(value) && type.kind === 'string') return formatTextList(value);
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value, hintOf(type));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return pyDumps(value, type);
  return String(value);
}

function formatTextList(items: unknown[]): string {
  if (items.length === 0) return 'N/A';
  if (items.length === 1) return formatBlob(String(items[0]));
  return items.map((item, i) => `[${i + 1}] ${formatBlob(String(item))}`).join('\n');
}

function formatBlob(blob: string): string {
  if (!blob.includes('\n') && !blob.includes('«') && !blob.includes('»')) return `«${blob}»`;
  return `«««\n    ${blob.replace(/\n/g, '\n    ')}\n»»»`;
}

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
    case 'optional':
      // typing.get_origin(Optional[X]) is Union, printed with its args as DSPy's get_annotation_name does.
      return `Union[${pyTypeName(type.inner)}, NoneType]`;
    case 'literal':
      return `Literal[${type.values.map(literalRepr).join(', ')}]`;
    case 'class':
      return type.name;
  }
}

function literalRepr(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value, 'unknown');
  const single = value.includes("'");
  const double = value.includes('"');
  if (single && !double) return `"${value}"`;
  if (single && double) return `'${value.replace(/'/g, "\\'")}'`;
  return `'${value}'`;
}

/** `str(x)` of a literal option, as DSPy lists them in `must exactly match … one of: a; b`. */
export function literalText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value, 'unknown');
  return value;
}

/** A JSON schema node, before DSPy's key ordering. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON schema pydantic generates for a type, with DSPy's ordering (`type` first, then keys sorted).
 * Nested classes go to `$defs` and are referenced, as pydantic does.
 */
export function pySchema(type: FieldType): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const root = schemaNode(type, defs, true);
  if (Object.keys(defs).length > 0) root.$defs = defs;
  return typeFirst(root) as JsonSchema;
}

function schemaNode(type: FieldType, defs: Record<string, JsonSchema>, top: boolean): JsonSchema {
  switch (type.kind) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'integer':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'any':
      return {};
    case 'array':
      return { type: 'array', items: schemaNode(type.items, defs, false) };
    case 'dict':
      // pydantic states dict[str, Any] as `additionalProperties: true`.
      return {
        type: 'object',
        additionalProperties: type.values.kind === 'any' ? true : schemaNode(type.values, defs, false),
      };
    case 'optional':
      return { anyOf: [schemaNode(type.inner, defs, false), { type: 'null' }] };
    case 'literal': {
      const kinds = new Set(
        type.values.map((v) =>
          typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v,
        ),
      );
      const node: JsonSchema =
        type.values.length === 1 ? { const: type.values[0] } : { enum: [...type.values] };
      if (kinds.size === 1) node.type = [...kinds][0];
      return node;
    }
    case 'class': {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const member of type.fields) {
        const child = schemaNode(member.type, defs, false);
        if (!('$ref' in child)) child.title = pyTitle(member.name).replace(/_/g, ' ').trim();
        properties[member.name] = child;
        if (!member.optional) required.push(member.name);
      }
      const body: JsonSchema = { type: 'object', properties, required, title: type.name };
      if (required.length === 0) delete body.required;
      if (top) return body;
      defs[type.name] = body;
      return { $ref: `#/$defs/${type.name}` };
    }
  }
}

function typeFirst(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(typeFirst);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => {
      if (a === 'type') return b === 'type' ? 0 : -1;
      if (b === 'type') return 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = typeFirst((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
