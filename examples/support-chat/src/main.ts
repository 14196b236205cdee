import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { History, LM, lmUsageOf, totalUsage } from '@sigil/core';
import { startSimulator } from './simulator';
import { nextHistory, SupportChat } from './support-chat';

const SCRIPT = ['My photos will not upload.', 'From my iPhone.', 'Thanks! Also, I was charged twice.'];

async function main(): Promise<void> {
  const model = process.env.SIGIL_LM?.trim();
  const simulator = model ? undefined : await startSimulator();
  const lm = model
    ? new LM(model)
    : new LM('simulator/support-chat', { baseURL: simulator!.baseURL, apiKey: 'simulator', cache: false });
  console.log(model ? `Model: ${model}` : 'Offline: replies come from a scripted SIMULATOR, not a model.\n');
  const chat = new SupportChat();
  chat.respond.predict.lm = lm;
  let history = new History();
  const say = async (message: string) => {
    const result = await chat.forward({ message, history });
    history = nextHistory(history, message, result.reply);
    const usage = totalUsage(lmUsageOf(result) ?? {});
    console.log(`customer> ${message}`);
    console.log(`agent   > ${result.reply}${result.escalate ? '   [escalated to a human]' : ''}`);
    console.log(
      `          (${usage.totalTokens} tokens, ${history.messages.length} turn(s) in the History)\n`,
    );
  };
  try {
    if (process.argv.includes('--interactive')) {
      const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
      rl.prompt();
      for await (const raw of rl) {
        const line = raw.trim();
        if (!line || line === 'exit') break;
        await say(line);
        rl.prompt();
      }
      rl.close();
    } else {
      for (const message of SCRIPT) await say(message);
      if (simulator) {
        const last = simulator.chatRequests.at(-1)!.body.messages as { role: string }[];
        console.log(`The last prompt held ${last.length} messages: ${last.map((m) => m.role).join(', ')}.`);
      }
    }
  } finally {
    await simulator?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
