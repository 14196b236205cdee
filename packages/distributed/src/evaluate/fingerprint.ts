import { createHash } from 'node:crypto';
import type { Metric, Module } from '@sigil/core';
import { canonicalJson, metricIdentity } from '@sigil/core/internal';

/**
 * What identifies a version of a task, so a worker can refuse jobs made for another: the program's class,
 * its parameters, the fields of its predictors' signatures (not their learnable instructions or demos,
 * which jobs carry) and the metric's identity.
 */
export function taskFingerprint(program: Module, metric: Metric): string {
  const state = program.dumpState() as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [path, entry] of Object.entries(state)) {
    const signature = (entry as { signature?: { fields?: unknown } } | null)?.signature;
    if (signature?.fields) fields[path] = signature.fields;
  }
  const signature = (state as { signature?: { fields?: unknown } }).signature;
  if (signature?.fields) fields[''] = signature.fields;
  const identity = {
    program: program.constructor.name,
    parameters: program.parameters().map((p) => `${p.key}:${p.kind}`),
    fields,
    metric: metricIdentity(metric),
  };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 16);
}
