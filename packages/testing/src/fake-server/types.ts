/**
 * The vocabulary of FakeOpenAIServer: scripted replies, injected faults and recorded requests.
 */

/** Kinds of failure the server can inject. */
export type FaultKind = 'rate-limit' | 'server-error' | 'reset' | 'stall';

/** One injected failure. */
export interface Fault {
  kind: FaultKind;
  /** `rate-limit`: the `Retry-After` header in whole seconds (default 0). */
  retryAfterSeconds?: number;
  /** `rate-limit`: the `retry-after-ms` header OpenAI also sends (omitted unless set). */
  retryAfterMs?: number;
  /** `server-error`: the status (default 500). */
  status?: number;
  /** `stall`: close the connection after this long (default: hold it until the client gives up or the server stops). */
  stallMs?: number;
}

/** An OpenAI-shaped error reply. */
export interface FakeError {
  status: number;
  message: string;
  type?: string;
  code?: string;
  headers?: Record<string, string>;
}

/** A tool call the fake model makes. */
export interface FakeToolCall {
  name: string;
  /** JSON text, or an object that is serialised. */
  arguments: string | Record<string, unknown>;
  id?: string;
}

/** A scripted reply to one chat request. */
export interface FakeReply {
  /** The text of every choice, or one text per choice. */
  content?: string | string[];
  toolCalls?: FakeToolCall[];
  finishReason?: string;
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number };
  /** Extra response headers (e.g. `x-litellm-response-cost`). */
  headers?: Record<string, string>;
  /** Answer with this error instead. */
  error?: FakeError;
  /** Fail this request this way instead. */
  fault?: Fault | FaultKind;
  /** Wait before answering (ms). */
  latencyMs?: number;
  /** Streamed: the text's pieces, one chunk each (default: word by word); `content` is then their join. */
  chunks?: string[];
  /** Streamed: wait this long before each content chunk (ms), as a model producing tokens would. */
  chunkDelayMs?: number;
}

/** A request the server received (faulted ones included). */
export interface RecordedRequest {
  /** 0-based arrival order. */
  id: number;
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased request headers, `authorization` included, so tests can check what was sent. */
  headers: Record<string, string>;
  /** The parsed JSON body (undefined when absent or not JSON). */
  body: any;
  /** `Date.now()` on arrival. */
  receivedAt: number;
  /** The fault injected into this request, if any. */
  fault?: FaultKind;
  /** The status answered (undefined for resets and stalls). */
  status?: number;
  /** For a chat request inside a batch (Batch API): the batch's id. */
  batchId?: string;
}

/** How the server answers chat requests: a fixed text, a list used in order, or a function of the request. */
export type ReplyScript =
  | string
  | (string | FakeReply)[]
  | ((request: RecordedRequest) => string | FakeReply | Promise<string | FakeReply>);

/** Settings of a FakeOpenAIServer. */
export interface FakeServerOptions {
  /** Default: every chat request is answered `"ok"`. */
  reply?: ReplyScript;
  /** Embedding of one text (default: a deterministic unit vector derived from its sha256). */
  embed?: (text: string, model: string, dimensions: number) => number[];
  /** Delay before every answer (ms, default 0). */
  latencyMs?: number;
  /** Share of chat/embedding requests failed at random (0–1, default 0). */
  faultRate?: number;
  /** Faults drawn from when `faultRate` hits (default: one of each kind). */
  faults?: (Fault | FaultKind)[];
  /** Seed of the fault dice (default 1). */
  seed?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get 401. */
  apiKey?: string;
  /** Headers added to every successful answer. */
  headers?: Record<string, string>;
  /** How fine-tuning jobs go (default: each succeeds on its second `retrieve`). */
  fineTuning?: FakeJobPlans;
  /** How the Batch API (`/v1/batches`) progresses and ends. */
  batch?: BatchApiOptions;
}

/** Settings of the batch API. */
export interface BatchApiOptions {
  /** Status reads a batch answers `in_progress` before it completes (default 1). */
  pollsUntilDone?: number;
  /** Ends every batch `failed` (with `errors`), or `expired` with no output, instead of completing it. */
  outcome?: 'completed' | 'failed' | 'expired';
}

/** How a fake fine-tuning job ends, and after how many polls. */
export interface FakeJobPlan {
  /** `retrieve` calls before the job reaches its outcome (default 2; `Infinity` keeps it running). */
  polls?: number;
  /** Default `'succeeded'`. */
  outcome?: 'succeeded' | 'failed' | 'cancelled';
  /** The error of a failed job (default: a `server_error`). */
  error?: { code: string; message: string; param?: string | null };
  /** The fine-tuned model id (default `ft:<model>:sigil-fake::<job suffix>`). */
  fineTunedModel?: string;
}

/** The plan of every job, or a function choosing one per job (from its create request, and its position). */
export type FakeJobPlans = FakeJobPlan | ((request: Record<string, unknown>, index: number) => FakeJobPlan);
