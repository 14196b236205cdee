export { ProgramStateError } from './errors';
export { dumpState, loadState, mergeState, savedParams, statePatch, DSPY_DEPENDENCY_VERSIONS } from './state';
export type { LoadStateOptions, SavedPredictor, SavedProgram, SigilMetadata, StatePatch } from './state';
export type { ParameterHandle, ParameterKind } from './parameter';
export { readStateFile, writeStateFile } from './file';
