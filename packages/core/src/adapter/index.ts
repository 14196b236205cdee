export type { Adapter, AdapterTarget, Demo } from './adapter';
export { BaseAdapter } from './adapter';
export { ChatAdapter } from './chat-adapter';
export { JSONAdapter } from './json-adapter';
export { AdapterParseError } from './errors';
export { parseValue, ValueTypeError } from './parse-value';
export { formatFieldValue, pySchema, pyTypeName } from './python-values';
