import { HistoryError } from './errors';

/**
 * DSPy's `dspy.History`: the earlier turns of a conversation, as an input field's value. Each message
 * holds values of the signature's own fields (`{ question, answer }`); the adapters send every message
 * as a user turn (its inputs) and an assistant turn (its outputs) before the current request.
 */

/** One earlier turn: values of the signature's fields, by name (fields it lacks are left out). */
export type HistoryMessage = Readonly<Record<string, unknown>>;

/**
 * The conversation so far, for a `History` input field. Structural: a plain `{ messages: [...] }` object is
 * accepted wherever a `History` is. Add a turn with `new History([...history.messages, turn])`.
 * @example
 * class Chat { @Input() readonly question!: string; @Input() readonly history!: History; @Output() answer!: string; }
 * const history = new History([{ question: 'Capital of France?', answer: 'Paris' }]);
 * await new Predict(Chat).forward({ question: 'And of Germany?', history });
 */
export class History<M extends HistoryMessage = HistoryMessage> {
  /** The earlier turns, oldest first. */
  readonly messages: readonly M[];

  constructor(messages: readonly M[] = []) {
    if (!Array.isArray(messages)) {
      throw new HistoryError(
        `History takes an array of messages ({ field: value } objects, oldest first), got ${describe(messages)}.`,
      );
    }
    messages.forEach((message, i) => {
      if (message === null || typeof message !== 'object' || Array.isArray(message)) {
        throw new HistoryError(
          `History message ${i} must be an object of field values ({ question: '…', answer: '…' }), got ${describe(message)}.`,
        );
      }
    });
    this.messages = Object.freeze([...messages]);
    Object.freeze(this);
  }
}

/** True for a `History` or a plain object shaped like one (`{ messages: [...] }`). */
export function isHistoryValue(value: unknown): value is { readonly messages: readonly HistoryMessage[] } {
  return (
    value instanceof History ||
    (typeof value === 'object' && value !== null && Array.isArray((value as { messages?: unknown }).messages))
  );
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
