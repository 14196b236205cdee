import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

// Every error code the packages can throw is listed in docs/errors.md, so users can rely on the table.
const root = path.resolve(__dirname, '../../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('error codes', () => {
  it('lists every code thrown by a package in docs/errors.md', () => {
    const documented = readFileSync(path.join(root, 'docs', 'errors.md'), 'utf8');
    const found = new Set<string>();
    for (const pkg of readdirSync(path.join(root, 'packages'))) {
      const src = path.join(root, 'packages', pkg, 'src');
      if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const file of sources(src)) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(
          /(?:readonly code: string = |code: |code \?\? )'([A-Z][A-Z0-9_]+)'/g,
        )) {
          found.add(match[1]);
        }
      }
    }
    expect(found.size).toBeGreaterThan(30);
    const missing = [...found].filter((code) => !documented.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
