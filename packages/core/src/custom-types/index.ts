export { History, isHistoryValue, type HistoryMessage } from './history';
export { Image, type ImageSource, type FetchImageOptions } from './image';
export { ImageError, HistoryError, ToolCallsError } from './errors';
export { CUSTOM_TYPE_START, CUSTOM_TYPE_END, markedParts } from './marker';
export {
  ToolCalls,
  type ToolCallItem,
  type ToolCallResult,
  type FunctionToolLike,
  FUNCTION_TOOL,
  isFunctionTool,
  functionDefinition,
} from './tool-calls';
