/**
 * @sigil/testing — test doubles for Sigil programs: a scripted in-process LM and a loopback
 * OpenAI-compatible server with fault injection, and an offline task simulator.
 * @module @sigil/testing
 */
export { ScriptedLM, ScriptExhaustedError } from './scripted-lm';
export type {
  ScriptedAnswer,
  ScriptedCompletions,
  ScriptFunction,
  ScriptedLMOptions,
  ScriptedCall,
} from './scripted-lm';
export { formatFieldReply, replyFormatOf } from './field-reply';
export type { FieldValues, ReplyFormat } from './field-reply';
export { FakeOpenAIServer } from './fake-server/fake-openai-server';
export type {
  Fault,
  FaultKind,
  FakeError,
  FakeReply,
  FakeToolCall,
  FakeServerOptions,
  RecordedRequest,
  ReplyScript,
} from './fake-server/types';
export { FakeBatchApi } from './fake-server/batch-api';
export type { BatchApiOptions } from './fake-server/batch-api';
export { FakeFiles, type FakeFile } from './fake-server/files';
export { FakeFineTuning, type FakeJob, type FakeJobPlan, type FakeJobPlans } from './fake-server/fine-tuning';
export type { FakeRoutes, RouteCall, RouteAnswer } from './fake-server/routes';
export * from './simulator';
