import 'reflect-metadata';
import { pyRepr } from '../adapter/python-repr';
import { InvalidOptionError } from '../errors/sigil-error';
import { onAbort } from '../lm/abort-listeners';
import { ToolCallError } from './errors';
import { inheritedMetadata, recordMetadata } from '../metadata/store';
import { ToolTimeoutError } from './tool-errors';
import { instrument, observing } from '../runtime/callbacks';
import { describeTool, safeJson } from '../runtime/gen-ai';
import { FUNCTION_TOOL } from '../custom-types/tool-calls';
import type { ClassFieldType } from '../signature/field-type';
import { argsFromClass, instantiateArgs } from './tool-args';

/** The JSON schema of each argument of a tool, as DSPy's `Tool.args`: `{ query: { type: 'string' } }`. */
export type ToolArgs = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What a tool's implementation gets besides its arguments. */
export interface ToolContext {
  /** Fires when the tool's time is up or the call it serves was aborted: stop the work and return. */
  signal: AbortSignal;
}

/**
 * A tool's implementation: receives the arguments the model chose as one object, and a context with an
 * AbortSignal to honour; may be async.
 */
export type ToolFunction<A = any, R = unknown> = (args: A, context: ToolContext) => R | Promise<R>;

/** How long a tool may run when neither it nor the agent says otherwise. */
export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

/** How one tool call is bounded. */
export interface ToolCallOptions {
  /** Aborts the tool (its `signal` fires) and rejects with this signal's reason. */
  signal?: AbortSignal;
  /** Used when the tool has no `timeoutMs` of its own (default 60 s). */
  timeoutMs?: number;
}

/** A JSON schema of a tool's arguments as one object (OpenAI's `parameters`). */
export interface ToolParametersSchema {
  readonly type?: 'object';
  readonly properties: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly required?: readonly string[];
}

/** What describes a tool to the model. */
export interface ToolOptions<A = any> {
  /** Defaults to the function's name. */
  name?: string;
  /** What the tool does; shown to the model. */
  desc?: string;
  /** Argument schemas; defaults to `{}` (no arguments). Arguments with no `default` are required. */
  args?: ToolArgs;
  /**
   * A class whose properties (with class-validator decorators, or `@Field()`) are the arguments: their JSON
   * schemas come from it, and each call's arguments are made an instance of it and validated first.
   */
  argsType?: new (...args: any[]) => A;
  /** The arguments as one JSON object schema (`{ properties, required }`), instead of `args`. */
  schema?: ToolParametersSchema;
  /** A description per argument, added to its schema (DSPy's `arg_desc`). */
  argDesc?: Readonly<Record<string, string>>;
  /**
   * How long one call may take before its signal fires and it fails with `ToolTimeoutError` (default: the
   * agent's `toolTimeoutMs`, else 60 s; `Infinity` for no limit).
   */
  timeoutMs?: number;
  /**
   * Arguments the model must give (a JSON schema's `required`); default: every argument without a
   * `default`. Tools bridged from MCP or LangChain pass their schema's list.
   */
  required?: readonly string[];
  /** Releases what the tool holds (an MCP connection); `program.close()` calls it, once per function. */
  close?: () => void | Promise<void>;
}

/** A tool written as a plain object. */
export interface ToolSpec<A = any, R = unknown> extends ToolOptions<A> {
  name: string;
  fn: ToolFunction<A, R>;
}

/** Anything ReAct accepts as a tool: a `Tool`, a `{ name, desc, args, fn }` object, or an instance with `@ToolMethod`s. */
export type ToolLike = Tool | ToolSpec | object;

const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A function the model may call, with a name, a description and a JSON schema per argument — DSPy's `dspy.Tool`.
 * @example const search = new Tool(async ({ query }: { query: string }) => wiki(query), {
 *   name: 'search_wikipedia', desc: 'Searches Wikipedia.', args: { query: { type: 'string' } } });
 */
export class Tool<A = any, R = unknown> {
  /** Marks Tool as a field type (`@Input({ type: [Tool] })`) for the layers below modules. */
  static readonly [FUNCTION_TOOL] = true;
  readonly name: string;
  readonly desc?: string;
  readonly args: ToolArgs;
  /** The arguments a call must give (see `ToolOptions.required`). */
  readonly required: readonly string[];
  readonly timeoutMs?: number;
  private readonly argsClass?: ClassFieldType;
  /** Releases what the tool holds; see `ToolOptions.close`. */
  readonly close?: () => void | Promise<void>;

  constructor(
    readonly fn: ToolFunction<A, R>,
    options: ToolOptions<A> = {},
  ) {
    if (typeof fn !== 'function')
      throw new InvalidOptionError('new Tool(fn, options) needs a function as its first argument.', {
        option: 'fn',
      });
    const name = options.name ?? fn.name;
    if (!name || !TOOL_NAME.test(name)) {
      throw new InvalidOptionError(
        name
          ? `Tool name "${name}" must be an identifier (letters, digits, _ or -).`
          : 'A tool needs a name: pass { name } or use a named function.',
        { option: 'name' },
      );
    }
    this.name = name;
    this.desc = options.desc || undefined;
    const sources = [options.args, options.argsType, options.schema].filter((s) => s !== undefined);
    if (sources.length > 1) {
      throw new InvalidOptionError(
        `Tool "${name}": give its arguments one way — args, argsType or schema, not several.`,
        { option: 'args' },
      );
    }
    let args: Record<string, Readonly<Record<string, unknown>>> = { ...(options.args ?? {}) };
    let required = Object.keys(args).filter((k) => !('default' in args[k]));
    if (options.argsType) {
      const fromClass = argsFromClass(options.argsType, name, options.argDesc);
      args = fromClass.args;
      required = fromClass.required;
      this.argsClass = fromClass.type;
    } else if (options.schema) {
      if (typeof options.schema.properties !== 'object' || options.schema.properties === null) {
        throw new InvalidOptionError(`Tool "${name}": schema needs a properties object.`, {
          option: 'schema',
        });
      }
      args = { ...options.schema.properties };
      required = [...(options.schema.required ?? [])];
    }
    if (!options.argsType && options.argDesc) {
      for (const [key, text] of Object.entries(options.argDesc))
        if (args[key]) args[key] = { ...args[key], description: text };
    }
    this.args = Object.freeze(args);
    this.required = Object.freeze(options.required ? [...options.required] : required);
    this.timeoutMs = checkTimeout(options.timeoutMs, `Tool "${name}": timeoutMs`);
    this.close = options.close;
  }

  /** Turns a `Tool`, a `{ name, fn }` object or an instance with `@ToolMethod`s into tools. */
  static from(value: ToolLike): Tool[] {
    if (value instanceof Tool) return [value];
    if (typeof value === 'function') return [new Tool(value as ToolFunction)];
    if (value && typeof value === 'object') {
      const spec = value as Partial<ToolSpec>;
      if (typeof spec.fn === 'function') return [new Tool(spec.fn, spec)];
      const methods = toolsOf(value);
      if (methods.length > 0) return methods;
    }
    throw new InvalidOptionError(
      `Not a tool: ${describe(value)}. Pass new Tool(fn, { name, desc, args }), { name, desc, args, fn }, ` +
        'or an object whose methods carry @ToolMethod().',
      { option: 'tools' },
    );
  }

  /**
   * Checks the arguments against the schemas (as DSPy does) and runs the tool, at most for its timeout:
   * then its signal fires and the call fails with `ToolTimeoutError`. When `options.signal` aborts, the
   * tool's signal fires and the call fails with that signal's reason at once, whether or not the tool
   * honours its signal.
   */
  async call(args: Record<string, unknown> = {}, options: ToolCallOptions = {}): Promise<R> {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new ToolCallError(`Arguments of ${this.name} must be a JSON object, got ${pyRepr(args)}.`, {
        tool: this.name,
      });
    }
    for (const [key, value] of Object.entries(args)) {
      const schema = this.args[key];
      if (!schema) throw new ToolCallError(`Arg ${key} is not in the tool's args.`, { tool: this.name });
      const problem = checkSchema(value, schema);
      if (problem) throw new ToolCallError(`Arg ${key} is invalid: ${problem}`, { tool: this.name });
    }
    const missing = this.required.filter((k) => args[k] === undefined);
    if (missing.length > 0)
      throw new ToolCallError(`${this.name}() is missing required arg(s): ${missing.join(', ')}.`, {
        tool: this.name,
      });
    let value = args as A;
    if (this.argsClass) {
      const made = instantiateArgs(this.argsClass, args);
      if ('problems' in made) {
        throw new ToolCallError(`Args of ${this.name} are invalid: ${made.problems.join('; ')}.`, {
          tool: this.name,
        });
      }
      value = made.value as A;
    }
    if (!observing()) return this.bounded(value, options);
    return instrument('tool', this.name, args, () => this.bounded(value, options), {
      describe: (content) => describeTool(this.name, args, content),
      result: (output, content) => (content ? { 'gen_ai.tool.call.result': safeJson(output) } : {}),
    });
  }

  private bounded(args: A, options: ToolCallOptions): Promise<R> {
    const caller = options.signal;
    if (caller?.aborted) return Promise.reject(caller.reason);
    const timeoutMs = this.timeoutMs ?? options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    const controller = new AbortController();
    return new Promise<R>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        if (timer) clearTimeout(timer);
        stopWatching?.();
      };
      const stopWatching =
        caller &&
        onAbort(caller, () => {
          settle();
          controller.abort(caller.reason);
          reject(caller.reason);
        });
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          settle();
          const error = new ToolTimeoutError(`the tool did not answer within ${timeoutMs} ms.`, {
            tool: this.name,
            timeoutMs,
          });
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      }
      Promise.resolve()
        .then(() => this.fn(args, { signal: controller.signal }))
        .then(
          (value) => {
            settle();
            resolve(value);
          },
          (error: unknown) => {
            settle();
            reject(error);
          },
        );
    });
  }

  /** DSPy's `str(tool)`, the line ReAct lists in its instructions. */
  toString(): string {
    const desc = this.desc ? `, whose description is <desc>${this.desc}</desc>.`.replace(/\n/g, '  ') : '.';
    return `${this.name}${desc} It takes arguments ${pyRepr(this.args)}.`;
  }
}

/**
 * Marks a method as a tool; `Tool.from(instance)` (or passing the instance to ReAct) binds it.
 * @example class Wiki { @ToolMethod({ desc: 'Searches Wikipedia.', args: { query: { type: 'string' } } })
 *   search_wikipedia({ query }: { query: string }) { … } }
 */
export function ToolMethod(options: ToolOptions = {}): MethodDecorator {
  return (prototype, property) => {
    if (typeof property === 'symbol')
      throw new InvalidOptionError('@ToolMethod() cannot decorate a symbol-named method.', {
        option: '@ToolMethod',
      });
    recordMetadata('tools', prototype.constructor, [property, { ...options }]);
  };
}

/** The `@ToolMethod`s of an instance (parents' first), bound to it. */
export function toolsOf(instance: object): Tool[] {
  const declared = new Map<string, ToolOptions>();
  for (const [property, options] of inheritedMetadata<[string, ToolOptions]>('tools', instance.constructor)) {
    declared.set(property, options);
  }
  return [...declared].map(([property, options]) => {
    const method = (instance as Record<string, unknown>)[property] as ToolFunction;
    return new Tool((args, context) => method.call(instance, args, context), {
      ...options,
      name: options.name ?? property,
    });
  });
}

/** A timeout option's value, checked: a positive number of milliseconds (Infinity allowed) or undefined. */
export function checkTimeout(value: number | undefined, option: string): number | undefined {
  if (value === undefined || (typeof value === 'number' && value > 0)) return value;
  throw new InvalidOptionError(
    `${option} must be a positive number of milliseconds (Infinity for no limit), got ${pyRepr(value)}.`,
    { option: option.split(': ').at(-1) },
  );
}

const JSON_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  null: (v) => v === null,
};

/** The subset of JSON-schema checks a tool call needs: `type` (one or a list), `enum`, array `items`. */
function checkSchema(value: unknown, schema: Readonly<Record<string, unknown>>): string | undefined {
  const type = schema.type;
  const types = Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
  const known = types.filter((t) => t in JSON_TYPES);
  if (known.length > 0 && !known.some((t) => JSON_TYPES[t](value))) {
    return `${pyRepr(value)} is not of type ${known.map((t) => `'${t}'`).join(', ')}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${pyRepr(value)} is not one of ${pyRepr(schema.enum)}`;
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object') {
    for (const item of value) {
      const problem = checkSchema(item, schema.items as Record<string, unknown>);
      if (problem) return problem;
    }
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object')
    return `an instance of ${value.constructor?.name ?? 'Object'} without @ToolMethod()s`;
  return typeof value;
}
