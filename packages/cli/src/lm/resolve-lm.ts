/**
 * Which LM a command runs against: `--lm <model>`, else `SIGIL_LM`, else the task's own `lm`. A model name
 * becomes `new LM(name)` on the endpoint of `SIGIL_LM_BASE_URL` / `OPENAI_BASE_URL` with the key of
 * `SIGIL_LM_API_KEY` / `OPENAI_API_KEY` (never printed).
 */
import * as path from 'node:path';
import { type LanguageModel, LM, type LMMiddleware, type LMResponse } from '@sigil/core';
import { DEFAULT_CACHE_DIR, type ResponseCache } from '@sigil/core/internal';
import type { CliIO } from '../cli-io';
import { CliError, OptionError } from '../errors';
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
  /** Put around the run: how `--no-cache` reaches an LM the task built itself. */
  middleware: LMMiddleware[];
}

/** Every call of the run skips the LM's response cache (the per-call switch the LM honours). */
const NO_CACHE: LMMiddleware = {
  name: 'no-cache',
  call: (next, messages, options) => next(messages, { ...options, cache: false }),
};

/** `sharedCache` (a Redis tier, with `--workers` and `sigil worker`) replaces the disk cache of an LM the CLI builds. */
export async function resolveLM(
  task: LoadedTask,
  flags: LMFlags,
  io: CliIO,
  sharedCache?: ResponseCache<LMResponse>,
): Promise<ResolvedLM> {
  const fromEnv = nonEmpty(io.env.SIGIL_LM);
  const model = nonEmpty(flags.lm) ?? fromEnv;
  if (model) {
    const { lm, description } = modelLM(model, flags, io, sharedCache);
    return { lm, source: nonEmpty(flags.lm) ? '--lm' : 'SIGIL_LM', description, middleware: [] };
  }
  const own = await task.lm();
  if (own) {
    if (flags.cacheDir !== undefined) {
      throw new OptionError(
        `--cache-dir applies to an LM the CLI builds (--lm or SIGIL_LM), but task "${task.name}" builds its own — ` +
          'set its cache folder in the task file (new LM(model, { cache: { dir } })), or pass --lm.',
      );
    }
    const off = flags.cache === false;
    return {
      lm: own,
      source: 'task',
      description: `${describeLM(own)} (${off ? 'no cache: --no-cache' : describeCache(own)})`,
      middleware: off ? [NO_CACHE] : [],
    };
  }
  throw new CliError(
    `No LM configured for task ${path.relative(io.cwd, task.file) || task.file}: pass --lm <model> ` +
      '(e.g. --lm openai/gpt-4o-mini), set SIGIL_LM, or give the task an lm in defineTask({ …, lm }).',
  );
}

/**
 * The reflection LM of GEPA and SIMBA: `--reflection-lm <model>` (on the same endpoint and cache as
 * `--lm`), else the task's `reflectionLM`; undefined when neither is set.
 */
export async function resolveReflectionLM(
  task: LoadedTask,
  flags: LMFlags & { reflectionLm?: string },
  io: CliIO,
): Promise<{ lm: LanguageModel; description: string } | undefined> {
  const model = nonEmpty(flags.reflectionLm);
  if (model) return modelLM(model, flags, io);
  const own = await task.reflectionLM();
  return own
    ? { lm: own, description: describeLM(own).replace("the task's lm", "the task's reflectionLM") }
    : undefined;
}

/** `new LM(model)` on the configured endpoint, with the run's cache, and how to describe it. */
function modelLM(
  model: string,
  flags: LMFlags,
  io: CliIO,
  sharedCache?: ResponseCache<LMResponse>,
): { lm: LM; description: string } {
  const lm = new LM(model, {
    baseURL: nonEmpty(io.env.SIGIL_LM_BASE_URL) ?? nonEmpty(io.env.OPENAI_BASE_URL),
    apiKey: nonEmpty(io.env.SIGIL_LM_API_KEY) ?? nonEmpty(io.env.OPENAI_API_KEY),
    cache:
      flags.cache === false
        ? false
        : (sharedCache ?? { dir: path.resolve(io.cwd, flags.cacheDir ?? DEFAULT_CACHE_DIR) }),
  });
  const cache = flags.cache === false ? 'no cache' : `cache ${lm.cache.location ?? 'in memory'}`;
  return { lm, description: `${model} at ${lm.baseURL} (${cache})` };
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

/** The cache an LM the task built uses, for the run header. */
function describeCache(lm: LanguageModel): string {
  if (!(lm instanceof LM)) return 'its own cache, if any';
  const { mode, dir } = lm.cache;
  return mode === 'off'
    ? 'no cache'
    : `cache ${dir ?? 'in memory'}${mode === 'read-write' ? '' : `, ${mode}`}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
