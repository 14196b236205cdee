/** Something that turns texts into vectors — the `Embedder` of `@sigil/core` has this shape. */
export interface EmbedderLike {
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
}

/** An example's inputs as one line of text, as DSPy's KNN writes them: `question: … | context: …`. */
export function inputText(inputs: Record<string, unknown>, keys: readonly string[]): string {
  return keys
    .filter((key) => inputs[key] !== undefined)
    .map((key) => `${key}: ${typeof inputs[key] === 'string' ? inputs[key] : JSON.stringify(inputs[key])}`)
    .join(' | ');
}

/** A set of vectors searched by cosine similarity. */
export class VectorIndex {
  private readonly norms: number[];

  constructor(private readonly vectors: readonly number[][]) {
    this.norms = vectors.map(norm);
  }

  /** Indices of the `k` most similar vectors, most similar first (ties: lower index first). */
  nearest(query: readonly number[], k: number): number[] {
    const queryNorm = norm(query) || 1;
    const top: { index: number; score: number }[] = [];
    this.vectors.forEach((vector, index) => {
      let dot = 0;
      for (let i = 0; i < vector.length; i++) dot += vector[i] * (query[i] ?? 0);
      const score = dot / ((this.norms[index] || 1) * queryNorm);
      if (top.length === k && score <= top[k - 1].score) return;
      let at = top.length;
      while (at > 0 && top[at - 1].score < score) at--;
      top.splice(at, 0, { index, score });
      if (top.length > k) top.pop();
    });
    return top.map((entry) => entry.index);
  }
}

function norm(vector: readonly number[]): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}
