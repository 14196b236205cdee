/**
 * Tools from your stack: one ReAct agent uses an MCP server's tool (over stdio), an AI SDK `tool({...})` and
 * a LangChain.js tool, each bridged by `@sigil/tools` with its JSON schema. Offline by default: a loopback
 * FakeOpenAIServer plays the model with a fixed plan (it calls each tool once, then answers from the
 * trajectory) — it shows the wiring, not a model's judgement. With SIGIL_LM (and its key) a real model plans.
 */
import * as path from 'node:path';
import { tool as langchainTool } from '@langchain/core/tools';
import { tool as aiTool } from 'ai';
import { z } from 'zod';
import { configure, contentText, LM, ReAct, signature } from '@sigil/core';
import { FakeOpenAIServer, type RecordedRequest } from '@sigil/testing';
import { fromAISdkTool, fromLangChainTool, McpTools } from '@sigil/tools';

// An AI SDK tool, as a Next.js or AI SDK codebase already has it.
const shipping = aiTool({
  description: 'Days to deliver from a warehouse to a country.',
  inputSchema: z.object({
    warehouse: z.string().describe('the warehouse city'),
    country: z.string().describe('ISO country code, like FR'),
  }),
  execute: async ({ warehouse, country }) => ({
    warehouse,
    country,
    days: warehouse === 'Rotterdam' ? 2 : 4,
  }),
});

// A LangChain.js tool, as a LangChain codebase already has it.
const price = langchainTool(
  async ({ sku, currency }: { sku: string; currency: string }) =>
    `${sku} costs ${currency === 'USD' ? '49.00 USD' : '45.00 EUR'}`,
  {
    name: 'price_of',
    description: 'The list price of a product in a currency.',
    schema: z.object({ sku: z.string(), currency: z.enum(['EUR', 'USD']) }),
  },
);

/** The offline stand-in for a model: calls the three tools in turn, then answers from what it saw. */
function plannedReply(request: RecordedRequest): string {
  const messages = request.body.messages as { content: unknown }[];
  const system = contentText(messages[0].content as string);
  const user = contentText(messages.at(-1)!.content as string);
  const field = (name: string, value: unknown) =>
    `[[ ## ${name} ## ]]\n${typeof value === 'string' ? value : JSON.stringify(value)}`;
  const reply = (fields: [string, unknown][]) =>
    `${fields.map(([n, v]) => field(n, v)).join('\n\n')}\n\n[[ ## completed ## ]]`;
  if (!system.includes('next_thought')) {
    const seen = [...user.matchAll(/\[\[ ## observation_\d+ ## \]\]\n([^\n]+)/g)].map((m) => m[1]);
    return reply([
      ['reasoning', 'The trajectory has stock, price and delivery time.'],
      ['answer', seen.slice(0, 3).join('; ')],
    ]);
  }
  const step = (user.match(/\[\[ ## thought_\d+ ## \]\]/g) ?? []).length;
  const plan: [string, Record<string, unknown>][] = [
    ['stock_lookup', { sku: 'lamp-07' }],
    ['price_of', { sku: 'lamp-07', currency: 'EUR' }],
    ['shipping', { warehouse: 'Rotterdam', country: 'FR' }],
    ['finish', {}],
  ];
  const [name, args] = plan[Math.min(step, plan.length - 1)];
  return reply([
    ['next_thought', `Next: ${name}.`],
    ['next_tool_name', name],
    ['next_tool_args', args],
  ]);
}

async function main(): Promise<void> {
  const real = process.env.SIGIL_LM?.trim();
  const server = real ? undefined : new FakeOpenAIServer({ reply: plannedReply });
  configure({
    lm: real
      ? new LM(real)
      : new LM('openai/fake-planner', { baseURL: await server!.start(), apiKey: 'sk-fake', cache: false }),
  });
  console.log(real ? `LM: ${real}` : 'Offline: a loopback fake server plays the model with a fixed plan.');

  // The MCP server runs as a child process; its tools arrive with their JSON schemas.
  const mcp = await McpTools.connect({
    command: process.execPath,
    args: ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'warehouse-server.ts')],
    cwd: path.join(__dirname, '..'),
  });
  const tools = [...mcp.tools, await fromAISdkTool('shipping', shipping), fromLangChainTool(price)];
  for (const t of tools) console.log(`  tool ${t.name}(${Object.keys(t.args).join(', ')}): ${t.desc}`);

  const agent = new ReAct(signature('question -> answer'), { tools, maxIters: 6 });
  try {
    const { answer, trajectory } = await agent.forward({
      question: 'Is lamp-07 in stock, what does it cost in EUR, and how fast can it reach France?',
    });
    for (const [key, value] of Object.entries(trajectory)) {
      if (key.startsWith('tool_name') || key.startsWith('observation'))
        console.log(`  ${key.padEnd(14)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
    console.log(`\nAnswer: ${answer}`);
  } finally {
    await agent.close(); // closes the MCP connection (and its child process)
    await server?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
