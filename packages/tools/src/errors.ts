import { SigilError } from '@sigil/core';

/**
 * A bridge to another library's tools could not be used. Codes: `TOOL_BRIDGE_MISSING_PEER` (the library is
 * not installed — the message names the package to install), `TOOL_BRIDGE_INPUT` (the value given is not
 * one of that library's tools or retrievers), `MCP_TOOL_ERROR` (an MCP server answered a call with
 * `isError`; ReAct shows the message to the model as the observation).
 */
export class ToolBridgeError extends SigilError {
  static override readonly code: string = 'TOOL_BRIDGE';
}
