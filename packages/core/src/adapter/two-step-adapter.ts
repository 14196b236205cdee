import { isHistoryValue } from '../custom-types/history';
import { LMError } from '../lm/errors';
import type { ChatMessage, LanguageModel } from '../lm/types';
import { type FieldSpec, inferPrefix, SignatureSpec } from '../signature/signature-spec';
import { STRING } from '../signature/field-type';
import type { Adapter, AdapterTarget, Demo, ParseContext } from './adapter';
import { ChatAdapter } from './chat-adapter';
import { expandCustomTypes } from './content-parts';
import { AdapterParseError, excerpt } from './errors';
import { pyRepr, pyStr } from './python-repr';
import { pyStrip } from './python-text';
import { fieldList } from './field-list';

const INCOMPLETE_DEMO_PREFIX =
  'This is an example of the task, though some input or output fields are not supplied.';

/**
 * DSPy's TwoStepAdapter: the main LM gets a plain, natural prompt (the task, the fields, `name: value`
 * inputs) and answers freely; a second, usually smaller, `extractionModel` then pulls the output fields
 * out of that answer through ChatAdapter (with its JSONAdapter fallback). Made for reasoning models, which
 * do worse when asked for a structured reply. The extraction call counts in the prediction's usage.
 * @example configure({ lm: new LM('openai/o3-mini'), adapter: new TwoStepAdapter(new LM('openai/gpt-4o-mini')) });
 */
export class TwoStepAdapter implements Adapter {
  readonly name = 'TwoStepAdapter';
  private readonly extractors = new WeakMap<SignatureSpec<any, any>, SignatureSpec<any, any>>();
  private readonly extractionAdapter = new ChatAdapter();

  constructor(readonly extractionModel: LanguageModel) {
    if (!extractionModel || typeof extractionModel.call !== 'function') {
      throw new AdapterParseError(
        'TwoStepAdapter needs an extraction model: new TwoStepAdapter(new LM(…)).',
        {
          signature: '(none)',
          adapter: 'TwoStepAdapter',
          completion: '',
          code: 'ADAPTER_NO_EXTRACTION_LM',
        },
      );
    }
  }

  /** The main LM's messages: the task description, the demos as turns, then the inputs as `name: value`. */
  format(
    signature: SignatureSpec<any, any>,
    demos: readonly Demo[],
    inputs: Record<string, unknown>,
  ): ChatMessage[] {
    const messages: ChatMessage[] = [{ role: 'system', content: this.taskDescription(signature) }];
    const complete: Demo[] = [];
    const incomplete: Demo[] = [];
    for (const demo of demos) {
      if (signature.fields.every((f) => demo[f.name] !== undefined && demo[f.name] !== null))
        complete.push(demo);
      else if (signature.inputNames.some((n) => n in demo) && signature.outputNames.some((n) => n in demo))
        incomplete.push(demo);
    }
    for (const [group, prefix] of [
      [incomplete, INCOMPLETE_DEMO_PREFIX],
      [complete, ''],
    ] as const) {
      for (const demo of group) {
        messages.push(
          expandCustomTypes({ role: 'user', content: this.userContent(signature, demo, prefix) }),
        );
        messages.push({ role: 'assistant', content: this.assistantContent(signature, demo) });
      }
    }
    messages.push(expandCustomTypes({ role: 'user', content: this.userContent(signature, inputs, '') }));
    return messages;
  }

  /** TwoStepAdapter parses with an LM call: use `parseAsync` (as `Predict` does). */
  parse(signature: SignatureSpec<any, any>, completion: string): Record<string, unknown> {
    throw new AdapterParseError(
      `TwoStepAdapter parses a reply by calling its extraction model, so it cannot parse synchronously ` +
        `(signature "${signature.name}"): call parseAsync, or run it through Predict.`,
      { signature: signature.name, adapter: this.name, completion, code: 'ADAPTER_PARSE_NEEDS_LM' },
    );
  }

  /** The outputs, extracted from the main LM's free-form answer by the extraction model. */
  async parseAsync(
    signature: SignatureSpec<any, any>,
    completion: string,
    context: ParseContext,
  ): Promise<Record<string, unknown>> {
    const extractor = this.extractorSignature(signature);
    const inputs = { text: completion };
    try {
      return await this.extract(this.extractionAdapter, extractor, inputs, context);
    } catch (error) {
      if (LMError.isInstance(error)) throw error;
      let cause = error;
      if (AdapterParseError.isInstance(error) && this.extractionAdapter.fallback) {
        // As DSPy's ChatAdapter: an extraction it cannot parse is asked for once more through JSONAdapter.
        try {
          return await this.extract(this.extractionAdapter.fallback, extractor, inputs, context);
        } catch (again) {
          if (LMError.isInstance(again)) throw again;
          cause = again;
        }
      }
      throw new AdapterParseError(
        `TwoStepAdapter: failed to parse response from the original completion for signature ` +
          `"${signature.name}": ${(cause as Error).message}\nCompletion was:\n${excerpt(completion)}`,
        {
          signature: signature.name,
          adapter: this.name,
          completion,
          found: [],
          missing: [...signature.outputNames],
          cause,
        },
      );
    }
  }

  callOptions(_signature: SignatureSpec<any, any>, _target: AdapterTarget): Record<string, never> {
    return {};
  }

  /** DSPy's `format_task_description`. */
  taskDescription(signature: SignatureSpec<any, any>): string {
    const parts = [
      'You are a helpful assistant that can solve tasks based on user input.',
      `As input, you will be provided with:\n${fieldList(signature.inputFields)}`,
      `Your outputs must contain:\n${fieldList(signature.outputFields)}`,
      'You should lay out your outputs in detail so that your answer can be understood by another agent',
    ];
    if (signature.instructions) parts.push(`Specific instructions: ${signature.instructions}`);
    return parts.join('\n');
  }

  /** The extraction signature: `text -> <the outputs>`, with DSPy's instructions (cached per signature). */
  extractorSignature(signature: SignatureSpec<any, any>): SignatureSpec<any, any> {
    let extractor = this.extractors.get(signature);
    if (!extractor) {
      const text: FieldSpec = Object.freeze({
        name: 'text',
        io: 'input',
        type: STRING,
        prefix: inferPrefix('text'),
        constraints: Object.freeze([]),
      });
      const outputs = signature.outputNames.map((n) => `\`${n}\``).join(', ');
      // DSPy's f-string continues over a backslash-newline: the next line's 12 spaces of indentation stay.
      const instructions =
        `The input is a text that should contain all the necessary information to produce the fields ${outputs}. ` +
        `${' '.repeat(12)}Your job is to extract the fields from the text verbatim. Extract precisely the ` +
        'appropriate value (content) for each field.';
      extractor = new SignatureSpec('StringSignature', [text, ...signature.outputFields], instructions);
      this.extractors.set(signature, extractor);
    }
    return extractor;
  }

  private async extract(
    adapter: Adapter,
    extractor: SignatureSpec<any, any>,
    inputs: Record<string, unknown>,
    context: ParseContext,
  ): Promise<Record<string, unknown>> {
    const messages = adapter.format(extractor, [], inputs);
    const options = { ...adapter.callOptions(extractor, this.extractionModel), signal: context.signal };
    const response = await context.callLM(this.extractionModel, messages, options);
    const first = response.completions[0];
    if (!first) {
      throw new AdapterParseError('the extraction model returned no completion.', {
        signature: extractor.name,
        adapter: adapter.name,
        completion: '',
        code: 'ADAPTER_NO_COMPLETION',
      });
    }
    return adapter.parse(extractor, first.text);
  }

  private userContent(signature: SignatureSpec<any, any>, values: Demo, prefix: string): string {
    const parts = [prefix];
    for (const f of signature.inputFields)
      if (f.name in values) parts.push(`${f.name}: ${valueText(values[f.name])}`);
    parts.push('');
    return pyStrip(parts.join('\n\n'));
  }

  private assistantContent(signature: SignatureSpec<any, any>, outputs: Demo): string {
    const parts: string[] = [];
    for (const f of signature.outputFields)
      if (f.name in outputs) parts.push(`${f.name}: ${valueText(outputs[f.name])}`);
    return pyStrip(parts.join('\n\n'));
  }
}

/** Python's `str()` of a value in an f-string (a History prints as pydantic prints a model). */
function valueText(value: unknown): string {
  if (isHistoryValue(value) && !Array.isArray(value)) return `messages=${pyRepr(value.messages)}`;
  return pyStr(value);
}
