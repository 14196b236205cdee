/**
 * Lets `require` load TypeScript task files: ts-node, registered once per process, transpiling only
 * (no type check, so a task starts in a moment). The compiler options are fixed rather than read from
 * the user's tsconfig, whose `module` setting may not be CommonJS.
 */
import { register, REGISTER_INSTANCE } from 'ts-node';

/** The options Sigil's decorators need (reflect-metadata, class-validator). */
const COMPILER_OPTIONS = {
  module: 'commonjs',
  target: 'ES2022',
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  useDefineForClassFields: false,
};

/** Registers ts-node for `.ts` files unless a TypeScript loader is already in place. */
export function registerTypeScript(): void {
  const processWithLoader = process as unknown as Record<symbol, unknown>;
  if (processWithLoader[REGISTER_INSTANCE] !== undefined) return;
  register({
    transpileOnly: true,
    skipProject: true,
    compilerOptions: COMPILER_OPTIONS,
  });
}
