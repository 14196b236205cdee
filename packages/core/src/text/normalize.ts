/** ASCII punctuation, as Python's `string.punctuation` (what DSPy removes). */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const ARTICLES = /\b(a|an|the)\b/g;

/**
 * DSPy's `normalize_text` (from SQuAD): NFD, lowercase, drop ASCII punctuation, drop the articles
 * a/an/the, collapse whitespace.
 * @example normalizeText('The  Eiffel-Tower!') // 'eiffeltower'
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(/\s+/)
    .filter((token) => token !== '')
    .join(' ');
}

/** Tokens of the normalised text (whitespace-separated). */
export function normalizedTokens(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/**
 * The tokenizer DSPy's passage match inherits from DPR: runs of letters/digits/marks, or single other
 * visible characters, lowercased after NFD.
 */
export function passageTokens(text: string): string[] {
  return (text.normalize('NFD').match(/[\p{L}\p{N}\p{M}]+|[^\p{Z}\p{C}]/gu) ?? []).map((token) =>
    token.toLowerCase(),
  );
}
