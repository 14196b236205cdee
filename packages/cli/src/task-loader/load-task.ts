/**
 * Reads a task file (`.ts` or `.js`) and checks what it exports: a `defineTask(...)` result as the default
 * export (or a named `task` export). Every error names the file and the export or field that is wrong.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Example, type LanguageModel, type Metric, type Module } from '@sigil/core';
import { TaskFileError } from '../errors';
import type { Lazy, TaskDefinition } from '../task';
import { registerTypeScript } from './register-typescript';

const EXTENSIONS = ['.ts', '.cts', '.js', '.cjs'];
const REQUIRED_FIELDS = ['program', 'trainset', 'metric'] as const;

/** A task file's definition, checked, with its data resolved. */
export interface LoadedTask {
  /** `name` from the task, else the file name without `.ts` / `.task`. */
  name: string;
  /** Absolute path of the task file. */
  file: string;
  /** Makes the program (a fresh one each call when the task gives a factory). */
  makeProgram(): Promise<Module>;
  trainset: Example[];
  /** The task's valset, or its trainset when it has none (`hasValset` tells which). */
  valset: Example[];
  hasValset: boolean;
  metric: Metric;
  /** The task's own LM, made on first use (undefined when the task has none). */
  lm(): Promise<LanguageModel | undefined>;
  /** The task's reflection LM for GEPA and SIMBA, made on first use (undefined when it has none). */
  reflectionLM(): Promise<LanguageModel | undefined>;
}

/** Loads and checks the task file at `file` (relative to `cwd`). */
export async function loadTask(file: string, cwd: string): Promise<LoadedTask> {
  const absolute = path.resolve(cwd, file);
  const definition = readDefinition(file, absolute);
  const where = `Task file ${file}`;
  const trainset = checkExamples(
    await resolveLazy(definition.trainset, `${where}: trainset`),
    where,
    'trainset',
  );
  if (trainset.length === 0)
    throw new TaskFileError(`${where}: trainset is empty — give it a few examples.`, { file });
  const hasValset = definition.valset !== undefined;
  const valset = hasValset
    ? checkExamples(await resolveLazy(definition.valset, `${where}: valset`), where, 'valset')
    : trainset;
  if (valset.length === 0)
    throw new TaskFileError(`${where}: valset is empty — give it a few examples.`, { file });
  let lm: Promise<LanguageModel | undefined> | undefined;
  let reflectionLM: Promise<LanguageModel | undefined> | undefined;
  return {
    name: definition.name ?? taskNameOf(absolute),
    file: absolute,
    makeProgram: async () => checkProgram(await resolveLazy(definition.program, `${where}: program`), where),
    trainset,
    valset,
    hasValset,
    metric: definition.metric,
    lm: () => (lm ??= resolveLazy(definition.lm, `${where}: lm`).then((value) => checkLM(value, where))),
    reflectionLM: () =>
      (reflectionLM ??= resolveLazy(definition.reflectionLM, `${where}: reflectionLM`).then((value) =>
        checkLM(value, where, 'reflectionLM'),
      )),
  };
}

/** `src/rag.task.ts` → `rag`; `src/task.ts` → `task`. */
export function taskNameOf(file: string): string {
  const base = path.basename(file).replace(/\.[cm]?[jt]s$/, '');
  return base.endsWith('.task') ? base.slice(0, -'.task'.length) : base;
}

function readDefinition(file: string, absolute: string): TaskDefinition {
  if (!existsSync(absolute)) {
    throw new TaskFileError(`Task file ${file} does not exist (looked for ${absolute}) — check the path.`, {
      file,
    });
  }
  if (!statSync(absolute).isFile()) throw new TaskFileError(`Task file ${file} is not a file.`, { file });
  const extension = path.extname(absolute);
  if (!EXTENSIONS.includes(extension)) {
    throw new TaskFileError(
      `Task file ${file} must be TypeScript or JavaScript (${EXTENSIONS.join(', ')}), not "${extension || 'no extension'}".`,
      { file },
    );
  }
  if (extension === '.ts' || extension === '.cts') registerTypeScript();
  let exported: Record<string, unknown>;
  try {
    // A task file is user code loaded at run time: `require` is the CommonJS loader ts-node hooks into.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(absolute) as Record<string, unknown>;
  } catch (error) {
    throw new TaskFileError(`Task file ${file} failed to load: ${messageOf(error)}`, { file, cause: error });
  }
  const candidate = exported?.default ?? exported?.task;
  const exportName = exported?.default !== undefined ? 'default export' : 'export "task"';
  if (candidate === undefined) {
    const names = Object.keys(exported ?? {}).filter((name) => name !== '__esModule');
    throw new TaskFileError(
      `Task file ${file} has no default export${names.length > 0 ? ` (it exports ${names.join(', ')})` : ''} — ` +
        'add `export default defineTask({ program, trainset, valset, metric })`.',
      { file },
    );
  }
  if (candidate === null || typeof candidate !== 'object') {
    throw new TaskFileError(
      `The ${exportName} of ${file} is ${candidate === null ? 'null' : `a ${typeof candidate}`}, not a task — ` +
        'export `defineTask({ program, trainset, valset, metric })`.',
      { file },
    );
  }
  const task = candidate as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.filter((field) => task[field] === undefined || task[field] === null);
  if (missing.length > 0) {
    throw new TaskFileError(
      `The ${exportName} of ${file} is not a task: it is missing ${missing.join(', ')} — ` +
        'export `defineTask({ program, trainset, valset?, metric, lm? })`.',
      { file },
    );
  }
  if (typeof task.metric !== 'function') {
    throw new TaskFileError(
      `Task file ${file}: metric must be a function (example, prediction) => score, got a ${typeof task.metric} — ` +
        "e.g. exactMatch('answer').",
      { file },
    );
  }
  return task as unknown as TaskDefinition;
}

async function resolveLazy<T>(value: Lazy<T> | undefined, what: string): Promise<T | undefined> {
  if (typeof value !== 'function') return value;
  if (/^class[\s{]/.test(Function.prototype.toString.call(value))) {
    throw new TaskFileError(
      `${what} is a class — give an instance or a factory: () => new ${value.name}(…).`,
      { file: what },
    );
  }
  try {
    return await (value as () => T | Promise<T>)();
  } catch (error) {
    throw new TaskFileError(`${what}() threw: ${messageOf(error)}`, { file: what, cause: error });
  }
}

function checkExamples(value: unknown, where: string, field: string): Example[] {
  if (!Array.isArray(value)) {
    throw new TaskFileError(
      `${where}: ${field} must be an array of Examples (or a function returning one), got ${describe(value)}.`,
      { file: where },
    );
  }
  value.forEach((example, index) => {
    if (!Example.isExample(example)) {
      throw new TaskFileError(
        `${where}: ${field}[${index}] is ${describe(example)}, not an Example — ` +
          "build rows with Example.from(row).withInputs('question') or loadDataset.",
        { file: where },
      );
    }
    if (example.inputKeys.length === 0) {
      throw new TaskFileError(
        `${where}: ${field}[${index}] has no inputs marked — use Example.from(row).withInputs('question', …).`,
        { file: where },
      );
    }
  });
  return value as Example[];
}

function checkProgram(value: unknown, where: string): Module {
  // Duck-typed: a task may resolve its own copy of @sigil/core, where `instanceof` would fail.
  const module = value as Module | null;
  if (typeof module?.forward !== 'function' || typeof module.namedPredictors !== 'function') {
    throw new TaskFileError(
      `${where}: program must be a Sigil module (a Program, Predict, ChainOfThought…) or a factory returning one, ` +
        `got ${describe(value)}.`,
      { file: where },
    );
  }
  return module;
}

function checkLM(value: unknown, where: string, field = 'lm'): LanguageModel | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof (value as LanguageModel).call !== 'function') {
    throw new TaskFileError(
      `${where}: ${field} must be a language model (new LM(…), a TaskSimulator…) with a call() method, got ${describe(value)}.`,
      { file: where },
    );
  }
  return value as LanguageModel;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'a plain object';
  }
  return `a ${typeof value}`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
