/**
 * Which LM a command runs against: `--lm <model>`, else `SIGIL_LM`, else the task's own `lm`. A model name
 * becomes `new LM(name)` on the endpoint of `SIGIL_LM_BASE_URL` / `OPENAI_BASE_URL` with the key of
 * `SIGIL_LM_API_KEY` / `OPENAI_API_KEY` (never printed).
 */
import * as path from 'node:path';
import { type LanguageModel, LM } from '@sigil/core';
import { DEFAULT_CACHE_DIR } from '@sigil/core/internal';
import type { CliIO } from '../cli-io';
import { CliError } from '../errors';
import type { LoadedTask } from '../task-loader/load-task';
import { optionalTesting } from './testing-package';

/** The LM options every command takes. */
export interface LMFlags {
  lm?: string;
  /** False with `--no-cache`. */
  cache?: boolean;
  cacheDir?: string;
}

/** The LM a command uses, and how to describe it (no key in the description). */
export interface ResolvedLM {
  lm: LanguageModel;
  source: '--lm' | 'SIGIL_LM' | 'task';
  description: string;
}

export async function resolveLM(task: LoadedTask, flags: LMFlags, io: CliIO): Promise<ResolvedLM> {
  const fromEnv = nonEmpty(io.env.SIGIL_LM);
  const model = nonEmpty(flags.lm) ?? fromEnv;
  if (model) {
    const lm = new LM(model, {
      baseURL: nonEmpty(io.env.SIGIL_LM_BASE_URL) ?? nonEmpty(io.env.OPENAI_BASE_URL),
      apiKey: nonEmpty(io.env.SIGIL_LM_API_KEY) ?? nonEmpty(io.env.OPENAI_API_KEY),
      cache:
        flags.cache === false ? false : { dir: path.resolve(io.cwd, flags.cacheDir ?? DEFAULT_CACHE_DIR) },
    });
    const cache = flags.cache === false ? 'no cache' : `cache ${lm.cache.dir ?? 'in memory'}`;
    return {
      lm,
      source: nonEmpty(flags.lm) ? '--lm' : 'SIGIL_LM',
      description: `${model} at ${lm.baseURL} (${cache})`,
    };
  }
  const own = await task.lm();
  if (own) return { lm: own, source: 'task', description: describeLM(own) };
  throw new CliError(
    `No LM configured for task ${path.relative(io.cwd, task.file) || task.file}: pass --lm <model> ` +
      '(e.g. --lm openai/gpt-4o-mini), set SIGIL_LM, or give the task an lm in defineTask({ …, lm }).',
  );
}

/** `sigil-simulator (the task's lm) — simulator, not a model`, or the model name. */
function describeLM(lm: LanguageModel): string {
  // A task whose lm is a TaskSimulator has installed @sigil/testing; without it, no lm can be one.
  const testing = lm.constructor.name === 'TaskSimulator' ? optionalTesting() : undefined;
  if (testing && lm instanceof testing.TaskSimulator)
    return `${lm.model} (the task's lm) — simulator, not a model`;
  if (lm instanceof LM) return `${lm.model} at ${lm.baseURL} (the task's lm)`;
  return `${lm.model} (the task's lm)`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
