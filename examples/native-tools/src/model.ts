/**
 * A scripted stand-in for a tool-calling model, served by the loopback FakeOpenAIServer: it reads the
 * request like a model would (the question, the tool results so far) and answers with native tool calls —
 * several at once — then `submit`. Replace it with a real endpoint: set SIGIL_LM=openai/gpt-4o-mini.
 */
import { FakeOpenAIServer, type FakeReply, type RecordedRequest } from '@sigil/testing';

const thought = (text: string) => `[[ ## next_thought ## ]]\n${text}\n\n[[ ## completed ## ]]`;

function reply(request: RecordedRequest): FakeReply {
  const messages = request.body.messages as { role: string; content: string | null }[];
  const question =
    messages.find((m) => m.role === 'user' && m.content?.includes('[[ ## question ## ]]'))?.content ?? '';
  const cities = ['Oslo', 'Rome', 'Lima'].filter((city) => question.includes(city));
  const results = messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
  const forecasts = results
    .filter((r) => r.startsWith('{'))
    .map((r) => JSON.parse(r) as { city: string; highs: number[] });
  const turn = messages.filter((m) => m.role === 'assistant').length;
  if (turn === 0) {
    return {
      content: thought(`I need the forecast for ${cities.join(' and ')}; I can ask for them at once.`),
      toolCalls: cities.map((city, i) => ({
        id: `call_w${i}`,
        name: 'get_weather',
        arguments: { city, days: 3 },
      })),
    };
  }
  if (turn === 1) {
    const coldest = Math.min(...forecasts.flatMap((f) => f.highs));
    return {
      content: thought(`The coldest high is ${coldest} °C. What should be packed?`),
      toolCalls: [{ id: 'call_p', name: 'packing_advice', arguments: { coldest } }],
    };
  }
  const advice = results.at(-1);
  const summary = forecasts.map((f) => `${f.city} ${f.highs.join('/')} °C`).join(', ');
  return {
    content: thought('I have everything.'),
    toolCalls: [{ id: 'call_s', name: 'submit', arguments: { answer: `${summary}; pack ${advice}.` } }],
  };
}

/** Starts the scripted model; streamed replies come a word every 15 ms, like a real one. */
export async function startModel(): Promise<FakeOpenAIServer> {
  const server = new FakeOpenAIServer({
    reply: (request) => ({ ...reply(request), chunkDelayMs: 15 }),
  });
  await server.start();
  return server;
}
