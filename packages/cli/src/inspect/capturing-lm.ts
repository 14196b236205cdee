/**
 * The LM `sigil inspect` puts on every predictor: it records the first request each predictor makes —
 * exactly the messages a real LM would receive — and answers with a placeholder reply that parses, so a
 * multi-step program goes on to its next predictors. Nothing leaves the process.
 */
import {
  type CallOptions,
  type ChatMessage,
  type LanguageModel,
  type LMResponse,
  type SignatureSpec,
} from '@sigil/core';
import { type Constraint, type FieldType, formatFieldValue } from '@sigil/core/internal';
import { CliError } from '../errors';
import { contentText } from '@sigil/core';

/** One predictor's first request. */
export interface CapturedRequest {
  path: string;
  signature: string;
  messages: ChatMessage[];
  options: CallOptions;
}

/** More calls than any sane program makes for one example: a loop fed placeholders is stopped here. */
const MAX_CALLS = 100;

/** Records requests in call order, first one per predictor. */
export class RequestCapture {
  readonly requests: CapturedRequest[] = [];
  calls = 0;

  /** Stands in for the configured LM, so a predictor the walk did not find never reaches a real one. */
  readonly fallback: LanguageModel = {
    model: 'sigil-inspect',
    call: async () => {
      throw new CliError('a predictor not reachable from the program (made inside forward?) asked for an LM');
    },
  };

  /** An LM for the predictor at `path`. */
  lmFor(path: string, signatureOf: () => SignatureSpec<any, any>): LanguageModel {
    return {
      model: 'sigil-inspect',
      supportsStructuredOutputs: true,
      call: async (messages: ChatMessage[], options: CallOptions = {}): Promise<LMResponse> => {
        if (++this.calls > MAX_CALLS) {
          throw new CliError(
            `the program made more than ${MAX_CALLS} LM calls with placeholder replies; stopped it.`,
          );
        }
        if (!this.requests.some((r) => r.path === path)) {
          this.requests.push({ path, signature: signatureOf().name, messages, options });
        }
        const text = placeholderReply(signatureOf(), messages, options);
        return {
          completions: Array.from({ length: options.n ?? 1 }, () => ({ text, finishReason: 'stop' })),
          usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0, totalTokens: 0 },
          cost: 0,
          model: 'sigil-inspect',
          cached: false,
          durationMs: 0,
        };
      },
    };
  }
}

/** A reply with every output field filled with a value of its type, in the format the request asks for. */
function placeholderReply(
  signature: SignatureSpec<any, any>,
  messages: ChatMessage[],
  options: CallOptions,
): string {
  const fields = signature.outputFields;
  const values = Object.fromEntries(
    fields.map((f) => [f.name, constrained(placeholderValue(f.name, f.type), f.constraints)]),
  );
  const system = contentText(messages.find((m) => m.role === 'system')?.content ?? '');
  if (options.responseFormat || system.includes('Outputs will be a JSON object'))
    return JSON.stringify(values);
  const blocks = fields.map((f) => `[[ ## ${f.name} ## ]]\n${formatFieldValue(values[f.name], f.type)}`);
  return `${blocks.join('\n\n')}\n\n[[ ## completed ## ]]`;
}

function placeholderValue(name: string, type: FieldType): unknown {
  switch (type.kind) {
    case 'string':
    case 'any':
      return `(placeholder ${name})`;
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'dict':
      return {};
    case 'literal':
      // ReAct's tool choice: finishing ends the loop after one step.
      return type.values.includes('finish') ? 'finish' : type.values[0];
    case 'enum':
      return type.members[0]?.value;
    case 'optional':
      return placeholderValue(name, type.inner);
    case 'class':
      return Object.fromEntries(
        type.fields.map((member) => [member.name, placeholderValue(member.name, member.type)]),
      );
  }
}

/**
 * A placeholder changed to satisfy the field's class-validator constraints (`@IsIn`, `@Min`/`@Max`, lengths,
 * sizes, `@IsEmail`, `@IsUrl` …), so the reply parses and validates and the program goes on to its next
 * predictors. Constraints it cannot satisfy (a `@Matches` pattern) leave the value as it is.
 */
export function constrained(value: unknown, constraints: readonly Constraint[]): unknown {
  let out = value;
  for (const { kind, args } of constraints) {
    const [a, b] = args as [unknown, unknown];
    if (kind === 'isIn' && Array.isArray(a) && a.length > 0) return a[0];
    if (kind === 'equals') return a;
    if (typeof out === 'number') out = withinBounds(out, kind, Number(a));
    else if (typeof out === 'string') out = withinLength(out, kind, a, b);
    else if (Array.isArray(out)) {
      const list: unknown[] = out;
      if (kind === 'arrayMinSize' && list.length < Number(a))
        out = Array.from({ length: Number(a) }, () => '(placeholder)');
      else if (kind === 'arrayMaxSize' && list.length > Number(a)) out = list.slice(0, Number(a));
    }
  }
  return out;
}

function withinBounds(value: number, kind: string, bound: number): number {
  if ((kind === 'min' || kind === 'ge') && value < bound) return bound;
  if (kind === 'gt' && value <= bound) return bound + 1;
  if ((kind === 'max' || kind === 'le') && value > bound) return bound;
  if (kind === 'lt' && value >= bound) return bound - 1;
  if (kind === 'isPositive' && value <= 0) return 1;
  if (kind === 'isNegative' && value >= 0) return -1;
  return value;
}

function withinLength(value: string, kind: string, a: unknown, b: unknown): string {
  if (kind === 'isEmail') return 'placeholder@example.com';
  if (kind === 'isUrl') return 'https://example.com/placeholder';
  const min = kind === 'minLength' || kind === 'isLength' ? Number(a) : undefined;
  const max = kind === 'maxLength' ? Number(a) : kind === 'isLength' ? Number(b) : undefined;
  let out = value;
  if (min !== undefined && out.length < min) out = out.padEnd(min, '.');
  if (max !== undefined && Number.isFinite(max) && out.length > max) out = out.slice(0, max);
  return out;
}
