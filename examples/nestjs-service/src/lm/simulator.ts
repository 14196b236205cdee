import { FakeOpenAIServer, type RecordedRequest } from '@sigil/testing';
import { wordsOf } from '../docs/docs-search.service';

/**
 * THE SIMULATOR — NOT A LANGUAGE MODEL. A loopback OpenAI-compatible server (`FakeOpenAIServer`) scripted
 * to quote the passage of the prompt that shares the most words with the question, in ChatAdapter's reply
 * format. It lets the service run offline, end to end over real HTTP, with no key; its answers say nothing
 * about what a model would answer.
 */
export async function startSimulator(): Promise<FakeOpenAIServer> {
  const server = new FakeOpenAIServer({ reply: simulatedReply });
  await server.start();
  return server;
}

function simulatedReply(request: RecordedRequest): string {
  const messages = request.body.messages as { role: string; content: string }[];
  const last = messages[messages.length - 1]?.content ?? '';
  const question = section(last, 'question');
  const passages = listOf(section(last, 'passages'));
  const asked = wordsOf(question);
  const best = passages
    .map((text) => ({ text, score: [...wordsOf(text)].filter((word) => asked.has(word)).length }))
    .sort((a, b) => b.score - a.score)[0];
  const answer = best ? best.text.split(/(?<=\.)\s/)[0] : 'The documentation does not say.';
  return (
    `[[ ## reasoning ## ]]\n(simulator) Quoting the passage that shares the most words with the question.\n\n` +
    `[[ ## answer ## ]]\n${answer}\n\n[[ ## completed ## ]]`
  );
}

/** The text of one `[[ ## name ## ]]` section of a ChatAdapter message (up to the next blank line). */
function section(content: string, name: string): string {
  const start = content.indexOf(`[[ ## ${name} ## ]]`);
  if (start < 0) return '';
  const rest = content.slice(start + name.length + 12);
  const end = rest.search(/\n\n|\[\[ ## /);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

/** A list input as ChatAdapter writes it: JSON for `list[str]`, or `[1] «…»` items. */
function listOf(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // Not JSON: fall through to the «…» form.
  }
  return [...text.matchAll(/«([^«»]*)»/g)].map((match) => match[1]);
}
