/**
 * GEPA's reflection step as text: the records of the reflective dataset rendered as nested markdown, the
 * prompt that asks the reflection LM for a better instruction, and the extraction of that instruction from
 * its reply. The template follows the structure of the reference engine's in Sigil's own words; once
 * written its bytes are fixed (the replay test pins them).
 */

/** One record shown to the reflection LM (keys in this order: `Inputs`, `Generated Outputs`, `Feedback`). */
export type ReflectiveRecord = Readonly<Record<string, unknown>>;

const CURRENT = '{current_instruction}';
const RECORDS = '{examples_with_feedback}';

/** The reflection prompt: the current instruction and the rendered records go in the two fenced blocks. */
export const REFLECTION_TEMPLATE = `An assistant was given these instructions for a task:
\`\`\`
${CURRENT}
\`\`\`

Below are task inputs the assistant received, the responses it generated, and feedback on how each response could have been better:
\`\`\`
${RECORDS}
\`\`\`

Your job: write a new instruction for the assistant.

Study the inputs to work out their format, and infer a detailed description of the task the assistant is solving. Read every response together with its feedback. Find all the niche and domain-specific facts the task depends on and state them in the instruction — the assistant will not have access to them later. If the assistant used a strategy that generalizes, keep that strategy in the instruction as well.

Give the new instruction inside \`\`\` blocks.`;

/** The prompt for one component: its current text and the records of the reflective dataset. */
export function reflectionPrompt(current: string, records: readonly ReflectiveRecord[]): string {
  // Replacing with functions keeps `$` sequences in the texts literal.
  return REFLECTION_TEMPLATE.replace(CURRENT, () => current).replace(RECORDS, () => renderRecords(records));
}

/**
 * The records as markdown: `# Example n` per record, `## key` per key, then the value — a nested object
 * as a `### k` heading per key, a list as `### Item i` per element, one level deeper each time (down to
 * `######`), and a scalar as its trimmed text followed by a blank line. Records are joined by a blank line.
 */
export function renderRecords(records: readonly ReflectiveRecord[]): string {
  return records
    .map((record, i) => {
      let text = `# Example ${i + 1}\n`;
      for (const [key, value] of Object.entries(record)) text += `## ${key}\n${renderValue(value, 3)}`;
      return text;
    })
    .join('\n\n');
}

function renderValue(value: unknown, level: number): string {
  const heading = '#'.repeat(level);
  const deeper = Math.min(level + 1, 6);
  if (Array.isArray(value)) {
    if (value.length === 0) return '\n';
    return value.map((item, i) => `${heading} Item ${i + 1}\n${renderValue(item, deeper)}`).join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '\n';
    return entries.map(([k, v]) => `${heading} ${k}\n${renderValue(v, deeper)}`).join('');
  }
  return `${scalarText(value).trim()}\n\n`;
}

/** A scalar as Python's `str()` prints it (`True`, `None`, `1.0`), so records read as the reference's. */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  return String(value);
}

/** A number as Python prints a float or an int: `1.0`, `0.5`, `3`. */
export function pythonNumber(value: number, float = false): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (float && Number.isInteger(value)) return `${value}.0`;
  return String(value);
}

/**
 * The new instruction in a reflection reply: between the first and the last ``` fence (a language tag on
 * the opening line dropped); with a single fence, the text after it when it opens the reply or before it
 * when it ends the reply; with none, the whole reply. Always trimmed; an empty result is a failed proposal.
 */
export function extractInstruction(reply: string): string {
  const start = reply.indexOf('```') + 3;
  const end = reply.lastIndexOf('```');
  if (start >= end) {
    const stripped = reply.trim();
    if (stripped.startsWith('```')) {
      const match = /^```\S*\n?/.exec(reply);
      return match ? reply.slice(match[0].length).trim() : stripped;
    }
    if (stripped.endsWith('```')) return stripped.slice(0, -3).trim();
    return stripped;
  }
  let content = reply.slice(start, end);
  const tag = /^\S*\n/.exec(content);
  if (tag) content = content.slice(tag[0].length);
  return content.trim();
}
