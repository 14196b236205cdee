/**
 * A saved program does not fit the program it is loaded into (or cannot be read). Names the file, the
 * predictor path and the field at fault; the program is left unchanged.
 */
export class ProgramStateError extends Error {
  override readonly name = 'ProgramStateError';
  constructor(
    message: string,
    readonly file?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
