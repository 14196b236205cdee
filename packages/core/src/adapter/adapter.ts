import { InvalidOptionError } from '../errors/sigil-error';
import type { CallOptions, ChatMessage, LanguageModel, LMResponse } from '../lm/types';
import type { FieldSpec, SignatureSpec } from '../signature/signature-spec';
import { isHistoryValue, type HistoryMessage } from '../custom-types/history';
import { HistoryError } from '../custom-types/errors';
import { isHistoryType } from '../signature/field-type';
import { expandCustomTypes, expandMessages } from './content-parts';
import { type TurnWriter, toolTurnMessages } from './tool-turns';
import type { FieldStream } from './field-stream';
import { type MarkerPolicy, guardMarkers } from './markers';
import { formatFieldValue } from './python-values';
import { pyStrip } from './python-text';
import {
  COMPLETE_DEMO_MISSING_MESSAGE,
  type Demo,
  type DemoCache,
  demoReach,
  demoValues,
  INCOMPLETE_DEMO_PREFIX,
  MISSING_FIELD_MESSAGE,
  sameDemos,
} from './demos';
import { fieldList, objective } from './field-list';

/** Options every adapter takes. */
export interface AdapterOptions {
  /**
   * What to do with a field marker (`[[ ## name ## ]]`) inside a value put in the prompt. `'keep'` (the
   * default) sends DSPy's bytes, so a user's text can forge the prompt's structure; `'escape'` prefixes it
   * with a backslash (`\[[ ## name ## ]]`) so it cannot be read as a field boundary; `'reject'` throws an
   * `AdapterFormatError`. Use `'escape'` or `'reject'` in services that put untrusted text in fields.
   */
  markers?: MarkerPolicy;
  /**
   * Send a signature's tools (an input of type `Tool` / `[Tool]` with a `ToolCalls` output) as the request's
   * `tools` and read the reply's `tool_calls`, as DSPy's `use_native_function_calling` (default: false for
   * ChatAdapter, true for JSONAdapter, as in DSPy). Otherwise the model writes the calls as text.
   */
  nativeFunctionCalling?: boolean;
  /** With native function calling: the request's `parallel_tool_calls` (unset by default). */
  parallelToolCalls?: boolean;
}

export type { Demo } from './demos';

/** What an adapter needs to know about the LM it will talk to. */
export interface AdapterTarget {
  readonly supportsStructuredOutputs?: boolean;
  /** Whether the endpoint takes `tools` and answers with `tool_calls` (assumed unless false). */
  readonly supportsFunctionCalling?: boolean;
}

/**
 * Turns (signature, demos, inputs) into chat messages, and a completion back into typed outputs.
 * Adapters are stateless apart from per-signature caches, so one instance can serve every request.
 */
export interface Adapter {
  readonly name: string;
  /** The chat messages for `inputs`: system message, the demos as turns, then the request. */
  format(
    signature: SignatureSpec<any, any>,
    demos: readonly Demo[],
    inputs: Record<string, unknown>,
  ): ChatMessage[];
  /** The output values of a completion, typed and validated; throws `AdapterParseError` when it cannot. */
  parse(signature: SignatureSpec<any, any>, completion: string): Record<string, unknown>;
  /** Request options the adapter needs (e.g. `responseFormat`); `{}` when none. */
  callOptions(signature: SignatureSpec<any, any>, target: AdapterTarget): Partial<CallOptions>;
  /** An adapter to try once when this one cannot parse a reply (ChatAdapter → JSONAdapter). */
  readonly fallback?: Adapter;
  /** See `AdapterOptions.nativeFunctionCalling`. */
  readonly nativeFunctionCalling?: boolean;
  /** See `AdapterOptions.parallelToolCalls`. */
  readonly parallelToolCalls?: boolean;
  /** A reader of a streamed reply's output fields, for `program.stream()` (none: no field chunks). */
  fieldStream?(signature: SignatureSpec<any, any>): FieldStream;
  /** One line of chat fine-tuning data (DSPy's `format_finetune_data`); an adapter that cannot write it lacks it. */
  formatFinetuneData?(
    signature: SignatureSpec<any, any>,
    demos: readonly Demo[],
    inputs: Record<string, unknown>,
    outputs: Record<string, unknown>,
  ): { messages: ChatMessage[] };
  /**
   * For an adapter whose parsing calls an LM (`TwoStepAdapter`): the outputs of a completion, read
   * asynchronously. `Predict` uses it instead of `parse` when present.
   */
  parseAsync?(
    signature: SignatureSpec<any, any>,
    completion: string,
    context: ParseContext,
  ): Promise<Record<string, unknown>>;
}

/** What `Predict` gives an adapter whose parsing calls an LM. */
export interface ParseContext {
  /**
   * Calls an LM as the predictor calls its own: through the LM middlewares in force, inside a span, with
   * its usage and cost added to the prediction's.
   */
  callLM(lm: LanguageModel, messages: ChatMessage[], options?: Partial<CallOptions>): Promise<LMResponse>;
  /** The predictor's abort signal, if any. */
  readonly signal?: AbortSignal;
}

/** A signature's History input, and the signature without it. */
interface HistorySplit {
  readonly field: string;
  readonly rest: SignatureSpec<any, any>;
}

/**
 * The parts DSPy's ChatAdapter and JSONAdapter share: demo ordering, the field list and the objective
 * of the system message, and user messages. Subclasses supply the structure section and the reply format.
 * The system message, output requirements and demo messages are cached per signature object (weakly, so
 * derived signatures an optimizer throws away are collected).
 */
export abstract class BaseAdapter implements Adapter {
  abstract readonly name: string;
  /** See `AdapterOptions.markers`. */
  readonly markers: MarkerPolicy;
  /** See `AdapterOptions.nativeFunctionCalling`. */
  readonly nativeFunctionCalling: boolean;
  /** See `AdapterOptions.parallelToolCalls`. */
  readonly parallelToolCalls?: boolean;
  private readonly systemCache = new WeakMap<SignatureSpec<any, any>, string>();
  private readonly requirementCache = new WeakMap<SignatureSpec<any, any>, string>();
  private readonly demoCache = new WeakMap<SignatureSpec<any, any>, WeakMap<readonly Demo[], DemoCache>>();
  private readonly withoutHistory = new WeakMap<SignatureSpec<any, any>, HistorySplit | null>();

  abstract parse(signature: SignatureSpec<any, any>, completion: string): Record<string, unknown>;
  /** The system message's section on how inputs and outputs are laid out. */
  protected abstract fieldStructure(signature: SignatureSpec<any, any>): string;
  /** The closing sentence of a request: which output fields to produce, in which order. */
  protected abstract outputRequirements(signature: SignatureSpec<any, any>): string;
  /**
   * A demo's (or an earlier turn's) outputs written as the model should write its reply; an output it
   * lacks is written as `missing` (DSPy: a note for demos, `None` for conversation history).
   */
  protected abstract assistantContent(
    signature: SignatureSpec<any, any>,
    outputs: Demo,
    where: string,
    missing?: unknown,
  ): string;

  constructor(options: AdapterOptions = {}, nativeByDefault = false) {
    this.markers = options.markers ?? 'keep';
    this.nativeFunctionCalling = options.nativeFunctionCalling ?? nativeByDefault;
    this.parallelToolCalls = options.parallelToolCalls;
    if (!['keep', 'escape', 'reject'].includes(this.markers)) {
      throw new InvalidOptionError(
        `Adapter option "markers" must be 'keep', 'escape' or 'reject', got ${JSON.stringify(options.markers)}.`,
        { option: 'markers' },
      );
    }
  }

  /** A field's value as prompt text, with markers inside it handled as `markers` says. */
  protected fieldText(
    signature: SignatureSpec<any, any>,
    field: FieldSpec,
    value: unknown,
    where: string,
  ): string {
    const text = formatFieldValue(value, field.type);
    return this.markers === 'keep'
      ? text
      : guardMarkers(text, this.markers, this.name, signature.name, field.name, where);
  }

  callOptions(_signature: SignatureSpec<any, any>, _target: AdapterTarget): Partial<CallOptions> {
    return {};
  }

  /**
   * DSPy's `Adapter.format`: the system message, the demos as turns, the conversation history (when the
   * signature has a `History` input) as turns, then the request. User messages holding an `Image` are
   * lists of content parts; all others are strings.
   */
  format(
    signature: SignatureSpec<any, any>,
    demos: readonly Demo[],
    inputs: Record<string, unknown>,
  ): ChatMessage[] {
    const messages: ChatMessage[] = [{ role: 'system', content: this.systemMessage(signature) }];
    if (demos.length > 0) for (const m of this.demoMessages(signature, demos)) messages.push(m);
    const split = this.historySplit(signature);
    if (!split) {
      const content = this.userContent(signature, inputs, '', true, 'the inputs');
      messages.push(expandCustomTypes({ role: 'user', content }));
      return messages;
    }
    // As DSPy: the system message and demos keep the History field; the turns and the request do not.
    const history = inputs[split.field];
    if (history !== undefined && history !== null) {
      for (const m of this.conversationMessages(split.rest, history, split.field)) messages.push(m);
    }
    const content = this.userContent(split.rest, inputs, '', true, 'the inputs');
    if (content) messages.push(expandCustomTypes({ role: 'user', content }));
    return messages;
  }

  /**
   * DSPy's `format_finetune_data`: one line of chat fine-tuning data — the messages `format` sends for
   * `inputs`, then the assistant's reply holding `outputs` as the model should write it.
   * @example const { messages } = new ChatAdapter().formatFinetuneData(signatureOf(QA), [], { question }, { answer });
   */
  formatFinetuneData(
    signature: SignatureSpec<any, any>,
    demos: readonly Demo[],
    inputs: Record<string, unknown>,
    outputs: Record<string, unknown>,
  ): { messages: ChatMessage[] } {
    const reply = this.assistantContent(signature, outputs, 'the outputs', null);
    return { messages: [...this.format(signature, demos, inputs), { role: 'assistant', content: reply }] };
  }

  /**
   * DSPy's `format_conversation_history`: each earlier message as a user turn (the inputs it holds, left
   * out when it holds none) and an assistant turn (its outputs, `None` for those it lacks); a turn holding
   * `ToolCalls` with results adds them (as `tool` messages with native function calling).
   */
  protected conversationMessages(
    signature: SignatureSpec<any, any>,
    history: unknown,
    field: string,
  ): ChatMessage[] {
    if (!isHistoryValue(history)) {
      throw new HistoryError(
        `${this.name}: input "${field}" of signature "${signature.name}" must be a History ` +
          '(new History([{ question, answer }, …]) or { messages: [...] }).',
      );
    }
    const messages: ChatMessage[] = [];
    const writer: TurnWriter = {
      nativeFunctionCalling: this.nativeFunctionCalling,
      userContent: (s, values, where) => this.userContent(s, values, '', false, where),
      assistantContent: (s, values, where) => this.assistantContent(s, values, where, null),
    };
    history.messages.forEach((message: HistoryMessage, i) => {
      const where = `${field}.messages[${i}]`;
      const toolTurn = toolTurnMessages(writer, signature, message, where);
      if (toolTurn) {
        for (const m of toolTurn) messages.push(m.role === 'user' ? expandCustomTypes(m) : m);
        return;
      }
      const user = this.userContent(signature, message, '', false, where);
      if (user) messages.push(expandCustomTypes({ role: 'user', content: user }));
      messages.push({ role: 'assistant', content: this.assistantContent(signature, message, where, null) });
    });
    return messages;
  }

  /** The signature's `History` input and the signature without it, or null when it has none (cached). */
  private historySplit(signature: SignatureSpec<any, any>): HistorySplit | null {
    let split = this.withoutHistory.get(signature);
    if (split === undefined) {
      const field = signature.inputFields.find((f) => isHistoryType(f.type));
      split = field ? { field: field.name, rest: signature.delete(field.name) } : null;
      this.withoutHistory.set(signature, split);
    }
    return split;
  }

  /** The system message: field list, structure, objective (cached per signature). */
  systemMessage(signature: SignatureSpec<any, any>): string {
    let text = this.systemCache.get(signature);
    if (text === undefined) {
      text =
        `Your input fields are:\n${fieldList(signature.inputFields)}\nYour output fields are:\n${fieldList(signature.outputFields)}\n` +
        `${this.fieldStructure(signature)}\n${objective(signature.instructions)}`;
      this.systemCache.set(signature, text);
    }
    return text;
  }

  /** A user turn: the inputs present, then (for the real request) what to answer with. */
  userContent(
    signature: SignatureSpec<any, any>,
    values: Demo,
    prefix: string,
    mainRequest: boolean,
    where = 'the inputs',
  ): string {
    let out = prefix;
    for (const field of signature.inputFields) {
      if (!(field.name in values)) continue;
      out += `\n\n[[ ## ${field.name} ## ]]\n${this.fieldText(signature, field, values[field.name], where)}`;
    }
    if (mainRequest) {
      let requirement = this.requirementCache.get(signature);
      if (requirement === undefined) {
        requirement = this.outputRequirements(signature);
        this.requirementCache.set(signature, requirement);
      }
      out += `\n\n${requirement}`;
    }
    return pyStrip(out);
  }

  private demoMessages(signature: SignatureSpec<any, any>, demos: readonly Demo[]): readonly ChatMessage[] {
    let perSignature = this.demoCache.get(signature);
    if (!perSignature) {
      perSignature = new WeakMap();
      this.demoCache.set(signature, perSignature);
    }
    const hit = perSignature.get(demos);
    if (hit && sameDemos(signature, demos, hit)) return hit.messages;
    // Frozen: the same message objects are handed to every later call with these demos.
    const built = expandMessages(this.buildDemoMessages(signature, demos));
    const messages = Object.freeze(built.map((m) => Object.freeze(m)));
    perSignature.set(demos, { items: [...demos], values: demoValues(signature, demos), messages });
    return messages;
  }

  private buildDemoMessages(signature: SignatureSpec<any, any>, demos: readonly Demo[]): ChatMessage[] {
    const complete: [Demo, string][] = [];
    const incomplete: [Demo, string][] = [];
    demos.forEach((demo, i) => {
      const reach = demoReach(signature, demo);
      if (reach === 'complete') complete.push([demo, `demo ${i}`]);
      else if (reach === 'incomplete') incomplete.push([demo, `demo ${i}`]);
    });
    const messages: ChatMessage[] = [];
    for (const [demo, where] of incomplete) {
      messages.push({
        role: 'user',
        content: this.userContent(signature, demo, INCOMPLETE_DEMO_PREFIX, false, where),
      });
      messages.push({
        role: 'assistant',
        content: this.assistantContent(signature, demo, where, MISSING_FIELD_MESSAGE),
      });
    }
    for (const [demo, where] of complete) {
      messages.push({ role: 'user', content: this.userContent(signature, demo, '', false, where) });
      messages.push({
        role: 'assistant',
        content: this.assistantContent(signature, demo, where, COMPLETE_DEMO_MISSING_MESSAGE),
      });
    }
    return messages;
  }
}
