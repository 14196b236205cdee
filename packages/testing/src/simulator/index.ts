export { TaskSimulator } from './task-simulator';
export type {
  SimulatedItem,
  KnownInstruction,
  SimulatorWeights,
  TaskSimulatorOptions,
} from './task-simulator';
export type { SimulatedRule } from './knowledge';
export { knowledgeLandscape } from './landscapes';
export type { KnowledgeLandscape, KnowledgeLandscapeOptions } from './landscapes';
export { readPrompt } from './prompt-reader';
export type { ReadPrompt, PromptField } from './prompt-reader';
export { serveSimulator } from './serve';
export type { ServeSimulatorOptions, ServedSimulator } from './serve';
