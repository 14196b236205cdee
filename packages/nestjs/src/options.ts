import type {
  ExecutionContext,
  InjectionToken,
  ModuleMetadata,
  OptionalFactoryDependency,
  Type,
} from '@nestjs/common';
import type { Adapter, Callback, CallOptions, LanguageModel, Settings, SigilLogger } from '@sigil/core';

/** The token under which the resolved {@link SigilModuleOptions} are provided. */
export const SIGIL_MODULE_OPTIONS = Symbol('SIGIL_MODULE_OPTIONS');

/**
 * Something holding buffered writes that must reach storage before the process exits; flushed on shutdown
 * after in-flight LM calls have drained.
 */
export interface Flushable {
  /** Writes what is buffered; may return a promise. */
  flush(): unknown;
}

/**
 * Builds the Sigil settings of one request (its LM, API key, tags…) from the request. Return `undefined`
 * to run the request with the module's settings alone.
 * @example (req) => ({ tags: { requestId: req.headers['x-request-id'] ?? randomUUID() } })
 */
export type RequestContextResolver = (
  /** The HTTP request; for other transports, the handler's first argument (RPC payload, WebSocket client). */
  request: any,
  context: ExecutionContext,
) => Partial<Settings> | undefined | Promise<Partial<Settings> | undefined>;

/** What the application's programs run with, and how requests and shutdown are handled. */
export interface SigilModuleOptions {
  /** The default LM of every program (`new LM('openai/gpt-4o-mini')`, or `ScriptedLM` in tests). */
  lm?: LanguageModel;
  /** The default adapter (ChatAdapter when unset). */
  adapter?: Adapter;
  /** Callbacks of every program call; a request's own callbacks run after these. */
  callbacks?: readonly Callback[];
  /** Default LM call options (temperature, maxTokens…); a request's own are merged over these. */
  lmOptions?: Partial<CallOptions>;
  /** Parse/validation retries fed back to the model (core's default: 2). */
  maxRetries?: number;
  /** Labels every call carries; a request's own tags are merged over these. */
  tags?: Readonly<Record<string, string>>;
  /**
   * Caches (or anything with `flush()`, such as an LM's `lm.cache`) to flush on shutdown, after in-flight LM
   * calls drained. Sigil's `LM` writes each answer to its cache before the call returns, so draining alone
   * persists it; flushing also waits for writes made outside a call.
   */
  cache?: Flushable | readonly Flushable[];
  /** Per-request settings, entered by the global interceptor around each handler. */
  resolveRequestContext?: RequestContextResolver;
  /** How long shutdown waits for in-flight LM calls (default 10,000 ms). */
  shutdownTimeoutMs?: number;
  /**
   * Where Sigil's warnings and notices go (a failed tool, an undeclared module …): Nest's `Logger` under the
   * context `Sigil` by default, with the request id; pass your own, or `false` for Node's process warnings.
   */
  logger?: SigilLogger | false;
  /**
   * The header a request's id is read from, tagged `requestId` on its Sigil settings and shown in its log
   * lines (default `x-request-id`; a request without one gets a random id).
   */
  requestIdHeader?: string;
}

/** Registration choices that shape the module itself, so they cannot come from an async factory. */
export interface SigilRegistrationOptions {
  /** Register {@link SigilExceptionFilter} globally (default true). */
  mapErrors?: boolean;
}

/**
 * Options built at startup from other providers.
 * @example
 * SigilModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ lm: new LM(config.getOrThrow('SIGIL_LM')) }),
 * })
 */
export interface SigilModuleAsyncOptions extends SigilRegistrationOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Builds the options from the `inject`ed providers (sync or async). */
  useFactory?: (...args: any[]) => SigilModuleOptions | Promise<SigilModuleOptions>;
  /** A class Nest builds (injecting its dependencies) whose `createSigilOptions()` gives the options. */
  useClass?: Type<SigilOptionsFactory>;
  /** An existing provider (from `imports`) whose `createSigilOptions()` gives the options. */
  useExisting?: Type<SigilOptionsFactory>;
}

/**
 * What `forRootAsync({ useClass })` / `{ useExisting }` builds the options with.
 * @example @Injectable() class SigilConfig implements SigilOptionsFactory { createSigilOptions() { return { lm }; } }
 */
export interface SigilOptionsFactory {
  /** The module's options (sync or async). */
  createSigilOptions(): SigilModuleOptions | Promise<SigilModuleOptions>;
}
