/**
 * @sigil/cli — the `sigil` command and the task-file API it reads.
 * @module @sigil/cli
 */
export { defineTask, type TaskDefinition, type Lazy } from './task';
export { runCli, type RunCliOptions } from './cli';
export type { CliIO } from './cli-io';
export { CliError, OptionError, TaskFileError } from './errors';
export { renderHtmlReport } from './report/html-report';
export type { RunReportData, ReportPoint, ReportPredictor } from './report/report-data';
