/**
 * A trip-planning agent on native tool calls. `npm run start` prints the answer and the episode;
 * `npm run stream` streams the agent's thoughts and its tool calls as they happen.
 */
import 'reflect-metadata';
import { LM, ReAct, signature } from '@sigil/core';
import { startModel } from './model';
import { packingAdvice, weather } from './tools';

async function main(): Promise<void> {
  const server = process.env.SIGIL_LM ? undefined : await startModel();
  const lm = server
    ? new LM('openai/tool-model', { baseURL: server.baseURL, apiKey: 'sk-offline', cache: false })
    : new LM(process.env.SIGIL_LM!);
  // toolCalling: 'native' — the tools go in the request's `tools`, the model answers with `tool_calls`.
  const agent = new ReAct(signature('question -> answer', 'Plan what to pack for a trip.'), {
    tools: [weather, packingAdvice],
    toolCalling: 'native',
    lm,
    maxIters: 5,
  });
  const question = 'I am visiting Oslo and Rome next week. What should I pack?';
  if (process.argv.includes('--stream')) {
    for await (const chunk of agent.stream({ question })) {
      if (chunk.type === 'status') console.log(`· ${chunk.message}`);
      else if (chunk.type === 'field') process.stdout.write(chunk.delta);
      else console.log(`\n\nAnswer: ${chunk.prediction.answer}`);
    }
  } else {
    const result = await agent.forward({ question });
    for (const [i, turn] of result.history.messages.entries()) {
      const calls = (turn.tool_calls as { tool_calls: { name: string; args: object }[] }).tool_calls;
      console.log(`turn ${i + 1}: ${turn.next_thought}`);
      for (const call of calls) console.log(`  → ${call.name}(${JSON.stringify(call.args)})`);
    }
    console.log(`\nAnswer (${result.termination_reason}): ${result.answer}`);
  }
  await server?.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
