/**
 * Redis connections: one way to turn what a user gives (a URL, ioredis options or a client) into an ioredis
 * client, a redacted address for messages, and a check at start that fails with a clear error.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { RedisUnavailableError } from './errors';

/** Where Redis is: a `redis://` / `rediss://` URL, ioredis options, or a client you made (not closed by Sigil). */
export type RedisConnection = string | RedisOptions | Redis;

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`; never prints a password. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** The redacted address of a connection, for messages. */
export function describeConnection(connection: RedisConnection): string {
  if (typeof connection === 'string') return redactRedisUrl(connection);
  const options = connection instanceof Redis ? connection.options : connection;
  return `redis://${options.host ?? '127.0.0.1'}:${options.port ?? 6379}${options.db ? `/${options.db}` : ''}`;
}

/** A new ioredis client for `connection` (BullMQ needs `maxRetriesPerRequest: null` on its blocking ones). */
export function createClient(connection: RedisConnection, extra: RedisOptions = {}): Redis {
  if (connection instanceof Redis) return connection.duplicate(extra);
  const options: RedisOptions = { lazyConnect: true, ...extra };
  return typeof connection === 'string'
    ? new Redis(connection, options)
    : new Redis({ ...connection, ...options });
}

/**
 * Connects `client` (made with `lazyConnect`) or fails within `timeoutMs` with a `RedisUnavailableError`
 * naming the redacted address and saying what to do.
 */
export async function connectOrFail(client: Redis, where: string, timeoutMs = 5_000): Promise<void> {
  if (client.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  let lastError: unknown;
  const onError = (error: unknown) => (lastError = error);
  client.on('error', onError);
  try {
    await Promise.race([
      (client.status === 'wait' ? client.connect() : Promise.resolve()).then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(lastError ?? new Error(`no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    client.disconnect();
    const why =
      (lastError ?? error) instanceof Error ? ((lastError ?? error) as Error).message : String(error);
    throw new RedisUnavailableError(
      `Redis at ${where} cannot be reached (${why}) — start it (redis-server, or ` +
        '"docker run -p 6379:6379 redis:7") or pass the right URL.',
      { url: where, cause: lastError ?? error },
    );
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}
