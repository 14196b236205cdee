/**
 * Where Sigil's own warnings and notices go: the logger of the settings in force (`configure({ logger })`,
 * or per request — the NestJS module binds Nest's `Logger`), else Node's process warnings. This file is
 * below every other layer; the runtime settings register themselves as the source (`setLogSource`).
 */

/** What a log line carries besides its message. */
export interface LogDetails {
  /** A stable code (`SIGIL_UNDECLARED_MODULE`, `SIGIL_TOOL_FAILED` …), listed in docs/errors.md. */
  readonly code: string;
  /** The tags of the settings in force (a request id, a tenant). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A logger for Sigil's messages: Nest's `Logger`, pino, winston — anything with these methods.
 * @example configure({ logger: { warn: (message, { code }) => log.warn({ code }, message) } });
 */
export interface SigilLogger {
  /** Something is probably wrong (an undeclared module, an unwritable cache folder). */
  warn(message: string, details: LogDetails): void;
  /** Worth knowing while it runs (a tool that failed and became an observation, a state file loaded). */
  log?(message: string, details: LogDetails): void;
}

interface LogSource {
  readonly logger?: SigilLogger;
  readonly tags?: Readonly<Record<string, string>>;
}

let source: () => LogSource = () => ({});

/** Registers where the logger of the moment comes from (the runtime settings do, once). */
export function setLogSource(next: () => LogSource): void {
  source = next;
}

/** A warning: to the configured logger, else as a Node process warning with its code. */
export function logWarning(code: string, message: string): void {
  const { logger, tags } = source();
  if (logger) logger.warn(message, { code, tags });
  else process.emitWarning(message, { code });
}

/** A notice: to the configured logger only (nothing is printed when none is configured). */
export function logNotice(code: string, message: string): void {
  const { logger, tags } = source();
  (logger?.log ?? logger?.warn)?.call(logger, message, { code, tags });
}
