import { Tool } from '@sigil/core';
import { ToolBridgeError } from '../errors';
import { requirePeer } from '../optional-peer';
import { argsFromSchema, type JsonSchema, toolName } from '../schema/tool-args';

/** An MCP server to start as a child process and talk to over stdio. */
export interface McpStdioServer {
  command: string;
  args?: readonly string[];
  /** The child's environment (default: the SDK's safe subset of this process's). */
  env?: Record<string, string>;
  cwd?: string;
}

/** An MCP server reached over streamable HTTP. */
export interface McpHttpServer {
  url: string | URL;
  /** Extra request headers (an `Authorization` bearer token…). */
  headers?: Record<string, string>;
}

/** What an MCP tool call returns, as the SDK gives it. */
export interface McpCallResult {
  content?: readonly { type: string; text?: string }[];
  isError?: boolean;
  structuredContent?: unknown;
}

/** The part of the SDK's `Client` the bridge uses (an `@modelcontextprotocol/sdk` `Client` fits). */
export interface McpClientLike {
  /** One page of the server's tools (`nextCursor` when there are more). */
  listTools(params?: { cursor?: string }): Promise<{
    tools: { name: string; description?: string; inputSchema?: JsonSchema }[];
    nextCursor?: string;
  }>;
  /** Calls a tool by the server's name; `isError` marks a failed call. */
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    resultSchema?: unknown,
    options?: { signal?: AbortSignal },
  ): Promise<McpCallResult | Record<string, unknown>>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** How MCP tools are turned into Sigil tools. */
export interface McpToolsOptions {
  /**
   * `'text'` (default, as DSPy): a call returns its text content (one string, or a list of them), other
   * content as it is; `'structured'`: the server's `structuredContent` when it sends one.
   */
  resultMode?: 'text' | 'structured';
  /** Time limit of each call (default: the agent's `toolTimeoutMs`). */
  timeoutMs?: number;
  /** The client name sent to the server when connecting (default `sigil`). */
  clientName?: string;
}

/**
 * An MCP server's tools as Sigil tools, with their JSON schemas — for ReAct and native tool calling. A
 * result the server marks `isError` and a protocol error both reach the agent as the observation
 * (`Execution error in <tool>: …`). The connection closes with `close()` — or with the program that holds
 * the tools (`await agent.close()`).
 * @example const mcp = await McpTools.connect({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] });
 * const agent = new ReAct(signature('question -> answer'), { tools: mcp.tools });
 */
export class McpTools {
  private closing?: Promise<void>;

  private constructor(
    readonly client: McpClientLike,
    /** The server's tools, as Sigil tools. */
    readonly tools: readonly Tool[],
  ) {}

  /**
   * Connects to an MCP server — a command started over stdio, or a streamable HTTP URL — and lists its
   * tools. Needs `@modelcontextprotocol/sdk`.
   */
  static async connect(
    server: McpStdioServer | McpHttpServer,
    options: McpToolsOptions = {},
  ): Promise<McpTools> {
    const sdk = requirePeer<{
      Client: new (info: object) => McpClientLike & { connect(t: unknown): Promise<void> };
    }>('@modelcontextprotocol/sdk/client/index.js', '@modelcontextprotocol/sdk', 'McpTools.connect');
    const client = new sdk.Client({ name: options.clientName ?? 'sigil', version: '0.1.0' });
    await client.connect(transportFor(server));
    try {
      return await McpTools.fromClient(client, options);
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** The tools of an already connected MCP client; `close()` closes that client. */
  static async fromClient(client: McpClientLike, options: McpToolsOptions = {}): Promise<McpTools> {
    if (!client || typeof client.listTools !== 'function' || typeof client.callTool !== 'function') {
      throw new ToolBridgeError(
        'McpTools.fromClient needs a connected @modelcontextprotocol/sdk Client (with listTools and callTool).',
        { code: 'TOOL_BRIDGE_INPUT' },
      );
    }
    const listed: Awaited<ReturnType<McpClientLike['listTools']>>['tools'] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      listed.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    const holder: { mcp?: McpTools } = {};
    const close = () => holder.mcp!.close();
    const tools = listed.map((spec) => {
      const { args, required } = argsFromSchema(spec.inputSchema);
      return new Tool(
        async (values: Record<string, unknown>, { signal }) =>
          resultOf(
            spec.name,
            await client.callTool({ name: spec.name, arguments: values }, undefined, { signal }),
            options,
          ),
        {
          name: toolName(spec.name),
          desc: spec.description,
          args,
          required,
          timeoutMs: options.timeoutMs,
          close,
        },
      );
    });
    holder.mcp = new McpTools(client, tools);
    return holder.mcp;
  }

  /** Closes the connection (and stops a stdio server); later calls of its tools fail. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  /** For `await using mcp = await McpTools.connect(…)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function transportFor(server: McpStdioServer | McpHttpServer): unknown {
  if ('command' in server) {
    const { StdioClientTransport } = requirePeer<{ StdioClientTransport: new (options: object) => unknown }>(
      '@modelcontextprotocol/sdk/client/stdio.js',
      '@modelcontextprotocol/sdk',
      'McpTools.connect',
    );
    return new StdioClientTransport({
      ...server,
      args: server.args ? [...server.args] : undefined,
      stderr: 'inherit',
    });
  }
  if ('url' in server) {
    const { StreamableHTTPClientTransport } = requirePeer<{
      StreamableHTTPClientTransport: new (url: URL, options?: object) => unknown;
    }>('@modelcontextprotocol/sdk/client/streamableHttp.js', '@modelcontextprotocol/sdk', 'McpTools.connect');
    return new StreamableHTTPClientTransport(new URL(String(server.url)), {
      requestInit: server.headers ? { headers: server.headers } : undefined,
    });
  }
  throw new ToolBridgeError(
    'McpTools.connect needs { command, args } (stdio) or { url } (streamable HTTP).',
    {
      code: 'TOOL_BRIDGE_INPUT',
    },
  );
}

/** DSPy's `_convert_mcp_tool_result`: text content as a string (or list), an error result thrown. */
function resultOf(
  name: string,
  raw: McpCallResult | Record<string, unknown>,
  options: McpToolsOptions,
): unknown {
  const result = raw as McpCallResult;
  const content = result.content ?? [];
  const texts = content.filter((part) => part.type === 'text').map((part) => part.text ?? '');
  const others = content.filter((part) => part.type !== 'text');
  const text = texts.length === 1 ? texts[0] : texts;
  if (result.isError) {
    throw new ToolBridgeError(`the MCP tool ${name} failed: ${Array.isArray(text) ? text.join(' ') : text}`, {
      code: 'MCP_TOOL_ERROR',
    });
  }
  if (options.resultMode === 'structured' && result.structuredContent !== undefined)
    return result.structuredContent;
  return texts.length > 0 ? text : others;
}
