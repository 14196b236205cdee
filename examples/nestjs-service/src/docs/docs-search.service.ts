import { Injectable, Module } from '@nestjs/common';
import { type Doc, DOCS } from './docs';

const STOP_WORDS = new Set([
  'and',
  'are',
  'can',
  'does',
  'for',
  'get',
  'how',
  'the',
  'there',
  'what',
  'with',
  'you',
  'your',
]);

/** Words of a text, lower-cased and crudely stemmed (`refunded` → `refund`, `cancelling` → `cancel`). */
export function wordsOf(text: string): Set<string> {
  const words = (text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).filter((word) => !STOP_WORDS.has(word));
  return new Set(words.map((word) => word.replace(/(ing|ed|s)$/, '').slice(0, 6)));
}

/**
 * A stand-in for a real retriever (a search index, a vector store): ranks the articles by the words they
 * share with the question. It is an ordinary Nest provider, injected into the program's constructor.
 */
@Injectable()
export class DocsSearch {
  search(question: string, k: number): Doc[] {
    const asked = wordsOf(question);
    // A word shared with the title counts three times: titles say what an article is about.
    const scored = DOCS.map((doc) => ({
      doc,
      score: overlap(asked, wordsOf(doc.text)) + 2 * overlap(asked, wordsOf(doc.title)),
    }));
    return scored
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map(({ doc }) => doc);
  }
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared;
}

@Module({ providers: [DocsSearch], exports: [DocsSearch] })
export class DocsModule {}
