import type { ToolArgs } from '@sigil/core';

/** A JSON schema object (only the parts tool arguments need are read). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * DSPy's `convert_input_schema_to_tool_args`: an object schema's properties become a tool's argument
 * schemas (with `$ref`s into `$defs` / `definitions` resolved), and its `required` list says which must be
 * given.
 */
export function argsFromSchema(schema: JsonSchema | undefined): { args: ToolArgs; required: string[] } {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const defs = { ...(schema?.definitions as object), ...(schema?.$defs as object) } as Record<
    string,
    JsonSchema
  >;
  const args: Record<string, JsonSchema> = {};
  for (const [name, property] of Object.entries(properties))
    args[name] = resolveRefs(property, defs, 0) as JsonSchema;
  const required = Array.isArray(schema?.required)
    ? (schema.required as string[]).filter((n) => n in args)
    : [];
  return { args, required };
}

function resolveRefs(value: unknown, defs: Record<string, JsonSchema>, depth: number): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, defs, depth));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const ref = record.$ref;
  if (typeof ref === 'string' && depth < 20) {
    const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref)?.[1];
    const target = name !== undefined ? defs[name] : undefined;
    if (target) {
      const { $ref: _ref, ...rest } = record;
      return resolveRefs({ ...target, ...rest }, defs, depth + 1);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (key === '$schema') continue;
    out[key] = resolveRefs(item, defs, depth);
  }
  return out;
}

/** A tool name Sigil accepts (letters, digits, `_`, `-`), from another library's (`files.read` → `files_read`). */
export function toolName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}
