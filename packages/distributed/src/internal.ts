/**
 * @sigil/distributed/internal — what sibling Sigil packages and tests need from @sigil/distributed that users do not.
 * Not part of the public API: names here may change in any release.
 */
export {
  freePort,
  startRedisServer,
  type RedisServer,
  type RedisServerOptions,
} from './testing/redis-server';
export { connectOrFail, createClient, describeConnection } from './redis/connection';
