/**
 * Reads the prompts of Sigil's optimizers that are not a program's own: GEPA's reflection prompt (one user
 * message of nested markdown records) and the blocks of examples in MIPRO's proposer inputs. What the
 * simulator learns from them depends only on what they show.
 */

/** One record of GEPA's reflective dataset, as shown in the reflection prompt. */
export interface ShownRecord {
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  feedback: string;
}

/** A reflection prompt: the instruction under revision and the records shown with it. */
export interface ReflectionRequest {
  instruction: string;
  records: ShownRecord[];
}

const REFLECTION_TASK = 'Your job: write a new instruction for the assistant.';
const CURRENT_OPEN = 'An assistant was given these instructions for a task:\n```\n';
const RECORDS_OPEN = 'feedback on how each response could have been better:\n```\n';

/** The reflection request in a user message, or undefined when the message is not one. */
export function readReflection(content: string): ReflectionRequest | undefined {
  if (!content.includes(REFLECTION_TASK) || !content.startsWith(CURRENT_OPEN)) return undefined;
  const currentEnd = content.indexOf('\n```\n\nBelow are task inputs');
  const recordsStart = content.indexOf(RECORDS_OPEN);
  const recordsEnd = content.lastIndexOf(`\n\`\`\`\n\n${REFLECTION_TASK}`);
  if (currentEnd < 0 || recordsStart < 0 || recordsEnd < recordsStart) return undefined;
  const instruction = content.slice(CURRENT_OPEN.length, currentEnd);
  const body = content.slice(recordsStart + RECORDS_OPEN.length, recordsEnd);
  return { instruction, records: readRecords(body) };
}

/** `# Example n` records with `## Inputs`, `## Generated Outputs` and `## Feedback` sections. */
export function readRecords(body: string): ShownRecord[] {
  return body
    .split(/^# Example \d+\n/m)
    .slice(1)
    .map((record) => {
      const sections = splitHeadings(record, '## ');
      return {
        inputs: splitHeadings(sections.Inputs ?? '', '### '),
        outputs: splitHeadings(sections['Generated Outputs'] ?? '', '### '),
        feedback: (sections.Feedback ?? '').trim(),
      };
    });
}

/** `<prefix>name\nvalue…` blocks → { name: value } (values trimmed). */
function splitHeadings(text: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (current !== undefined) out[current] = lines.join('\n').trim();
  };
  for (const line of text.split('\n')) {
    if (line.startsWith(prefix) && !line.startsWith(`${prefix}#`)) {
      flush();
      current = line.slice(prefix.length).trim();
      lines = [];
    } else lines.push(line);
  }
  flush();
  return out;
}

/**
 * Blocks of `field: value` lines (MIPRO's proposer shows examples that way, one block per example, headed
 * `Example n:` or separated by blank lines) → one map per block.
 */
export function readFieldBlocks(text: string): Record<string, string>[] {
  return text
    .split(/\n\s*\n|^Example \d+:\s*$/m)
    .map((block) => {
      const fields: Record<string, string> = {};
      let last: string | undefined;
      for (const line of block.split('\n')) {
        const m = /^([A-Za-z_][\w ]*?): (.*)$/.exec(line);
        if (m) {
          last = m[1];
          fields[last] = m[2];
        } else if (last !== undefined && line.trim() && !/^Example \d+:/.test(line)) {
          fields[last] += `\n${line}`;
        }
      }
      return fields;
    })
    .filter((fields) => Object.keys(fields).length > 0);
}
