/**
 * Cache keys: a stable digest of a request's canonical JSON (object keys sorted, `undefined` dropped),
 * so the same request always maps to the same entry, across processes and runs.
 */
import * as crypto from 'node:crypto';

/** JSON with object keys in sorted order and `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]);
    }
    return out + ']';
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}

type OneShotHash = (algorithm: string, data: string, encoding: 'hex') => string;
// crypto.hash (Node ≥ 20.12) skips the Hash object and is about twice as fast for short inputs.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** Hex sha256 of a string. */
export function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** The cache key of any request-shaped value: sha256 of its canonical JSON. */
export function requestKey(request: unknown): string {
  return sha256(canonicalJson(request));
}

interface KeyedMessage {
  role: string;
  content: unknown;
  name?: string;
  tool_call_id?: string;
  tool_calls?: unknown;
}

/**
 * The cache key of a chat request: the endpoint (base URL, credentials redacted) and model, the
 * answer-changing parameters, rolloutId and messages. The same model name behind two base URLs is two
 * models.
 * Message texts are length-prefixed rather than JSON-escaped — escaping long prompts was most of the
 * cost of a cache hit — which keeps the serialisation unambiguous and the key stable.
 */
export function chatRequestKey(
  endpoint: string,
  model: string,
  messages: readonly KeyedMessage[],
  parameters: Record<string, unknown>,
  rolloutId: unknown,
): string {
  let text = `sigil-chat-v2\u0000${endpoint}\u0000${model}\u0000${canonicalJson(parameters)}\u0000${canonicalJson(rolloutId ?? null)}`;
  for (const message of messages) {
    const content = typeof message.content === 'string' ? message.content : canonicalJson(message.content);
    text += `\u0001${message.role}\u0000${content.length}\u0000${content}`;
    if (
      message.name !== undefined ||
      message.tool_call_id !== undefined ||
      message.tool_calls !== undefined
    ) {
      text += `\u0000${canonicalJson({ name: message.name, tool_call_id: message.tool_call_id, tool_calls: message.tool_calls })}`;
    }
  }
  return sha256(text);
}
