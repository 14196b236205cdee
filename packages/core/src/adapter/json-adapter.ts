import type { CallOptions } from '../lm/types';
import { constrainSchema } from '../signature/constraints';
import type { FieldType } from '../signature/field-type';
import type { SignatureSpec } from '../signature/signature-spec';
import {
  type AdapterTarget,
  BaseAdapter,
  type Demo,
  MISSING_FIELD_MESSAGE,
  typeRequirement,
} from './adapter';
import { AdapterParseError, excerpt } from './errors';
import { looseJson, NOT_PARSED, parseValue } from './parse-value';
import { pyNumber, pyStrip } from './python-text';
import { pySchema } from './python-values';
import { fieldPlaceholder } from './type-note';

/**
 * DSPy's JSONAdapter: outputs come back as one JSON object, requested through structured outputs
 * (`response_format: json_schema`) where the endpoint supports them, else `json_object`.
 * @example configure({ adapter: new JSONAdapter() });
 */
export class JSONAdapter extends BaseAdapter {
  readonly name = 'JSONAdapter';
  private readonly formatCache = new WeakMap<SignatureSpec<any, any>, Record<string, unknown>>();

  protected fieldStructure(signature: SignatureSpec<any, any>): string {
    const inputs = pyStrip(
      signature.inputFields.map((f) => `[[ ## ${f.name} ## ]]\n${fieldPlaceholder(f)}`).join('\n\n'),
    );
    const outputs: Record<string, unknown> = {};
    for (const f of signature.outputFields) outputs[f.name] = fieldPlaceholder(f);
    const parts = [
      'All interactions will be structured in the following way, with the appropriate values filled in.',
      'Inputs will have the following structure:',
      inputs,
      'Outputs will be a JSON object with the following fields.',
      pyDumpsIndented(outputs),
    ];
    return pyStrip(parts.join('\n\n'));
  }

  protected outputRequirements(signature: SignatureSpec<any, any>): string {
    const fields = signature.outputFields.map((f) => `\`${f.name}\`${typeRequirement(f)}`).join(', then ');
    return `Respond with a JSON object in the following order of fields: ${fields}.`;
  }

  protected assistantContent(signature: SignatureSpec<any, any>, outputs: Demo): string {
    const values: Record<string, unknown> = {};
    for (const f of signature.outputFields)
      values[f.name] = f.name in outputs ? outputs[f.name] : MISSING_FIELD_MESSAGE;
    const types: Record<string, FieldType> = {};
    for (const f of signature.outputFields) types[f.name] = f.type;
    return pyDumpsIndented(values, '', types);
  }

  /** `response_format`: a JSON schema of the outputs when the LM supports structured outputs, else JSON mode. */
  override callOptions(signature: SignatureSpec<any, any>, target: AdapterTarget): Partial<CallOptions> {
    let format = this.formatCache.get(signature);
    if (!format) {
      const openEnded = signature.outputFields.some((f) => hasDict(f.type));
      format = openEnded ? { type: 'json_object' } : structuredFormat(signature);
      this.formatCache.set(signature, format);
    }
    if (target.supportsStructuredOutputs === false && format.type === 'json_schema') {
      return { responseFormat: { type: 'json_object' } };
    }
    return { responseFormat: format };
  }

  /** Reads the outputs from the reply's JSON object (repairing common breakage, as DSPy's json_repair). */
  parse(signature: SignatureSpec<any, any>, completion: string): Record<string, unknown> {
    const objectText = firstJsonObject(completion) ?? completion;
    const decoded = looseJson(objectText);
    if (decoded === NOT_PARSED || typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
      throw new AdapterParseError(
        `JSONAdapter could not find a JSON object in the reply for signature "${signature.name}". ` +
          `Expected an object with keys ${signature.outputNames.map((n) => `"${n}"`).join(', ')}. Reply was:\n${excerpt(completion)}`,
        {
          signature: signature.name,
          adapter: this.name,
          completion,
          found: [],
          missing: [...signature.outputNames],
          code: 'ADAPTER_NOT_JSON',
        },
      );
    }
    const raw = decoded as Record<string, unknown>;
    const outputs: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const field of signature.outputFields) {
      if (!(field.name in raw)) continue;
      try {
        outputs[field.name] = parseValue(raw[field.name], field.type);
      } catch (error) {
        problems.push(`${field.name}: ${(error as Error).message}`);
      }
    }
    const missing = signature.outputNames.filter((n) => !(n in raw));
    if (missing.length > 0 || problems.length > 0) {
      const what = [
        missing.length ? `missing key(s) ${missing.map((m) => `"${m}"`).join(', ')}` : '',
        problems.length ? `invalid value(s): ${problems.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      throw new AdapterParseError(
        `JSONAdapter could not parse the reply for signature "${signature.name}": ${what}. Reply was:\n${excerpt(completion)}`,
        {
          signature: signature.name,
          adapter: this.name,
          completion,
          found: Object.keys(outputs),
          missing,
          problems,
        },
      );
    }
    return outputs;
  }
}

function hasDict(type: FieldType): boolean {
  switch (type.kind) {
    case 'dict':
    case 'any':
      return true;
    case 'array':
      return hasDict(type.items);
    case 'optional':
      return hasDict(type.inner);
    case 'class':
      return type.fields.some((f) => hasDict(f.type));
    default:
      return false;
  }
}

/** The structured-outputs format DSPy sends: every property required, no additional properties. */
function structuredFormat(signature: SignatureSpec<any, any>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const defs: Record<string, unknown> = {};
  for (const f of signature.outputFields) {
    const schema = pySchema(f.type) as Record<string, any>;
    if (schema.$defs) {
      Object.assign(defs, schema.$defs);
      delete schema.$defs;
    }
    if (f.type.kind === 'class') {
      defs[f.type.name] = schema;
      properties[f.name] = { $ref: `#/$defs/${f.type.name}` };
    } else {
      // class-validator constraints reach the schema where a schema can say them (pydantic's `ge`, `max_length` …).
      constrainSchema(schema, f.constraints);
      properties[f.name] = { ...schema, title: titleOf(f.name) };
    }
  }
  const schema: Record<string, unknown> = {
    type: 'object',
    properties,
    required: signature.outputNames.slice(),
    additionalProperties: false,
    title: 'DSPyProgramOutputs',
  };
  if (Object.keys(defs).length > 0) schema.$defs = defs;
  enforceRequired(schema);
  return { type: 'json_schema', json_schema: { name: 'DSPyProgramOutputs', strict: true, schema } };
}

function titleOf(name: string): string {
  return name
    .split('_')
    .map((w) => (w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w))
    .join(' ')
    .trim();
}

function enforceRequired(node: Record<string, any>): void {
  if (node.type === 'object') {
    if (node.properties) {
      node.required = Object.keys(node.properties);
      node.additionalProperties = false;
      for (const child of Object.values(node.properties))
        if (child && typeof child === 'object') enforceRequired(child);
    } else {
      node.properties = {};
      node.required = [];
      node.additionalProperties = false;
    }
  }
  if (node.type === 'array' && node.items && typeof node.items === 'object') enforceRequired(node.items);
  if (node.$defs) for (const def of Object.values(node.$defs)) enforceRequired(def as Record<string, any>);
}

/** The first balanced `{…}` in the text (strings respected), as DSPy's recursive regex finds it. */
export function firstJsonObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString: string | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString) inString = null;
    } else if (ch === '"') inString = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/** Python's `json.dumps(value, indent=2, ensure_ascii=False)`. */
export function pyDumpsIndented(
  value: unknown,
  indent = '',
  types?: Record<string, FieldType>,
  type?: FieldType,
): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const itemType = type?.kind === 'array' ? type.items : undefined;
    return `[\n${value.map((v) => inner + pyDumpsIndented(v, inner, undefined, itemType)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const childType = (k: string): FieldType | undefined =>
      types?.[k] ??
      (type?.kind === 'class'
        ? type.fields.find((f) => f.name === k)?.type
        : type?.kind === 'dict'
          ? type.values
          : undefined);
    return `{\n${entries
      .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyDumpsIndented(v, inner, undefined, childType(k))}`)
      .join(',\n')}\n${indent}}`;
  }
  if (typeof value === 'number')
    return pyNumber(value, type?.kind === 'number' ? 'float' : type?.kind === 'integer' ? 'int' : 'unknown');
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}
