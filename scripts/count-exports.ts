// Prints how many names each package's public entry (and ./internal) exports.
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const packages = ['core', 'testing', 'optimize', 'cli', 'nestjs'];
const files = packages.flatMap((p) =>
  ['index', 'internal'].map((f) => path.join(root, 'packages', p, 'src', `${f}.ts`)),
);
const config = ts.parseJsonConfigFileContent(
  ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config,
  ts.sys,
  root,
);
const program = ts.createProgram(files, { ...config.options, noEmit: true });
const checker = program.getTypeChecker();
for (const file of files) {
  const source = program.getSourceFile(file);
  if (!source) continue;
  const symbol = checker.getSymbolAtLocation(source);
  const names = symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : [];
  console.log(
    `${path.relative(root, file)}\t${names.length}${process.argv.includes('--names') ? `\t${names.sort().join(' ')}` : ''}`,
  );
}
