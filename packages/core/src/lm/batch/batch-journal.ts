/**
 * The journal of submitted provider batches: one JSON line per event (`submitted` with the batch's request
 * ids, `finished` with its final status), appended as it happens. A run restarted after a crash reads it
 * and waits for the batches it had submitted instead of paying for the same requests again.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BatchError } from './batch-error';

/** One line of the journal. */
export type JournalEvent =
  | {
      event: 'submitted';
      batch: string;
      endpoint: string;
      model: string;
      customIds: string[];
      at: string;
    }
  | { event: 'finished'; batch: string; status: string; at: string };

/** Final statuses after which a batch's requests must be sent again. */
const LOST = new Set(['failed', 'expired', 'cancelled']);

/** Submitted batches by request id, read from (and appended to) a journal file. */
export class BatchJournal {
  private readonly byRequest = new Map<string, string>();
  private readonly lost = new Set<string>();

  constructor(readonly path: string | undefined) {
    if (!path || !existsSync(path)) return;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let event: JournalEvent;
      try {
        event = JSON.parse(line) as JournalEvent;
      } catch {
        // The last line of a process killed mid-write may be cut short; any other broken line is not ours.
        if (i >= lines.length - 2) return;
        throw new BatchError(
          `Batch journal ${path}, line ${i + 1}: not JSON. Restore the file or move it away to start afresh.`,
          { code: 'LM_BATCH_JOURNAL' },
        );
      }
      if (event.event === 'submitted') for (const id of event.customIds) this.byRequest.set(id, event.batch);
      else if (LOST.has(event.status)) this.lost.add(event.batch);
    });
  }

  /** The batch a request was submitted in, unless that batch was lost. */
  batchOf(customId: string): string | undefined {
    const batch = this.byRequest.get(customId);
    return batch !== undefined && !this.lost.has(batch) ? batch : undefined;
  }

  submitted(batch: string, endpoint: string, model: string, customIds: string[]): void {
    for (const id of customIds) this.byRequest.set(id, batch);
    this.write({ event: 'submitted', batch, endpoint, model, customIds, at: new Date().toISOString() });
  }

  finished(batch: string, status: string): void {
    if (LOST.has(status)) this.lost.add(batch);
    this.write({ event: 'finished', batch, status, at: new Date().toISOString() });
  }

  private write(event: JournalEvent): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(event)}\n`);
  }
}
