/**
 * Keeping credentials out of everything Sigil prints or stores. Every endpoint registers its secrets (the
 * API key, the values of auth-like headers, credentials in its base URL) here when it is resolved, and
 * `redactSecrets` removes all of them, plus anything key-shaped, from text bound for errors, history,
 * events, callbacks, spans and logs — whichever LM the text came from.
 */

/** Header names whose values are credentials (`Authorization`, `api-key`, `X-Goog-Api-Key`, `Cookie` …). */
const SECRET_HEADER = /auth|key|token|secret|passw|cookie|credential|signature|session/i;
/** Query parameters whose values are credentials (`?api-key=`, `?key=`, `?sig=`, `?access_token=` …). */
const SECRET_PARAMETER = /^(?:.*(?:key|token|secret|passw|auth|credential|signature)|sig|code)$/i;
const KEY_PATTERN = /\b(sk-[A-Za-z0-9_*-]{4,}|Bearer\s+[A-Za-z0-9._~+/=-]+)/g;
const REDACTED = '[redacted]';
/** Shorter values are not searched for (they would match ordinary text). */
const MIN_SECRET_LENGTH = 4;
/** Most secrets kept; the oldest are forgotten first (a server making an LM per tenant key). */
const MAX_SECRETS = 1_000;

const known = new Set<string>();
let longestFirst: string[] | undefined;

/** Adds values to the set every `redactSecrets` call removes. */
export function registerSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    known.delete(value);
    known.add(value);
    if (known.size > MAX_SECRETS) known.delete(known.values().next().value as string);
    longestFirst = undefined;
  }
}

/** Whether a header's value is a credential: by name pattern, or named in `extra` (case-insensitive). */
export function isSecretHeader(name: string, extra: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADER.test(name) || extra.some((candidate) => candidate.toLowerCase() === lower);
}

/**
 * `text` without any registered secret, `extra` value or key-shaped token (`sk-…`, `Bearer …`).
 * @example redactSecrets(`bad key ${key}`) // 'bad key [redacted]'
 */
export function redactSecrets(text: string, extra?: string | readonly string[]): string {
  let out = text;
  const extras = extra === undefined ? [] : typeof extra === 'string' ? [extra] : extra;
  for (const secret of extras) if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  longestFirst ??= [...known].sort((a, b) => b.length - a.length);
  for (const secret of longestFirst) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out.replace(KEY_PATTERN, REDACTED);
}

/**
 * Whether `text` holds a registered secret: a cheap test (one `includes` per secret) before copying
 * anything. Key-shaped text the user wrote is not looked for here; `redactSecrets` removes it too.
 */
export function holdsSecret(text: string): boolean {
  for (const secret of known) if (text.includes(secret)) return true;
  return false;
}

/** The credentials a URL carries: user, password and the values of secret-like query parameters. */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const out = [decodeURIComponent(parsed.username), decodeURIComponent(parsed.password)];
  for (const [name, value] of parsed.searchParams) if (SECRET_PARAMETER.test(name)) out.push(value);
  return out.filter((value) => value.length > 0);
}

/**
 * A URL safe to print: `user:pass@` becomes `[redacted]@` and secret-like query values `[redacted]`;
 * anything else is kept byte for byte.
 * @example redactURL('https://bob:pw@proxy/v1?api-key=abc') // 'https://[redacted]@proxy/v1?api-key=[redacted]'
 */
export function redactURL(url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
  const query = out.indexOf('?');
  if (query >= 0) {
    const hash = out.indexOf('#', query);
    const end = hash >= 0 ? hash : out.length;
    const parameters = out
      .slice(query + 1, end)
      .split('&')
      .map((pair) => {
        const equals = pair.indexOf('=');
        if (equals < 0) return pair;
        const name = decodeURIComponentSafe(pair.slice(0, equals));
        return SECRET_PARAMETER.test(name) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
      });
    out = `${out.slice(0, query + 1)}${parameters.join('&')}${out.slice(end)}`;
  }
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
