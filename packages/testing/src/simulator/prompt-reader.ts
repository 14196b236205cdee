import type { ChatMessage } from '@sigil/core';
import { contentText } from '@sigil/core';

/** An output field as the system message describes it. */
export interface PromptField {
  name: string;
  /** DSPy's Python type name: `str`, `float`, `int`, `bool`, `list[str]`, `Literal['a', 'b']`, … */
  type: string;
}

/** What a simulator can read back from a Sigil/DSPy prompt (ChatAdapter or JSONAdapter). */
export interface ReadPrompt {
  format: 'chat' | 'json';
  instructions: string;
  inputFields: PromptField[];
  outputFields: PromptField[];
  /** Values of the final request's inputs, as text. */
  inputs: Record<string, string>;
  demos: { inputs: Record<string, string>; outputs: Record<string, string> }[];
  /** Turns after the request (a retry with feedback). */
  retries: number;
}

const FIELD_LINE = /^\d+\. `(\w+)` \((.*?)\):/;
const HEADER = /^\[\[ ## (\w+) ## \]\]/;

/** Reads the parts of a DSPy-format prompt the simulator's answer depends on. */
export function readPrompt(messages: readonly ChatMessage[]): ReadPrompt {
  const system = contentText(messages.find((m) => m.role === 'system')?.content ?? '');
  const inputFields: PromptField[] = [];
  const outputFields: PromptField[] = [];
  let section: 'none' | 'in' | 'out' = 'none';
  for (const line of system.split('\n')) {
    if (line.startsWith('Your input fields are:')) section = 'in';
    else if (line.startsWith('Your output fields are:')) section = 'out';
    else if (line.startsWith('All interactions will be structured')) break;
    else {
      const m = FIELD_LINE.exec(line);
      if (m) (section === 'in' ? inputFields : outputFields).push({ name: m[1], type: m[2] });
    }
  }
  const marker = 'In adhering to this structure, your objective is: ';
  const at = system.lastIndexOf(marker);
  const instructions =
    at < 0
      ? ''
      : system
          .slice(at + marker.length)
          .split('\n')
          .map((l) => l.replace(/^ {8}/, ''))
          .join('\n')
          .trim();
  const format = system.includes('Outputs will be a JSON object') ? 'json' : 'chat';
  const firstUser = messages.findIndex((m) => m.role === 'user');
  const turns = messages.slice(firstUser < 0 ? messages.length : firstUser);
  // The real request is the last user turn with input markers (feedback turns after it carry none).
  let requestIndex = -1;
  for (let i = turns.length - 1; i >= 0 && requestIndex < 0; i--) {
    if (turns[i].role === 'user' && contentText(turns[i].content).includes('[[ ## ')) requestIndex = i;
  }
  const demos: ReadPrompt['demos'] = [];
  for (let i = 0; i + 1 < requestIndex; i += 2) {
    if (turns[i].role !== 'user' || turns[i + 1].role !== 'assistant') continue;
    demos.push({
      inputs: readBlocks(contentText(turns[i].content)),
      outputs: readOutputs(contentText(turns[i + 1].content), format),
    });
  }
  const inputs = requestIndex >= 0 ? readBlocks(contentText(turns[requestIndex].content)) : {};
  return {
    format,
    instructions,
    inputFields,
    outputFields,
    inputs,
    demos,
    retries: requestIndex >= 0 ? Math.floor((turns.length - 1 - requestIndex) / 2) : 0,
  };
}

/** `[[ ## name ## ]]\nvalue` blocks → { name: value }. */
export function readBlocks(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (current !== null && !(current in out)) out[current] = lines.join('\n').trim();
  };
  for (const line of text.split('\n')) {
    const m = HEADER.exec(line.trim());
    if (m) {
      flush();
      current = m[1];
      lines = [line.trim().slice(m[0].length)];
    } else lines.push(line);
  }
  flush();
  delete out.completed;
  for (const key of Object.keys(out)) {
    // The request's closing "Respond with …" sentence is not part of the last input's value.
    out[key] = out[key].replace(/\n\nRespond with [\s\S]*$/, '').trim();
  }
  return out;
}

function readOutputs(text: string, format: 'chat' | 'json'): Record<string, string> {
  if (format === 'chat') return readBlocks(text);
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    return out;
  } catch {
    return {};
  }
}
