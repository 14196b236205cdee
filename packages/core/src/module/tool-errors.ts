import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';

/**
 * A tool did not answer within its `timeoutMs`. ReAct turns it into an observation (the default) or
 * rethrows it (`onToolTimeout: 'error'`); the tool's AbortSignal has fired.
 */
export class ToolTimeoutError extends SigilError {
  static override readonly code: string = 'TOOL_TIMEOUT';
  /** The tool's name. */
  readonly tool: string;
  readonly timeoutMs: number;

  constructor(message: string, options: SigilErrorOptions & { tool: string; timeoutMs: number }) {
    super(message, options);
    this.tool = options.tool;
    this.timeoutMs = options.timeoutMs;
  }
}
