export { TaskSimulator } from './task-simulator';
export type {
  SimulatedItem,
  KnownInstruction,
  SimulatorWeights,
  TaskSimulatorOptions,
} from './task-simulator';
export { readPrompt } from './prompt-reader';
export type { ReadPrompt, PromptField } from './prompt-reader';
export { serveSimulator } from './serve';
export type { ServeSimulatorOptions, ServedSimulator } from './serve';
