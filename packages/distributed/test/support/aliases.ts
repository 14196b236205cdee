// Lets a forked ts-node process import the workspace packages by name, as Jest's moduleNameMapper does.
import NodeModuleClass from 'node:module';
import * as path from 'node:path';

type Resolver = (request: string, ...rest: unknown[]) => string;
const NodeModule = NodeModuleClass as unknown as { _resolveFilename: Resolver };
const resolve = NodeModule._resolveFilename;
const packages = path.resolve(__dirname, '../../..');
NodeModule._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  const match = /^@sigil\/(core|testing|optimize|cli|distributed)(\/internal)?$/.exec(request);
  const target = match
    ? path.join(packages, match[1], 'src', match[2] ? 'internal.ts' : 'index.ts')
    : request;
  return resolve.call(this, target, ...rest);
};
