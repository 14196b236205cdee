import type { History } from '../custom-types/history';
import { ModuleRunError } from './errors';

/**
 * A native-tool ReAct episode ended without the `submit` call that carries its outputs, even after the turn
 * that asked for it (`tool_choice: submit`). `history` holds the episode, `reason` why the loop stopped
 * (`max_iters`, `empty_tool_calls`, `parse_error`, `context_window_exceeded`). Code `REACT_NO_SUBMIT`.
 */
export class ReActNoSubmitError extends ModuleRunError {
  static override readonly code: string = 'REACT_NO_SUBMIT';
  readonly history: History;
  readonly reason: string;

  constructor(message: string, details: { history: History; reason: string }) {
    super(message, { errors: [], code: ReActNoSubmitError.code });
    this.history = details.history;
    this.reason = details.reason;
  }
}
