import { bypassesProxy, proxyFor } from '../../src/lm/http/proxy-env';

describe('proxy environment variables', () => {
  const url = (text: string) => new URL(text);

  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, lower-case names first', () => {
    const env = {
      HTTPS_PROXY: 'http://secure:3128',
      HTTP_PROXY: 'http://plain:3128',
      http_proxy: 'http://lower:8080',
    };
    expect(proxyFor(url('https://api.openai.com/v1'), env)).toBe('http://secure:3128');
    expect(proxyFor(url('http://localhost:4000'), env)).toBe('http://lower:8080');
  });

  it('does not fall back from HTTPS_PROXY to HTTP_PROXY', () => {
    expect(proxyFor(url('https://api.openai.com/v1'), { HTTP_PROXY: 'http://plain:3128' })).toBeUndefined();
  });

  it('reads a proxy given without a scheme as http://', () => {
    expect(proxyFor(url('https://x.example'), { HTTPS_PROXY: 'proxy.corp:3128' })).toBe(
      'http://proxy.corp:3128',
    );
  });

  it.each([
    ['*', 'https://api.openai.com', true],
    ['openai.com', 'https://api.openai.com', true],
    ['openai.com', 'https://notopenai.com', false],
    ['.openai.com', 'https://api.openai.com', true],
    ['*.openai.com', 'https://openai.com', true],
    ['localhost:4000', 'http://localhost:4000/v1', true],
    ['localhost:4000', 'http://localhost:5000/v1', false],
    ['example.com:443', 'https://example.com/v1', true],
    ['10.0.0.1, 127.0.0.1', 'http://127.0.0.1:8000', true],
    ['[::1]:8000', 'http://[::1]:8000', true],
    ['::1', 'http://[::1]:8000', true],
    ['', 'http://127.0.0.1', false],
  ])('NO_PROXY=%j %s bypasses the proxy: %s', (noProxy, target, bypassed) => {
    expect(bypassesProxy(url(target), noProxy)).toBe(bypassed);
    const env = { HTTP_PROXY: 'http://p:1', HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy };
    expect(proxyFor(url(target), env) === undefined).toBe(bypassed);
  });
});
