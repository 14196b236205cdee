/**
 * A bounded record of recent calls and `inspectHistory(n)`, which prints them the way a person reads a
 * conversation: each role as a header, the reply highlighted. Entries hold messages, parameters and the
 * reply — never keys or headers.
 */
import { holdsSecret, redactSecrets } from './secrets';
import { type ChatMessage, contentText, type LMResponse } from './types';

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

/** How much a {@link CallHistory} keeps. */
export interface HistoryLimits {
  /** Calls kept (default 200); 0 keeps none. */
  maxEntries?: number;
  /**
   * Characters of prompt and reply text kept over all entries (default 4,000,000, about 4 MB). Older entries
   * are dropped to stay under it, and a single call larger than it is kept clipped, with a note.
   */
  maxBytes?: number;
}

/** Default limits of every history: 200 calls, 4 MB of text. */
export const DEFAULT_HISTORY_LIMITS: Readonly<Required<HistoryLimits>> = Object.freeze({
  maxEntries: 200,
  maxBytes: 4_000_000,
});

/** Characters of text an entry holds: what it costs to keep it. */
export function entrySize(entry: HistoryEntry): number {
  let size = entry.error?.length ?? 0;
  for (const message of entry.messages) {
    size += contentSize(message.content);
    for (const call of message.tool_calls ?? []) size += call.function.arguments.length;
  }
  for (const completion of entry.response?.completions ?? []) {
    size += completion.text.length;
    for (const call of completion.toolCalls ?? []) size += call.function.arguments.length;
  }
  return size;
}

/**
 * The most recent calls, bounded in count and in bytes of text, so a process making large calls keeps at
 * most a few megabytes of them however long it runs.
 */
export class CallHistory {
  readonly maxEntries: number;
  readonly maxBytes: number;
  private entries: HistoryEntry[] = [];
  private sizes: number[] = [];
  private total = 0;

  /** `limits` as an object, or a number of entries (the 4 MB byte limit then applies). */
  constructor(limits: number | HistoryLimits = {}) {
    const given = typeof limits === 'number' ? { maxEntries: limits } : limits;
    this.maxEntries = Math.max(0, Math.floor(given.maxEntries ?? DEFAULT_HISTORY_LIMITS.maxEntries));
    this.maxBytes = Math.max(0, given.maxBytes ?? DEFAULT_HISTORY_LIMITS.maxBytes);
  }

  /** The entry limit (same as `maxEntries`). */
  get limit(): number {
    return this.maxEntries;
  }

  /** Whether anything is kept at all. */
  get enabled(): boolean {
    return this.maxEntries > 0 && this.maxBytes > 0;
  }

  /**
   * Records one call (clipped when larger than `maxBytes`); the oldest entries go once `maxEntries` or
   * `maxBytes` would be exceeded. Returns what was kept, to share it.
   */
  push(entry: HistoryEntry, size = entrySize(entry)): HistoryEntry {
    if (!this.enabled) return entry;
    let kept = entry;
    if (size > this.maxBytes) {
      kept = clipEntry(entry, this.maxBytes);
      size = entrySize(kept);
    }
    this.entries.push(kept);
    this.sizes.push(size);
    this.total += size;
    while (this.entries.length > this.maxEntries || (this.total > this.maxBytes && this.entries.length > 1)) {
      this.entries.shift();
      this.total -= this.sizes.shift() as number;
    }
    return kept;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Characters of text held now. */
  get bytes(): number {
    return this.total;
  }

  /** The last `n` entries, oldest first. */
  recent(n = this.entries.length): HistoryEntry[] {
    const take = Math.min(Math.max(0, n), this.entries.length);
    return take === 0 ? [] : this.entries.slice(this.entries.length - take);
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries = [];
    this.sizes = [];
    this.total = 0;
  }
}

/** The characters a message's content holds: its text, and the URLs (or data URIs) of its images. */
function contentSize(content: ChatMessage['content']): number {
  if (typeof content === 'string') return content.length;
  if (content === null) return 0;
  let size = 0;
  for (const part of content) size += part.type === 'text' ? part.text.length : part.image_url.url.length;
  return size;
}

/** The content with `fn` applied to its text (each text part of a multi-part message). */
function mapText(content: ChatMessage['content'], fn: (text: string) => string): ChatMessage['content'] {
  if (typeof content === 'string') return fn(content);
  if (content === null) return null;
  return content.map((part) => (part.type === 'text' ? { ...part, text: fn(part.text) } : part));
}

function entryHoldsSecret(entry: HistoryEntry): boolean {
  for (const message of entry.messages) if (holdsSecret(contentText(message.content))) return true;
  for (const completion of entry.response?.completions ?? []) if (holdsSecret(completion.text)) return true;
  return false;
}

/**
 * `entry`, or a copy of it with every registered secret redacted when one of its texts holds one (an
 * endpoint echoing an auth header in its reply). The caller's objects are never changed.
 */
export function withoutSecrets(entry: HistoryEntry): HistoryEntry {
  if (!entryHoldsSecret(entry)) return entry;
  const messages = entry.messages.map((message) => ({
    ...message,
    content: mapText(message.content, redactSecrets),
  }));
  const out: HistoryEntry = { ...entry, messages };
  if (entry.response) {
    const completions = entry.response.completions.map((c) => ({ ...c, text: redactSecrets(c.text) }));
    out.response = { ...entry.response, completions };
  }
  return out;
}

const CLIP_NOTE = (dropped: number) => `… [${dropped} characters not kept in history]`;

/** Texts this short are kept whole when an entry is clipped (the note would be longer). */
const UNCLIPPED = 100;

function clipText(text: string, budget: number): string {
  if (text.length <= budget || text.length <= UNCLIPPED) return text;
  const note = CLIP_NOTE(text.length - budget);
  // A slice of a string keeps the whole string alive in V8; copying the kept part lets the reply go.
  const head = Buffer.from(text.slice(0, Math.max(0, budget - note.length)), 'utf8').toString('utf8');
  return head + note;
}

/** A copy of `entry` whose texts share `maxBytes` in proportion to their lengths (the caller's objects untouched). */
function clipEntry(entry: HistoryEntry, maxBytes: number): HistoryEntry {
  const total = entrySize(entry);
  const texts = entry.messages.length + (entry.response?.completions.length ?? 0) + 1;
  const budget = Math.max(0, maxBytes - UNCLIPPED * texts);
  const share = (text: string) => Math.floor((budget * text.length) / Math.max(1, total));
  const clip = (text: string) => clipText(text, share(text));
  const messages = entry.messages.map((message) => ({ ...message, content: mapText(message.content, clip) }));
  const clipped: HistoryEntry = { ...entry, messages, error: entry.error && clip(entry.error) };
  if (entry.response) {
    const completions = entry.response.completions.map((completion) => ({
      ...completion,
      text: clip(completion.text),
    }));
    clipped.response = { ...entry.response, completions };
  }
  return clipped;
}

/** Calls of every LM in this process (the source of the `inspectHistory` function). */
export const globalHistory = new CallHistory();

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
      lines.push(
        paint('1', `${ROLE_TITLES[message.role] ?? message.role}:`),
        '',
        contentText(message.content),
        '',
      );
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
