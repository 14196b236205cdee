/**
 * The JSON schemas pydantic generates for DSPy: the one printed in a field's type note (keys sorted, `type`
 * first, as DSPy's `_get_json_schema` reorders them) and the structured-outputs `response_format` (pydantic's
 * own order, every object closed and fully required, as DSPy's `_get_structured_outputs_response_format`).
 */
import type { ClassFieldType, EnumFieldType, FieldType, LiteralValue } from '../signature/field-type';
import type { FieldSpec } from '../signature/signature-spec';
import { pyTitle } from './python-text';

/** A JSON schema node. */
export type JsonSchema = Record<string, unknown>;

/** pydantic's title of a member (`score_2b` → `Score 2B`): `str.title()`, `_` as spaces, stripped. */
export function memberTitle(name: string): string {
  return pyTitle(name).replace(/_/g, ' ').trim();
}

/** Literal options: `const` for one, `enum` for several; `type` when all options share one JSON type. */
function literalSchema(values: readonly LiteralValue[]): JsonSchema {
  const kinds = new Set(
    values.map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v)),
  );
  const node: JsonSchema = values.length === 1 ? { const: values[0] } : { enum: [...values] };
  if (kinds.size === 1) node.type = [...kinds][0];
  return node;
}

function enumSchema(type: EnumFieldType): JsonSchema {
  const node: JsonSchema = { enum: type.members.map((m) => m.value), title: type.name };
  const kinds = new Set(type.members.map((m) => (typeof m.value === 'number' ? 'integer' : 'string')));
  if (kinds.size === 1) node.type = [...kinds][0];
  return node;
}

/** Whether pydantic leaves a member's schema untitled: a model or enum reference, nullable or not. */
function isReference(node: JsonSchema): boolean {
  if ('$ref' in node) return true;
  const anyOf = node.anyOf as JsonSchema[] | undefined;
  return (
    Array.isArray(anyOf) &&
    anyOf.length === 2 &&
    '$ref' in anyOf[0] &&
    (anyOf[1] as JsonSchema).type === 'null'
  );
}

/** A member of a class type, or an output field: its schema with title and default as pydantic writes them. */
function memberSchema(
  name: string,
  type: FieldType,
  defs: Record<string, JsonSchema>,
  optional: boolean,
  defaultValue: { value: unknown } | undefined,
): JsonSchema {
  const nullable = optional && type.kind !== 'optional' ? { kind: 'optional' as const, inner: type } : type;
  const node = schemaNode(nullable, defs);
  if (optional) node.default = null;
  else if (defaultValue) node.default = defaultValue.value;
  if (!isReference(node)) node.title = memberTitle(name);
  return node;
}

function classSchema(type: ClassFieldType, defs: Record<string, JsonSchema>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const member of type.fields) {
    properties[member.name] = memberSchema(
      member.name,
      member.type,
      defs,
      !!member.optional,
      member.defaultValue,
    );
    if (!member.optional && !member.defaultValue) required.push(member.name);
  }
  const body: JsonSchema = { properties };
  if (required.length > 0) body.required = required;
  body.title = type.name;
  body.type = 'object';
  return body;
}

/** The schema of a type; classes and enums go to `defs` and are referenced, as pydantic does. */
function schemaNode(type: FieldType, defs: Record<string, JsonSchema>): JsonSchema {
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
      return { items: schemaNode(type.items, defs), type: 'array' };
    case 'dict':
      // pydantic states dict[str, Any] as `additionalProperties: true`.
      return {
        additionalProperties: type.values.kind === 'any' ? true : schemaNode(type.values, defs),
        type: 'object',
      };
    case 'optional':
      return { anyOf: [schemaNode(type.inner, defs), { type: 'null' }] };
    case 'literal':
      return literalSchema(type.values);
    case 'enum':
      defs[type.name] ??= enumSchema(type);
      return { $ref: `#/$defs/${type.name}` };
    case 'class':
      if (!defs[type.name]) {
        defs[type.name] = {};
        defs[type.name] = classSchema(type, defs);
      }
      return { $ref: `#/$defs/${type.name}` };
  }
}

/** Every key sorted, `type` first, recursively (DSPy's `move_type_to_front` over pydantic's schema). */
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

/** The schema DSPy prints in a type note (`TypeAdapter(T).json_schema()`, `type` first). */
export function pySchema(type: FieldType): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const root = type.kind === 'class' ? classSchema(type, defs) : schemaNode(type, defs);
  if (Object.keys(defs).length > 0) root.$defs = defs;
  return typeFirst(root) as JsonSchema;
}

/**
 * The structured-outputs schema of a signature's outputs: a model `DSPyProgramOutputs` of the output
 * fields (with their defaults; constraints are not part of it, as in DSPy), where every object lists all
 * its properties as required and allows no others.
 */
export function outputsSchema(fields: readonly FieldSpec[]): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  const properties: Record<string, JsonSchema> = {};
  for (const f of fields) properties[f.name] = memberSchema(f.name, f.type, defs, false, f.defaultValue);
  const schema: JsonSchema = {
    additionalProperties: false,
    properties,
    required: fields.map((f) => f.name),
    title: 'DSPyProgramOutputs',
    type: 'object',
  };
  if (Object.keys(defs).length > 0) schema.$defs = sortedKeys(defs);
  closeObjects(schema);
  return schema;
}

function sortedKeys(defs: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const k of Object.keys(defs).sort()) out[k] = defs[k];
  return out;
}

/** DSPy's `enforce_required`: objects require every property and forbid others, through items and $defs. */
function closeObjects(node: JsonSchema): void {
  if (node.type === 'object') {
    const properties = node.properties as Record<string, unknown> | undefined;
    if (properties) {
      node.required = Object.keys(properties);
      node.additionalProperties = false;
      for (const child of Object.values(properties))
        if (child && typeof child === 'object') closeObjects(child as JsonSchema);
    } else {
      node.properties = {};
      node.required = [];
      node.additionalProperties = false;
    }
  }
  if (node.type === 'array' && node.items && typeof node.items === 'object')
    closeObjects(node.items as JsonSchema);
  if (node.$defs) for (const def of Object.values(node.$defs as object)) closeObjects(def as JsonSchema);
}
