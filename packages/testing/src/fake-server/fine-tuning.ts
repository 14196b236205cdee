/**
 * OpenAI's fine-tuning jobs API as FakeOpenAIServer serves it. A job follows a plan: it stays running for
 * a number of `retrieve` polls (one training step event each), then succeeds with a fine-tuned model id,
 * fails with an error, or is cancelled. The training file is checked as OpenAI checks chat data.
 */
import type { FakeFiles } from './files';
import { errorAnswer, type FakeRoutes, nowSeconds, type RouteAnswer, type RouteCall } from './routes';
import type { FakeJobPlan, FakeJobPlans } from './types';

export type { FakeJobPlan, FakeJobPlans } from './types';

/** A job the fake server holds. */
export interface FakeJob {
  readonly id: string;
  readonly model: string;
  readonly trainingFile: string;
  /** The create request's body as received. */
  readonly request: Record<string, unknown>;
  status: 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** `retrieve` calls so far. */
  polls: number;
  plan: FakeJobPlan;
  fineTunedModel: string | null;
  error: { code: string; message: string; param: string | null } | null;
  readonly events: { id: string; created_at: number; level: string; message: string; type: string }[];
  readonly createdAt: number;
  finishedAt: number | null;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** `POST /fine_tuning/jobs`, `GET /fine_tuning/jobs[/{id}[/events]]`, `POST /fine_tuning/jobs/{id}/cancel`. */
export class FakeFineTuning implements FakeRoutes {
  /** Every job created, in order. */
  readonly jobs: FakeJob[] = [];
  private plans: FakeJobPlans;

  constructor(
    private readonly files: FakeFiles,
    plans: FakeJobPlans = {},
  ) {
    this.plans = plans;
  }

  /** Sets the plan of the jobs created from now on. */
  setPlan(plans: FakeJobPlans): void {
    this.plans = plans;
  }

  /** The job with this id. */
  get(id: string): FakeJob | undefined {
    return this.jobs.find((job) => job.id === id);
  }

  /** Answers a call to one of its routes; undefined for any other route. */
  answer(call: RouteCall): RouteAnswer | undefined {
    const { method, route } = call;
    if (route === '/fine_tuning/jobs' && method === 'POST') return this.create(call.record.body);
    if (route === '/fine_tuning/jobs' && method === 'GET') {
      const data = [...this.jobs].reverse().map(jobObject);
      return { status: 200, body: { object: 'list', data, has_more: false } };
    }
    const match = /^\/fine_tuning\/jobs\/([^/]+)(\/events|\/cancel)?$/.exec(route);
    if (!match) return undefined;
    const job = this.get(decodeURIComponent(match[1]));
    if (!job) return errorAnswer(404, `No fine-tuning job found with id ${match[1]}.`, 'fine_tune_not_found');
    if (!match[2] && method === 'GET') {
      this.advance(job);
      return { status: 200, body: jobObject(job) };
    }
    if (match[2] === '/events' && method === 'GET') return this.listEvents(job, call.query);
    if (match[2] === '/cancel' && method === 'POST') {
      if (TERMINAL.has(job.status))
        return errorAnswer(400, `Job ${job.id} has already ${job.status}.`, 'invalid_state');
      this.finish(job, 'cancelled');
      return { status: 200, body: jobObject(job) };
    }
    return undefined;
  }

  private create(body: unknown): RouteAnswer {
    if (!body || typeof body !== 'object') return errorAnswer(400, 'The request body is not JSON.');
    const request = body as Record<string, unknown>;
    const { model, training_file: trainingFile } = request;
    if (typeof model !== 'string' || model === '')
      return errorAnswer(400, 'model is required.', undefined, 'model');
    const file = typeof trainingFile === 'string' ? this.files.get(trainingFile) : undefined;
    if (!file) {
      return errorAnswer(
        400,
        `invalid training_file: ${String(trainingFile)}`,
        'invalid_training_file',
        'training_file',
      );
    }
    const plans = this.plans;
    const plan = typeof plans === 'function' ? plans(request, this.jobs.length) : plans;
    const id = `ftjob-${String(this.jobs.length + 1).padStart(6, '0')}`;
    const job: FakeJob = {
      id,
      model,
      trainingFile: file.id,
      request,
      status: 'validating_files',
      polls: 0,
      plan,
      fineTunedModel: null,
      error: null,
      events: [],
      createdAt: nowSeconds(),
      finishedAt: null,
    };
    this.jobs.push(job);
    this.event(job, `Created fine-tuning job: ${id}`);
    this.event(job, `Validating training file: ${file.id}`);
    const problem = chatDataProblem(file.bytes.toString('utf8'));
    if (problem) {
      job.plan = { polls: 1, outcome: 'failed', error: { code: 'invalid_training_file', message: problem } };
    }
    return { status: 200, body: jobObject(job) };
  }

  /** One poll: the job moves one step towards its outcome. */
  private advance(job: FakeJob): void {
    if (TERMINAL.has(job.status)) return;
    job.polls++;
    const polls = job.plan.polls ?? 2;
    if (job.polls >= polls) {
      this.finish(job, job.plan.outcome ?? 'succeeded');
      return;
    }
    if (job.status === 'validating_files') this.event(job, 'Fine-tuning job started');
    job.status = 'running';
    const loss = (1 / (job.polls + 1)).toFixed(3);
    this.event(
      job,
      `Step ${job.polls}/${Number.isFinite(polls) ? polls - 1 : '?'}: training loss=${loss}`,
      'metrics',
    );
  }

  private finish(job: FakeJob, outcome: 'succeeded' | 'failed' | 'cancelled'): void {
    job.status = outcome;
    job.finishedAt = nowSeconds();
    if (outcome === 'succeeded') {
      job.fineTunedModel = job.plan.fineTunedModel ?? `ft:${job.model}:sigil-fake::${job.id.slice(-6)}`;
      this.event(job, `New fine-tuned model created: ${job.fineTunedModel}`);
      this.event(job, 'The job has successfully completed');
    } else if (outcome === 'failed') {
      const error = job.plan.error ?? {
        code: 'server_error',
        message: 'The job failed due to an internal error.',
      };
      job.error = { param: null, ...error };
      this.event(job, `The job failed: ${error.message}`, 'message', 'error');
    } else {
      this.event(job, 'The job was cancelled');
    }
  }

  private event(job: FakeJob, message: string, type = 'message', level = 'info'): void {
    const id = `ftevent-${job.id.slice(-6)}-${String(job.events.length + 1).padStart(3, '0')}`;
    job.events.push({ id, created_at: nowSeconds(), level, message, type });
  }

  /** Newest first, as OpenAI lists them; `after` is an event id (older events follow it), `limit` default 20. */
  private listEvents(job: FakeJob, query: URLSearchParams): RouteAnswer {
    const newestFirst = [...job.events].reverse();
    const after = query.get('after');
    const start = after ? newestFirst.findIndex((event) => event.id === after) + 1 : 0;
    const limit = Number(query.get('limit') ?? 20);
    const page = newestFirst.slice(start, start + limit);
    const data = page.map((event) => ({ object: 'fine_tuning.job.event', data: {}, ...event }));
    return { status: 200, body: { object: 'list', data, has_more: start + limit < newestFirst.length } };
  }
}

function jobObject(job: FakeJob) {
  const hyperparameters = (job.request.hyperparameters ?? {}) as Record<string, unknown>;
  return {
    id: job.id,
    object: 'fine_tuning.job',
    created_at: job.createdAt,
    finished_at: job.finishedAt,
    model: job.model,
    fine_tuned_model: job.fineTunedModel,
    organization_id: 'org-sigil-fake',
    status: job.status,
    training_file: job.trainingFile,
    validation_file: job.request.validation_file ?? null,
    result_files: [],
    trained_tokens: job.status === 'succeeded' ? 1000 : null,
    error: job.error,
    seed: job.request.seed ?? 0,
    estimated_finish: null,
    hyperparameters: {
      batch_size: 'auto',
      learning_rate_multiplier: 'auto',
      n_epochs: 'auto',
      ...hyperparameters,
    },
    suffix: job.request.suffix ?? null,
    method: job.request.method ?? { type: 'supervised' },
    metadata: job.request.metadata ?? null,
    integrations: [],
  };
}

/** What OpenAI would refuse in chat training data (a line that is not `{ messages: [...] }`), or undefined. */
function chatDataProblem(text: string): string | undefined {
  const lines = text.split('\n').filter((line) => line !== '');
  if (lines.length === 0) return 'The training file is empty.';
  for (const [index, line] of lines.entries()) {
    let row: { messages?: unknown };
    try {
      row = JSON.parse(line) as { messages?: unknown };
    } catch {
      return `Line ${index + 1} is not valid JSON.`;
    }
    const messages = row?.messages;
    if (!Array.isArray(messages) || messages.length === 0) return `Line ${index + 1} has no "messages" list.`;
    const roles = new Set(['system', 'user', 'assistant', 'tool']);
    for (const message of messages as { role?: unknown; content?: unknown }[]) {
      if (!roles.has(String(message?.role)) || typeof message?.content !== 'string') {
        return `Line ${index + 1}: every message needs a role and a string content.`;
      }
    }
    if ((messages as { role?: unknown }[]).at(-1)?.role !== 'assistant') {
      return `Line ${index + 1}: the last message must be the assistant's.`;
    }
  }
  return undefined;
}
