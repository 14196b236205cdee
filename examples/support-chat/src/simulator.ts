import { FakeOpenAIServer, type RecordedRequest } from '@sigil/testing';

/**
 * THE SIMULATOR — NOT A LANGUAGE MODEL. A loopback OpenAI-compatible server that replies in ChatAdapter's
 * format from a few keyword rules, and says how many earlier turns the prompt carried, so you can watch the
 * History travel. It tells you nothing about what a model would answer.
 */
export async function startSimulator(): Promise<FakeOpenAIServer> {
  const server = new FakeOpenAIServer({ reply: simulatedReply });
  await server.start();
  return server;
}

function simulatedReply(request: RecordedRequest): string {
  const messages = request.body.messages as { role: string; content: string }[];
  const earlier = messages.filter((m) => m.role === 'assistant').length;
  const said = messages.filter((m) => m.role === 'user').map((m) => m.content.toLowerCase());
  const now = said[said.length - 1] ?? '';
  const before = said.slice(0, -1).join('\n');
  let reply = 'Could you tell me a bit more about the problem?';
  let escalate = false;
  if (/upload|photo/.test(now)) reply = 'Which device are you uploading from?';
  else if (/iphone|android|ios/.test(now) && /upload|photo/.test(before))
    reply = 'On that device, update Lumen and retry the upload; it resumes where it stopped.';
  else if (/refund|charged|charge/.test(now)) {
    reply = 'I am passing you to our billing team, who can look at the charge.';
    escalate = true;
  } else if (/thank/.test(now)) reply = 'You are welcome!';
  return (
    `[[ ## reasoning ## ]]\n(simulator) The prompt carried ${earlier} earlier turn(s).\n\n` +
    `[[ ## reply ## ]]\n${reply}\n\n[[ ## escalate ## ]]\n${escalate ? 'True' : 'False'}\n\n[[ ## completed ## ]]`
  );
}
