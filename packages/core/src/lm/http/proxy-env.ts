/**
 * Which proxy a request goes through, by the conventions curl, Python's requests and most CLIs share:
 * `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http ones (no fallback from one to the other; lower-case
 * names win over upper-case), and `NO_PROXY` listing hosts that are reached directly.
 */

type Environment = Record<string, string | undefined>;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function variable(env: Environment, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The host part of a URL without IPv6 brackets, lower-cased. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** One `NO_PROXY` entry split into host and port: `host:port`, `[v6]:port`, or a bare host or IPv6 address. */
function parseEntry(entry: string): { entry: string; entryPort?: number } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { entry: bracketed[1], entryPort: bracketed[2] ? Number(bracketed[2]) : undefined };
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort) return { entry: hostPort[1], entryPort: Number(hostPort[2]) };
  return { entry };
}

/**
 * True when `NO_PROXY` says to reach `url` directly. Entries are separated by commas or spaces: `*`
 * (everything), a host (`example.com`, which also covers its subdomains), `.example.com` or
 * `*.example.com` (subdomains), an IP address, and any of these with `:port`.
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = hostOf(url);
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  for (const raw of noProxy.split(/[\s,]+/)) {
    const { entry, entryPort } = parseEntry(raw.trim().toLowerCase());
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entryPort !== undefined && entryPort !== port) continue;
    const domain = entry.replace(/^\*/, '');
    if (domain.startsWith('.')) {
      if (host.endsWith(domain) || host === domain.slice(1)) return true;
    } else if (host === domain || host.endsWith(`.${domain}`)) {
      return true;
    }
  }
  return false;
}

/**
 * The proxy URL for a request to `url`, or undefined to connect directly.
 * @example proxyFor(new URL('https://api.openai.com/v1'), { HTTPS_PROXY: 'http://proxy:3128' })
 */
export function proxyFor(url: URL, env: Environment = process.env): string | undefined {
  const proxy = variable(env, url.protocol === 'https:' ? 'https_proxy' : 'http_proxy');
  if (proxy === undefined || bypassesProxy(url, variable(env, 'no_proxy'))) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
