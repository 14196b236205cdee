/** The program a command runs: made by the task, with a saved state applied when `--state` is given. */
import * as path from 'node:path';
import { type Module, ProgramStateError } from '@sigil/core';
import type { CliIO } from '../cli-io';
import { CliError } from '../errors';
import type { LoadedTask } from '../task-loader/load-task';

export async function loadProgram(task: LoadedTask, state: string | undefined, io: CliIO): Promise<Module> {
  const program = await task.makeProgram();
  if (state === undefined) return program;
  try {
    await program.load(path.resolve(io.cwd, state));
  } catch (error) {
    if (error instanceof ProgramStateError)
      throw new CliError(`--state: ${error.message}`, { exitCode: 1, cause: error });
    throw error;
  }
  return program;
}
