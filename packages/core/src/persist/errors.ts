import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';

/**
 * A saved program does not fit the program it is loaded into (or cannot be read). Names the file, the
 * predictor path and the field at fault; the program is left unchanged. Codes: `PROGRAM_STATE` (the state does
 * not fit), `PROGRAM_STATE_FILE` (the file is missing, unreadable or not JSON).
 */
export class ProgramStateError extends SigilError {
  static override readonly code: string = 'PROGRAM_STATE';
  readonly file?: string;
  readonly path?: string;

  constructor(message: string, details: SigilErrorOptions & { file?: string; path?: string } = {}) {
    super(message, details);
    this.file = details.file;
    this.path = details.path;
  }
}
