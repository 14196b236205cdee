/**
 * @sigil/tools — tools from your stack for Sigil agents and RAG programs: MCP servers (stdio and streamable
 * HTTP), LangChain.js tools and retrievers, LlamaIndex.TS tools and retrievers, AI SDK tools, and a
 * `Retrieve` module. Each library is an optional peer dependency, loaded only when its bridge is used.
 * This file is the package's one public door.
 * @module @sigil/tools
 */
export { ToolBridgeError } from './errors';
export { McpTools } from './mcp/mcp-tools';
export type {
  McpClientLike,
  McpCallResult,
  McpHttpServer,
  McpStdioServer,
  McpToolsOptions,
} from './mcp/mcp-tools';
export { fromLangChainTool, fromLangChainRetriever } from './langchain/langchain';
export type { LangChainToolLike, LangChainRetrieverLike } from './langchain/langchain';
export { fromAISdkTool, fromAISdkTools } from './ai-sdk/ai-sdk';
export type { AISdkToolLike } from './ai-sdk/ai-sdk';
export { fromLlamaIndexTool, fromLlamaIndexRetriever } from './llamaindex/llamaindex';
export type {
  LlamaIndexToolLike,
  LlamaIndexRetrieverLike,
  LlamaIndexNodeWithScore,
} from './llamaindex/llamaindex';
export { Retrieve, type Retrieved, type Search } from './retrieve/retrieve';
export { argsFromSchema, type JsonSchema } from './schema/tool-args';
