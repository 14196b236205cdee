/**
 * Every ```ts block of the root README and of the package READMEs type-checks against the packages'
 * sources, as a CommonJS module (what the README's Install section sets up), strict.
 *
 * How a block is checked:
 * - A block is a module of its own. Names it uses but does not define (an `lm`, a `trainset`, a class shown
 *   in an earlier block) come from an HTML comment right above the fence, invisible on the rendered page:
 *   `<!-- sample-context` … `-->`. Its text goes before the block; when it holds the marker comment
 *   `/* sample *\/`, the block goes in its place instead (for class members, shown without their class).
 *   Lines `// file: ./name.ts` in the comment start files placed next to the block (for its relative imports).
 * - Names used across a README's blocks (a `program`, a `trainset`) can be declared once for the whole
 *   README in a `<!-- sample-globals` … `-->` comment: global declarations (`declare const program:
 *   import('@sigil/core').Program;`, no imports) that a block's own imports and declarations shadow.
 * - A fragment that uses `await` at top level is a function body shown flat: its imports stay on top and
 *   the rest is checked inside an `async function`. A block that starts with `import 'reflect-metadata'`
 *   is a program's entry file a user copies as it is, so it is never wrapped: top-level `await` there
 *   fails, as it would in the user's CommonJS project.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const READMES = [
  'README.md',
  ...['core', 'testing', 'optimize', 'cli', 'nestjs', 'distributed', 'tools'].map(
    (p) => `packages/${p}/README.md`,
  ),
  'docs/fine-tuning.md',
  'docs/tools-from-your-stack.md',
];
const FENCE = /^```(?:ts|typescript)[ \t]*\n([\s\S]*?)^```/gm;
const GLOBALS = /<!--\s*sample-globals[ \t]*\n([\s\S]*?)-->/;
const PLACEHOLDER = '/* sample */';

interface Sample {
  readme: string;
  /** 1-based line of the README where the block's code starts. */
  line: number;
  /** The checked file's text. */
  text: string;
  /** Line of the checked file where the block's first line is. */
  offset: number;
  /** Files beside the block, by relative path. */
  siblings: Map<string, string>;
}

/** The text of the `<!-- sample-context` comment that ends right above a fence, if there is one. */
function contextBefore(before: string): string {
  const start = before.lastIndexOf('<!-- sample-context');
  if (start < 0) return '';
  const end = before.indexOf('-->', start);
  if (end < 0 || before.slice(end + 3).trim() !== '') return '';
  return before.slice(before.indexOf('\n', start) + 1, end);
}

/** Splits a context comment into the text before the block and the sibling files it declares. */
function splitContext(context: string): { prelude: string; siblings: Map<string, string> } {
  const [prelude, ...sections] = context.split(/^\/\/ file: (.+)$/m);
  const siblings = new Map<string, string>();
  for (let i = 0; i < sections.length; i += 2) siblings.set(sections[i].trim(), sections[i + 1]);
  return { prelude, siblings };
}

function samplesOf(readme: string): Sample[] {
  const markdown = fs.readFileSync(path.join(ROOT, readme), 'utf8');
  const samples: Sample[] = [];
  for (const match of markdown.matchAll(FENCE)) {
    const before = markdown.slice(0, match.index);
    const { prelude, siblings } = splitContext(contextBefore(before));
    const line = before.split('\n').length + 1;
    samples.push({ readme, line, siblings, ...assemble(match[1], prelude) });
  }
  return samples;
}

/** The file checked for one block: its context, the block, and the async wrapper where it needs one. */
function assemble(code: string, context: string): { text: string; offset: number } {
  if (context.includes(PLACEHOLDER)) {
    const [head, tail] = context.split(PLACEHOLDER);
    return { text: `${head}${code}${tail}\nexport {};\n`, offset: head.split('\n').length - 1 };
  }
  if (!code.startsWith("import 'reflect-metadata'") && hasTopLevelAwait(code)) {
    const parsed = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true);
    const imports = parsed.statements.filter(ts.isImportDeclaration);
    const end = imports.length > 0 ? imports[imports.length - 1].end : 0;
    const importText = code.slice(0, end);
    const body = code.slice(end);
    // On the imports' last line, so the block's lines keep their numbers.
    return {
      text: `${context}${importText} async function sample() {${body}\n}\nvoid sample;\nexport {};\n`,
      offset: context.split('\n').length - 1,
    };
  }
  return { text: `${context}${code}\nexport {};\n`, offset: context.split('\n').length - 1 };
}

function hasTopLevelAwait(code: string): boolean {
  const parsed = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(parsed, visit);
  return found;
}

/** Parsed package sources, shared by the per-README programs (only the samples differ between them). */
const parsedSources = new Map<string, ts.SourceFile | undefined>();

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return {
    ...options,
    noEmit: true,
    module: ts.ModuleKind.CommonJS,
    types: ['node', 'jest'],
    noUnusedLocals: false,
  };
}

describe('README code samples', () => {
  const samples = READMES.flatMap(samplesOf);
  /** Each block in a folder of its own, with its sibling files. */
  const files = new Map<string, { sample: Sample; text: string }>();
  for (const sample of samples) {
    const dir = path.join(ROOT, '.readme-samples', `${sample.readme.replace(/[/.]/g, '_')}_${sample.line}`);
    files.set(path.join(dir, 'sample.ts'), { sample, text: sample.text });
    for (const [name, text] of sample.siblings) files.set(path.join(dir, name), { sample, text });
  }

  it('finds the README samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(20);
    expect(samples.some((s) => s.readme === 'README.md')).toBe(true);
  });

  it.each(READMES)('%s type-checks as strict CommonJS TypeScript against the packages', (readme) => {
    const mine = new Map([...files].filter(([, v]) => v.sample.readme === readme));
    const globals = GLOBALS.exec(fs.readFileSync(path.join(ROOT, readme), 'utf8'))?.[1];
    const globalsFile = path.join(ROOT, '.readme-samples', `${readme.replace(/[/.]/g, '_')}_globals.d.ts`);
    const options = compilerOptions();
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (file, language, ...rest) => {
      const resolved = path.resolve(file);
      if (globals !== undefined && resolved === globalsFile)
        return ts.createSourceFile(file, globals, language, true);
      const virtual = mine.get(resolved);
      if (virtual) return ts.createSourceFile(file, virtual.text, language, true);
      if (!parsedSources.has(resolved)) parsedSources.set(resolved, read(file, language, ...rest));
      return parsedSources.get(resolved);
    };
    const exists = host.fileExists.bind(host);
    host.fileExists = (file) => mine.has(path.resolve(file)) || exists(file);
    const dirs = new Set([...mine.keys()].map((file) => path.dirname(file)));
    const directoryExists = host.directoryExists?.bind(host);
    host.directoryExists = (dir) =>
      dirs.has(path.resolve(dir)) || (directoryExists?.(dir) ?? ts.sys.directoryExists(dir));
    const roots = [...mine.keys(), ...(globals === undefined ? [] : [globalsFile])];
    const program = ts.createProgram(roots, options, host);
    const problems: string[] = [];
    for (const file of roots) {
      const source = program.getSourceFile(file)!;
      const diagnostics = [
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ];
      for (const d of diagnostics) {
        const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        const virtual = mine.get(path.resolve(file));
        if (!virtual) {
          problems.push(`${readme} sample-globals line ${line + 1} — ${message}`);
        } else if (path.basename(file) !== 'sample.ts') {
          problems.push(
            `${readme}:${virtual.sample.line} (its sample-context file ${path.basename(file)}) — ${message}`,
          );
        } else {
          const { sample } = virtual;
          const where =
            line >= sample.offset
              ? `${readme}:${sample.line + line - sample.offset}`
              : `${readme}:${sample.line} (in its sample-context)`;
          problems.push(`${where} — ${message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
