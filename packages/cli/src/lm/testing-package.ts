/**
 * `@sigil/testing` (the task simulator) is an optional peer of the CLI: only `sigil sim` needs it, and a
 * task whose `lm` is a `TaskSimulator` has installed it itself. The CLI loads it on demand, so a
 * production install of `@sigil/cli` does not carry the simulator.
 */
import type * as TestingPackage from '@sigil/testing';
import { CliError } from '../errors';

/** The `@sigil/testing` module. */
export type Testing = typeof TestingPackage;

type RequireFunction = (id: string) => unknown;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const defaultRequire: RequireFunction = (id) => require(id);

/** `@sigil/testing`, or undefined when it is not installed (any other load failure is thrown). */
export function optionalTesting(load: RequireFunction = defaultRequire): Testing | undefined {
  try {
    return load('@sigil/testing') as Testing;
  } catch (error) {
    if (isNotInstalled(error)) return undefined;
    throw error;
  }
}

/** `@sigil/testing` for `sigil <command>`; a CliError (code `CLI_PACKAGE_MISSING`) saying how to install it when it is missing. */
export function requireTesting(command: string, load: RequireFunction = defaultRequire): Testing {
  const testing = optionalTesting(load);
  if (testing) return testing;
  throw new CliError(
    `sigil ${command} needs the task simulator from @sigil/testing, which is not installed next to ` +
      '@sigil/cli: install it with "npm install --save-dev @sigil/testing" (the same version as @sigil/core).',
    { code: 'CLI_PACKAGE_MISSING' },
  );
}

function isNotInstalled(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // Only the package itself missing: a missing dependency *of* @sigil/testing is a broken install, not this.
  return (
    code === 'MODULE_NOT_FOUND' &&
    typeof message === 'string' &&
    message.startsWith("Cannot find module '@sigil/testing'")
  );
}
