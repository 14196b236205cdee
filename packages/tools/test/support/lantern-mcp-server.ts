// A small MCP server for the tests: a corpus search tool, a tool that reports an error, and a tool with a
// dotted name. Served over stdio when run as a script (the stdio test starts it as a child process), or
// over streamable HTTP by `serveHttp` on a free loopback port.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const PASSAGES = [
  'Ada Venn: Ada Venn drew the first map of the Lantern Isles in 1712.',
  'Harbor of Glass: The Harbor of Glass is the largest port of the Lantern Isles.',
];

export function lanternServer(): McpServer {
  const server = new McpServer({ name: 'lantern', version: '1.0.0' });
  server.registerTool(
    'search_corpus',
    {
      description: 'Searches the Lantern Isles corpus.',
      inputSchema: { query: z.string().describe('what to look for'), k: z.number().int().optional() },
    },
    async ({ query, k }) => {
      const words = query.toLowerCase().split(/\W+/).filter(Boolean);
      const hits = PASSAGES.filter((p) => words.some((w) => p.toLowerCase().includes(w))).slice(0, k ?? 1);
      return { content: [{ type: 'text', text: hits.join('\n') || 'nothing found' }] };
    },
  );
  server.registerTool(
    'archive.open',
    { description: 'Opens the archive.', inputSchema: { shelf: z.enum(['north', 'south']) } },
    async () => ({ isError: true, content: [{ type: 'text', text: 'the archive is closed today' }] }),
  );
  return server;
}

/** Serves a fresh server per request over streamable HTTP (stateless) on 127.0.0.1; resolves to its URL. */
export async function serveHttp(): Promise<{ url: string; close(): Promise<void> }> {
  const httpServer = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const server = lanternServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  void lanternServer().connect(new StdioServerTransport());
}
