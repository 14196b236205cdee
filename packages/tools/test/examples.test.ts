/**
 * The examples behind the "Using tools from your stack" and "Fine-tuning with Sigil" pages run as users run
 * them (`npm start`, offline): their output is the docs' promise.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

async function start(example: string, cwd: string): Promise<string> {
  const env = { ...process.env };
  delete env.SIGIL_LM;
  delete env.SIGIL_FINETUNE_MODEL;
  env.TS_NODE_PROJECT = path.join(root, 'tsconfig.json');
  const { stdout } = await run(
    process.execPath,
    [
      '-r',
      require.resolve('ts-node/register/transpile-only'),
      path.join(root, 'examples', example, 'src/main.ts'),
    ],
    { cwd, env, timeout: 90_000 },
  );
  return stdout;
}

describe('examples of @sigil/tools and fine-tuning', () => {
  it('tools: one ReAct agent calls an MCP server’s tool, an AI SDK tool and a LangChain tool', async () => {
    const out = await start('tools', path.join(root, 'examples/tools'));
    expect(out).toContain('tool stock_lookup(sku)');
    expect(out).toContain('observation_0  14 units of lamp-07 in Rotterdam');
    expect(out).toContain('observation_1  lamp-07 costs 45.00 EUR');
    expect(out).toContain('observation_2  {"warehouse":"Rotterdam","country":"FR","days":2}');
    expect(out).toMatch(/tool_name_3\s+finish/);
  }, 120_000);

  it('fine-tuning: BootstrapFinetune trains and binds the tuned model; BetterTogether keeps the best', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sigil-ft-example-'));
    try {
      const out = await start('fine-tuning', dir);
      expect(out).toMatch(/→ ft:gpt-4o-mini:sigil-fake::\d+ \(succeeded\)/);
      expect(out).toContain('5 + 5 = 10');
      expect(out).toMatch(/p -> w\s+100\.0%/);
      const saved = JSON.parse(readFileSync(path.join(dir, 'finetune-data/solver.json'), 'utf8'));
      expect(JSON.stringify(saved)).toContain('ft:gpt-4o-mini:sigil-fake::');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
