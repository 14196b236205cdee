import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import MiniSearch from 'minisearch';

/** One passage of the corpus. */
export interface Passage {
  id: string;
  title: string;
  text: string;
}

const PASSAGES_FILE = path.join(__dirname, '..', 'data', 'passages.jsonl');

// Words too common to tell passages apart; dropping them keeps BM25 on the words that matter.
const STOP_WORDS = new Set(
  'a an and are as at by did do does for from had has how in is it its many much of on or the to was were what when where which who why with'.split(
    ' ',
  ),
);

/**
 * The Lantern Isles corpus (a made-up archipelago, so a real model cannot answer from memory) indexed with
 * MiniSearch, whose default ranking is BM25. Shared by the rag and agent examples.
 */
export class Corpus {
  readonly passages: readonly Passage[];
  private readonly index: MiniSearch<Passage>;

  constructor(passages: readonly Passage[] = readPassages()) {
    this.passages = passages;
    this.index = new MiniSearch<Passage>({
      fields: ['title', 'text'],
      processTerm: (term) => {
        const word = term.toLowerCase();
        return STOP_WORDS.has(word) ? null : word;
      },
      storeFields: ['title', 'text'],
      searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 },
    });
    this.index.addAll([...passages]);
  }

  /** The `k` best passages for `query`, as `Title: text` strings, best first. */
  search(query: string, k: number): string[] {
    return this.index
      .search(query)
      .slice(0, k)
      .map((hit) => `${String(hit.title)}: ${String(hit.text)}`);
  }
}

function readPassages(): Passage[] {
  return readFileSync(PASSAGES_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Passage);
}

let shared: Corpus | undefined;

/** The corpus, indexed once per process. */
export function corpus(): Corpus {
  return (shared ??= new Corpus());
}
