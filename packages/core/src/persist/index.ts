export { ProgramStateError } from './errors';
export { dumpState, loadState } from './state';
export type { SavedPredictor, SavedProgram } from './state';
export { saveProgram, loadProgram } from './file';
