import { CliError } from '@sigil/cli';
import { optionalTesting, requireTesting } from '../../src/lm/testing-package';

function notFound(id: string): never {
  const error = new Error(
    `Cannot find module '${id}'\nRequire stack:\n- /app/node_modules/@sigil/cli/dist/x.js`,
  );
  (error as { code?: string }).code = 'MODULE_NOT_FOUND';
  throw error;
}

describe('@sigil/testing as an optional peer of the CLI', () => {
  it('loads the installed package', () => {
    const testing = requireTesting('sim');
    expect(typeof testing.TaskSimulator).toBe('function');
    expect(typeof testing.serveSimulator).toBe('function');
  });

  it('tells the user to install @sigil/testing when `sigil sim` cannot find it', () => {
    const load = (id: string) => notFound(id);
    expect(optionalTesting(load)).toBeUndefined();
    let caught: unknown;
    try {
      requireTesting('sim', load);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).code).toBe('CLI_PACKAGE_MISSING');
    expect((caught as CliError).exitCode).toBe(1);
    expect((caught as Error).message).toContain('sigil sim needs the task simulator from @sigil/testing');
    expect((caught as Error).message).toContain('npm install --save-dev @sigil/testing');
  });

  it('does not hide a broken install of @sigil/testing (one of its own imports missing)', () => {
    const load = () => notFound('openai');
    expect(() => optionalTesting(load)).toThrow(/Cannot find module 'openai'/);
  });
});
