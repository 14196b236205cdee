import { Prediction } from '../data/prediction';
import { normalizeText } from '../text/normalize';
import { InvalidOptionError } from '../errors/sigil-error';

/** Options of `majority`. */
export interface MajorityOptions {
  /** The field to vote on (default: the last field of the first completion, as DSPy). */
  field?: string;
  /** Maps a value to its vote key; `null` drops the vote (default: DSPy's `normalize_text`, empty → `null`). */
  normalize?: ((value: string) => string | null) | null;
}

const defaultNormalize = (value: string) => normalizeText(value) || null;

/**
 * The most common value of a field among several completions — DSPy's `majority`. Values are compared after
 * normalisation; a tie goes to the one seen first. Takes a Prediction (its `completions`, e.g. from `n: 5`)
 * or a list of predictions/objects, and returns the first completion with the winning value as a Prediction.
 * @example const voted = majority(await qa.forward({ question }, { config: { n: 5 } }));
 */
export function majority<O extends object = Record<string, any>>(
  completions: Prediction<O> | readonly (Prediction<O> | O)[],
  options: MajorityOptions | string = {},
): Prediction<O> {
  const { field: chosen, normalize: given } = typeof options === 'string' ? { field: options } : options;
  const list: readonly Record<string, unknown>[] = Prediction.isPrediction(completions)
    ? completions.completions
    : (completions as readonly object[]).map((c) =>
        Prediction.isPrediction(c) ? (c.toJSON() as Record<string, unknown>) : (c as Record<string, unknown>),
      );
  if (!Array.isArray(list) || list.length === 0)
    throw new InvalidOptionError('majority() needs at least one completion.', { option: 'completions' });
  const field = chosen ?? Object.keys(list[0]).at(-1);
  if (field === undefined)
    throw new InvalidOptionError('majority(): the completions have no fields to vote on.', {
      option: 'field',
    });
  const normalize = given === null ? (value: string) => value : (given ?? defaultNormalize);
  const keyOf = (c: Record<string, unknown>) => normalize(String(c[field] ?? ''));
  const keys = list.map(keyOf);
  const votes = new Map<string | null, number>();
  const counted = keys.some((k) => k !== null) ? keys.filter((k) => k !== null) : keys;
  for (const key of counted) votes.set(key, (votes.get(key) ?? 0) + 1);
  let winner: string | null = counted[0];
  for (const [key, count] of votes) if (count > votes.get(winner)!) winner = key;
  const completion = list[keys.indexOf(winner)];
  return Prediction.from(completion, { completions: [completion] }) as Prediction<O>;
}
