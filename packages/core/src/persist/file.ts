import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Module } from '../module/module';
import { ProgramStateError } from './errors';
import { dumpState, loadState } from './state';

/** Writes the program's learnable state as DSPy-format JSON (atomically: a crash never leaves half a file). */
export async function saveProgram(program: Module, path: string): Promise<void> {
  const text = `${JSON.stringify(dumpState(program), null, 2)}\n`;
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}

/** Reads a saved program (Sigil's or DSPy's) into `program`; a bad file raises `ProgramStateError`. */
export async function loadProgram(program: Module, path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProgramStateError(
      code === 'ENOENT'
        ? `Saved program ${path} does not exist — run the optimizer with --out ${path} first, or fix the path.`
        : `Saved program ${path} cannot be read: ${(error as Error).message}.`,
      { file: path },
    );
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new ProgramStateError(`Saved program ${path} is not valid JSON: ${(error as Error).message}.`, {
      file: path,
    });
  }
  loadState(program, state, path);
}
