/**
 * A small MCP server, as another team would run it: the warehouse's stock, over stdio. The example starts
 * it as a child process; any MCP server (`npx -y @modelcontextprotocol/server-…`, a Python one) fits the
 * same way.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const STOCK: Record<string, { units: number; warehouse: string }> = {
  'lamp-07': { units: 14, warehouse: 'Rotterdam' },
  'desk-12': { units: 0, warehouse: 'Leipzig' },
  'chair-03': { units: 230, warehouse: 'Rotterdam' },
};

const server = new McpServer({ name: 'warehouse', version: '1.0.0' });
server.registerTool(
  'stock.lookup',
  {
    description: 'Units in stock of one product, and the warehouse that holds them.',
    inputSchema: { sku: z.string().describe('the product code, like lamp-07') },
  },
  async ({ sku }) => {
    const item = STOCK[sku.toLowerCase()];
    if (!item) return { isError: true, content: [{ type: 'text', text: `unknown product ${sku}` }] };
    return { content: [{ type: 'text', text: `${item.units} units of ${sku} in ${item.warehouse}` }] };
  },
);
void server.connect(new StdioServerTransport());
