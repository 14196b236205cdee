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
import { type FieldType, formatFieldValue } from '@sigil/core/internal';
import { CliError } from '../errors';

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
  const values = Object.fromEntries(fields.map((f) => [f.name, placeholderValue(f.name, f.type)]));
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
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
    case 'optional':
      return placeholderValue(name, type.inner);
    case 'class':
      return Object.fromEntries(
        type.fields.map((member) => [member.name, placeholderValue(member.name, member.type)]),
      );
  }
}
