import * as path from 'node:path';
import { ReAct, signature } from '@sigil/core';
import { McpTools, ToolBridgeError } from '@sigil/tools';
import { agentLM, lastTrajectory } from '../support/agent-lm';
import { serveHttp } from '../support/lantern-mcp-server';

const root = path.resolve(__dirname, '../../../..');
const serverScript = path.join(__dirname, '../support/lantern-mcp-server.ts');
const qa = signature('question -> answer');

function stdioServer() {
  return {
    command: process.execPath,
    args: ['-r', 'ts-node/register/transpile-only', serverScript],
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: path.join(root, 'tsconfig.test.json') },
    cwd: root,
  };
}

describe('McpTools', () => {
  it('over stdio: a ReAct agent uses the server’s tool, sees its error as an observation, and closes the connection', async () => {
    const mcp = await McpTools.connect(stdioServer());
    const search = mcp.tools.find((t) => t.name === 'search_corpus')!;
    expect(search.desc).toBe('Searches the Lantern Isles corpus.');
    expect(search.args).toEqual({
      query: { type: 'string', description: 'what to look for' },
      k: { type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) },
    });
    expect(search.required).toEqual(['query']);
    // A dotted MCP name becomes a Sigil tool name; the call still reaches the server's own name.
    expect(mcp.tools.map((t) => t.name)).toEqual(['search_corpus', 'archive_open']);

    const lm = agentLM([
      { tool: 'search_corpus', args: { query: 'first map' } },
      { tool: 'archive_open', args: { shelf: 'north' } },
      { tool: 'archive_open', args: { shelf: 'east' } },
    ]);
    const agent = new ReAct(qa, { tools: mcp.tools, lm });
    const { answer, trajectory } = await agent.forward({ question: 'Who drew the first map?' });
    expect(answer).toBe('Ada Venn');
    expect(trajectory.observation_0).toBe(
      'Ada Venn: Ada Venn drew the first map of the Lantern Isles in 1712.',
    );
    expect(trajectory.observation_1).toBe(
      'Execution error in archive_open: the MCP tool archive.open failed: the archive is closed today',
    );
    expect(String(trajectory.observation_2)).toMatch(
      /^Execution error in archive_open: .*(Invalid|enum|north)/i,
    );
    expect(trajectory.tool_name_3).toBe('finish');
    expect(lastTrajectory(lm)).toContain('Ada Venn drew the first map');

    await agent.close();
    await expect(search.call({ query: 'map' })).rejects.toThrow(/closed|Not connected/i);
  }, 30_000);

  it('over streamable HTTP: lists the tools and calls them', async () => {
    const server = await serveHttp();
    const mcp = await McpTools.connect({ url: server.url });
    try {
      const search = mcp.tools.find((t) => t.name === 'search_corpus')!;
      expect(await search.call({ query: 'harbor', k: 2 })).toBe(
        'Harbor of Glass: The Harbor of Glass is the largest port of the Lantern Isles.',
      );
      await expect(mcp.tools[1].call({ shelf: 'south' })).rejects.toMatchObject({ code: 'MCP_TOOL_ERROR' });
    } finally {
      await mcp.close();
      await server.close();
    }
  });

  it('refuses something that is not an MCP client, and a server spec it cannot reach', async () => {
    await expect(McpTools.fromClient({} as never)).rejects.toMatchObject({ code: 'TOOL_BRIDGE_INPUT' });
    await expect(McpTools.connect({} as never)).rejects.toBeInstanceOf(ToolBridgeError);
  });
});
