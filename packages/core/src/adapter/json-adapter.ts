import type { CallOptions } from '../lm/types';
import type { SignatureSpec } from '../signature/signature-spec';
import { type AdapterOptions, type AdapterTarget, BaseAdapter, type Demo } from './adapter';
import { MISSING_FIELD_MESSAGE } from './demos';
import { typeRequirement } from './field-list';
import { AdapterParseError, excerpt } from './errors';
import { type FieldStream, JsonFieldStream } from './field-stream';
import { outputsSchema } from './json-schema';
import { toolFieldsOf } from './native-tools';
import { isToolCallsType } from '../signature/field-type';
import { jsonParseAgrees, plainNumbers, readJson } from './json-reader';
import { guardMarkersDeep } from './markers';
import { applyOutputDefaults } from './output-defaults';
import { parseValue } from './parse-value';
import { pyJson } from './python-repr';
import { pyStrip } from './python-text';
import { fieldPlaceholder } from './type-note';

/**
 * DSPy's JSONAdapter: outputs come back as one JSON object, requested through structured outputs
 * (`response_format: json_schema`) where the endpoint supports them, else `json_object`.
 * @example configure({ adapter: new JSONAdapter() });
 */
export class JSONAdapter extends BaseAdapter {
  readonly name = 'JSONAdapter';

  /** As DSPy, JSONAdapter uses native function calling unless `nativeFunctionCalling: false`. */
  constructor(options: AdapterOptions = {}) {
    super(options, true);
  }

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
      pyJson(outputs, { indent: '' }),
    ];
    return pyStrip(parts.join('\n\n'));
  }

  protected outputRequirements(signature: SignatureSpec<any, any>): string {
    const fields = signature.outputFields.map((f) => `\`${f.name}\`${typeRequirement(f)}`).join(', then ');
    return `Respond with a JSON object in the following order of fields: ${fields}.`;
  }

  protected assistantContent(
    signature: SignatureSpec<any, any>,
    outputs: Demo,
    where: string,
    missing: unknown = MISSING_FIELD_MESSAGE,
  ): string {
    const values: Record<string, unknown> = {};
    for (const f of signature.outputFields) {
      values[f.name] = f.name in outputs ? outputs[f.name] : missing;
      if (this.markers !== 'keep' && f.name in outputs)
        values[f.name] = guardMarkersDeep(
          values[f.name],
          this.markers,
          this.name,
          signature.name,
          f.name,
          where,
        );
    }
    return pyJson(values, { indent: '', type: outputsType(signature), nonFiniteAsNull: true });
  }

  /** `response_format`: a JSON schema of the outputs when the LM supports structured outputs, else JSON mode. */
  override callOptions(signature: SignatureSpec<any, any>, target: AdapterTarget): Partial<CallOptions> {
    let format = this.formatCache.get(signature);
    if (!format) {
      // Structured outputs need declared properties: a top-level mapping output (dict[str, …]) cannot have them.
      const openEnded = signature.outputFields.some((f) => f.type.kind === 'dict');
      // As DSPy: ToolCalls written as text do not work well with structured outputs; JSON mode instead.
      const textToolCalls = !this.nativeFunctionCalling && toolFieldsOf(signature).output !== undefined;
      format =
        openEnded || textToolCalls
          ? { type: 'json_object' }
          : {
              type: 'json_schema',
              json_schema: {
                name: 'DSPyProgramOutputs',
                strict: true,
                // With native function calling the calls come as tool_calls, not inside the JSON.
                schema: outputsSchema(
                  this.nativeFunctionCalling
                    ? signature.outputFields.filter((f) => !isToolCallsType(f.type))
                    : signature.outputFields,
                ),
              },
            };
      this.formatCache.set(signature, format);
    }
    if (target.supportsStructuredOutputs === false && format.type === 'json_schema') {
      return { responseFormat: { type: 'json_object' } };
    }
    return { responseFormat: format };
  }

  /** Reads the output fields of a streamed reply from its JSON as it grows (see `program.stream()`). */
  fieldStream(signature: SignatureSpec<any, any>): FieldStream {
    return new JsonFieldStream(signature);
  }

  /** Reads the outputs from the reply's JSON object (repairing common breakage, as DSPy's json_repair). */
  parse(signature: SignatureSpec<any, any>, completion: string): Record<string, unknown> {
    // As DSPy: the whole reply through json_repair, else the first balanced {…} in it.
    let decoded = quickDecode(signature, completion) ?? readJson(completion, { keepFloats: true });
    if (!isObject(decoded)) {
      const objectText = firstBraces(completion);
      if (objectText !== undefined) decoded = readJson(objectText, { keepFloats: true });
    }
    if (!isObject(decoded)) {
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
    const outputs: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const field of signature.outputFields) {
      if (!Object.prototype.hasOwnProperty.call(decoded, field.name)) continue;
      const raw = decoded[field.name];
      try {
        outputs[field.name] = parseValue(field.type.kind === 'string' ? raw : plainNumbers(raw), field.type);
      } catch (error) {
        problems.push(`${field.name}: ${(error as Error).message}`);
      }
    }
    applyOutputDefaults(signature, outputs);
    const missing = signature.outputNames.filter(
      (n) => !(n in outputs) && !problems.some((p) => p.startsWith(`${n}: `)),
    );
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

/**
 * `JSON.parse` of a reply that is plain JSON, when no number's kind can matter: every `str` output holds a
 * string (else Python's `str()` of a number needs its literal, which the full reader keeps).
 */
function quickDecode(signature: SignatureSpec<any, any>, text: string): Record<string, unknown> | undefined {
  if (!jsonParseAgrees(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const f of signature.outputFields)
    if (f.type.kind === 'string' && f.name in value && typeof value[f.name] !== 'string') return undefined;
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The output fields as one class type, so demo values print as their fields' types say (`1.0`). */
function outputsType(signature: SignatureSpec<any, any>) {
  return {
    kind: 'class' as const,
    name: 'DSPyProgramOutputs',
    fields: signature.outputFields.map((f) => ({ name: f.name, type: f.type })),
  };
}

/**
 * The first balanced `{…}` of the text, as DSPy's recursive regex `\{(?:[^{}]|(?R))*\}` finds it: braces
 * count wherever they are, inside strings too.
 */
export function firstBraces(text: string): string | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}
