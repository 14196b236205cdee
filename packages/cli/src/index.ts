/**
 * @sigil/cli — the `sigil` command and the task-file API it reads.
 */
export { defineTask, type TaskDefinition, type Lazy } from './task';
