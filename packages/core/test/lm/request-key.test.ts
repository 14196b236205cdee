import { canonicalJson, parseRetryAfter, requestKey } from '@sigil/core/internal';
import { backoffDelay } from '@sigil/core/internal';
import { redactSecrets } from '../../src/lm/endpoint';

describe('canonicalJson and requestKey', () => {
  it('ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}');
    expect(requestKey({ x: 1, y: 2 })).toBe(requestKey({ y: 2, x: 1, z: undefined }));
    expect(requestKey({ x: 1 })).not.toBe(requestKey({ x: 2 }));
    expect(requestKey({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('parseRetryAfter', () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(headers({}))).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with jitter and stays under the cap', () => {
    expect(backoffDelay(1, { baseDelayMs: 100 }, () => 0)).toBe(50);
    expect(backoffDelay(3, { baseDelayMs: 100 }, () => 1)).toBe(400);
    expect(backoffDelay(30, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 1)).toBe(1000);
  });
});

describe('redactSecrets', () => {
  it('removes the key and anything key-shaped', () => {
    expect(redactSecrets('Incorrect API key provided: my-custom-key-42', 'my-custom-key-42')).toBe(
      'Incorrect API key provided: [redacted]',
    );
    expect(redactSecrets('got sk-proj-abc123XYZ and Bearer abc.def', undefined)).toBe(
      'got [redacted] and [redacted]',
    );
  });
});
