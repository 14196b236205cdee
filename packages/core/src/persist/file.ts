import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ProgramStateError } from './errors';

/** Writes a saved program as JSON, atomically: a crash never leaves half a file. */
export async function writeStateFile(path: string, state: unknown): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}

/** Reads a saved program's JSON; a missing, unreadable or non-JSON file raises `ProgramStateError`. */
export async function readStateFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProgramStateError(
      code === 'ENOENT'
        ? `Saved program ${path} does not exist — run the optimizer with --out ${path} first, or fix the path.`
        : `Saved program ${path} cannot be read: ${(error as Error).message}.`,
      { file: path, code: 'PROGRAM_STATE_FILE', cause: error },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProgramStateError(`Saved program ${path} is not valid JSON: ${(error as Error).message}.`, {
      file: path,
      code: 'PROGRAM_STATE_FILE',
      cause: error,
    });
  }
}
