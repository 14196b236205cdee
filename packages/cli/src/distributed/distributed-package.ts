/**
 * `@sigil/distributed` (BullMQ workers, the Redis cache tier) is an optional peer of the CLI: only
 * `sigil worker` and `--workers` need it, so a plain install of `@sigil/cli` carries neither BullMQ nor
 * ioredis. The CLI loads it on demand.
 */
import type * as DistributedPackage from '@sigil/distributed';
import { CliError } from '../errors';

/** The `@sigil/distributed` module. */
export type Distributed = typeof DistributedPackage;

type RequireFunction = (id: string) => unknown;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const defaultRequire: RequireFunction = (id) => require(id);

/**
 * `@sigil/distributed` for `what` (`sigil worker`, `--workers`); a CliError (code `CLI_PACKAGE_MISSING`)
 * saying how to install it when it is missing (any other load failure is thrown).
 */
export function requireDistributed(what: string, load: RequireFunction = defaultRequire): Distributed {
  try {
    return load('@sigil/distributed') as Distributed;
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    // Only the package itself missing: a missing dependency *of* it is a broken install, not this.
    if (
      code === 'MODULE_NOT_FOUND' &&
      typeof message === 'string' &&
      message.startsWith("Cannot find module '@sigil/distributed'")
    ) {
      throw new CliError(
        `${what} needs @sigil/distributed, which is not installed next to @sigil/cli: install it with ` +
          '"npm install @sigil/distributed" (the same version as @sigil/core), and run a Redis server.',
        { code: 'CLI_PACKAGE_MISSING' },
      );
    }
    throw error;
  }
}
