/**
 * A bounded record of recent calls and `inspectHistory(n)`, which prints them the way a person reads a
 * conversation: each role as a header, the reply highlighted. Entries hold messages, parameters and the
 * reply — never keys or headers.
 */
import type { ChatMessage, LMResponse } from './types';

/** One recorded call. */
export interface HistoryEntry {
  /** Epoch milliseconds when the call ended. */
  at: number;
  model: string;
  messages: ChatMessage[];
  /** The parameters that were sent (temperature, max_tokens …), in wire form. */
  parameters: Record<string, unknown>;
  response?: LMResponse;
  /** The error message, when the call failed. */
  error?: string;
}

/** A ring buffer of the most recent calls. */
export class CallHistory {
  private readonly entries: (HistoryEntry | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly limit = 200) {
    this.entries = new Array(Math.max(1, limit));
  }

  /** Records one call, dropping the oldest entry once `limit` are held. */
  push(entry: HistoryEntry): void {
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.entries.length;
    if (this.count < this.entries.length) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** The last `n` entries, oldest first. */
  recent(n = this.count): HistoryEntry[] {
    const take = Math.min(Math.max(0, n), this.count);
    const out: HistoryEntry[] = [];
    for (let i = take; i > 0; i--) {
      out.push(this.entries[(this.next - i + this.entries.length) % this.entries.length] as HistoryEntry);
    }
    return out;
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}

/** Calls of every LM in this process (the source of the `inspectHistory` function). */
export const globalHistory = new CallHistory(200);

/** How `inspectHistory` renders. */
export interface InspectOptions {
  /** ANSI colours (default: when stdout is a terminal and NO_COLOR is unset). */
  color?: boolean;
  /** Where the text goes (default `console.log`); `false` only returns it. */
  print?: ((text: string) => void) | false;
}

const ROLE_TITLES: Record<string, string> = {
  system: 'System message',
  user: 'User message',
  assistant: 'Assistant message',
  tool: 'Tool result',
};

/** Renders entries as readable text (roles as headers, replies highlighted). */
export function formatHistory(entries: HistoryEntry[], color = false): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const blocks: string[] = [];
  for (const entry of entries) {
    const facts = [new Date(entry.at).toISOString(), entry.model];
    if (entry.response) {
      facts.push(`${Math.round(entry.response.durationMs)} ms`);
      if (entry.response.cached) facts.push('cached');
    }
    const lines = [paint('2', `[${facts.join(' · ')}]`), ''];
    for (const message of entry.messages) {
      lines.push(paint('1', `${ROLE_TITLES[message.role] ?? message.role}:`), '', message.content, '');
      for (const call of message.tool_calls ?? [])
        lines.push(`→ ${call.function.name}(${call.function.arguments})`, '');
    }
    if (entry.error !== undefined) {
      lines.push(paint('1', 'Error:'), '', paint('31', entry.error), '');
    }
    const completions = entry.response?.completions ?? [];
    completions.forEach((completion, index) => {
      const title = completions.length > 1 ? `Response ${index + 1}/${completions.length}:` : 'Response:';
      lines.push(paint('1', title), '', paint('32', completion.text));
      for (const call of completion.toolCalls ?? []) {
        lines.push(paint('32', `→ ${call.function.name}(${call.function.arguments})`));
      }
      lines.push('');
    });
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

/** Prints (and returns) the last `n` entries of a history. */
export function inspectEntries(history: CallHistory, n: number, options: InspectOptions): string {
  const color = options.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const text = formatHistory(history.recent(n), color);
  const print = options.print ?? ((line: string) => console.log(line));
  if (print) print(text);
  return text;
}

/**
 * Prints the last `n` calls made by any LM in this process, as DSPy's `inspect_history` does.
 * @example `inspectHistory(3)`
 */
export function inspectHistory(n = 1, options: InspectOptions = {}): string {
  return inspectEntries(globalHistory, n, options);
}
