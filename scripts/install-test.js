#!/usr/bin/env node
/**
 * The pack-and-install test (CI runs it after the build): packs every package, installs the tarballs
 * into a new project in a temporary folder outside this repository (so nothing resolves from the repo's
 * node_modules; npm fetches third-party packages from its cache or the registry), then
 *   1. compiles a CommonJS TypeScript file (decorated signature + Predict + LM against the loopback
 *      FakeOpenAIServer from the installed @sigil/testing) and runs it,
 *   2. runs an ES module doing the same with a string signature, checking that `import` and `require`
 *      share one instance of @sigil/core (classes and settings),
 *   3. type-checks an ES-module TypeScript file (module: nodenext) against the packages' `import` types,
 *   4. boots a NestJS application with SigilModule and sends it one request,
 *   5. runs the installed `sigil` binary.
 * Everything is offline except npm's registry. The fixture project is in scripts/install-fixture.
 *
 * Usage: npm run test:install [-- --keep]   (--keep leaves the temporary folder for a look)
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { packAll, PACKAGES } = require('./pack-all');

const ROOT = path.resolve(__dirname, '..');
const FIXTURE = path.join(__dirname, 'install-fixture');
/** Third-party packages of the fixture, at the versions this repository's lockfile pins. */
const THIRD_PARTY = {
  dependencies: [
    '@nestjs/common',
    '@nestjs/core',
    '@nestjs/platform-express',
    'class-validator',
    'reflect-metadata',
    'rxjs',
  ],
  devDependencies: ['typescript', '@types/node'],
};

const results = [];

function lockedVersion(name) {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in package-lock.json: add it to the root devDependencies`);
  return entry.version;
}

/** The environment of the child processes: none of npm's run-script variables, no NODE_PATH. */
function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE_PATH' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

function run(label, command, args, { cwd, expect, timeoutMs = 120_000 } = {}) {
  const started = Date.now();
  const child = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: timeoutMs });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const output = `${child.stdout ?? ''}${child.stderr ?? ''}`;
  const ok = child.status === 0 && (!expect || expect.test(output));
  results.push({ label, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} (${seconds} s)`);
  if (!ok) {
    const why = child.error ? String(child.error) : `exit ${child.status ?? child.signal}`;
    console.log(
      `     ${command} ${args.join(' ')} in ${cwd}: ${why}${expect ? `, expected output ${expect}` : ''}`,
    );
    console.log(output.replace(/^/gm, '     | '));
  }
  return ok;
}

function check(label, condition, detail) {
  results.push({ label, ok: condition });
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${label}${condition ? '' : `: ${detail}`}`);
  return condition;
}

function main() {
  const keep = process.argv.includes('--keep');
  const started = Date.now();
  const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-install-')));
  if (!path.relative(ROOT, temp).startsWith('..')) throw new Error(`${temp} is inside the repository`);
  const project = path.join(temp, 'project');
  try {
    const packed = packAll(path.join(temp, 'tarballs'));
    check(
      `packed ${packed.length} packages into ${path.join(temp, 'tarballs')}`,
      packed.length === PACKAGES.length,
      `expected ${PACKAGES.length}`,
    );

    fs.cpSync(FIXTURE, project, { recursive: true });
    const manifest = {
      name: 'sigil-install-test',
      version: '0.0.0',
      private: true,
      dependencies: {},
      devDependencies: {},
    };
    for (const { name, file } of packed) manifest.dependencies[name] = `file:${path.relative(project, file)}`;
    for (const [kind, names] of Object.entries(THIRD_PARTY)) {
      for (const name of names) manifest[kind][name] = lockedVersion(name);
    }
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    if (
      !run('npm install <tarballs>', npm, ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
        cwd: project,
        timeoutMs: 300_000,
      })
    ) {
      return;
    }

    // Installed copies, not links, and nothing from this repository.
    const resolved = spawnSync(process.execPath, ['-p', "require.resolve('@sigil/core')"], {
      cwd: project,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    const where = resolved.stdout.trim();
    check(
      '@sigil/core resolves inside the new project',
      where.startsWith(path.join(project, 'node_modules')) &&
        !fs.lstatSync(path.join(project, 'node_modules/@sigil/core')).isSymbolicLink(),
      where || resolved.stderr,
    );
    const cli = JSON.parse(
      fs.readFileSync(path.join(project, 'node_modules/@sigil/cli/package.json'), 'utf8'),
    );
    check(
      '@sigil/cli does not depend on @sigil/testing',
      !('@sigil/testing' in (cli.dependencies ?? {})) &&
        !fs.existsSync(path.join(project, 'node_modules/@sigil/cli/node_modules/@sigil/testing')),
      JSON.stringify(cli.dependencies),
    );

    check(
      '@sigil/cli does not depend on @sigil/distributed (an optional peer, loaded by sigil worker)',
      !('@sigil/distributed' in (cli.dependencies ?? {})),
      JSON.stringify(cli.dependencies),
    );
    const distributed = spawnSync(
      process.execPath,
      [
        '-e',
        "const d = require('@sigil/distributed'); if (typeof d.DistributedEvaluator.connect !== 'function') process.exit(1)",
      ],
      { cwd: project, env: cleanEnv(), encoding: 'utf8' },
    );
    check(
      '@sigil/distributed loads with its dependencies (bullmq, ioredis)',
      distributed.status === 0,
      distributed.stderr,
    );

    // @sigil/tools without any of its optional peers: it loads, and a bridge names the package to install.
    const tools = spawnSync(
      process.execPath,
      [
        '-e',
        "const t = require('@sigil/tools'); t.McpTools.connect({ url: 'http://127.0.0.1:9/mcp' })" +
          ".then(() => process.exit(1), (e) => process.exit(e.code === 'TOOL_BRIDGE_MISSING_PEER' && /@modelcontextprotocol\\/sdk/.test(e.message) ? 0 : 1))",
      ],
      { cwd: project, env: cleanEnv(), encoding: 'utf8' },
    );
    check(
      '@sigil/tools loads without its optional peers; McpTools names @modelcontextprotocol/sdk to install',
      tools.status === 0,
      tools.stderr,
    );

    const tsc = path.join(project, 'node_modules/typescript/bin/tsc');
    if (
      run('tsc: CommonJS program and NestJS app', process.execPath, [tsc, '-p', 'tsconfig.json'], {
        cwd: project,
      })
    ) {
      run(
        'node dist/cjs-app.js (signature + Predict + LM, CommonJS)',
        process.execPath,
        ['dist/cjs-app.js'],
        { cwd: project, expect: /cjs ok: Paris/ },
      );
      run('node dist/nest-app.js (SigilModule answers POST /ask)', process.execPath, ['dist/nest-app.js'], {
        cwd: project,
        expect: /nest ok: Berlin/,
      });
    }
    run(
      'node esm-app.mjs (ES module, one instance for import and require)',
      process.execPath,
      ['esm-app.mjs'],
      { cwd: project, expect: /esm ok: Rome/ },
    );
    run(
      'tsc: ES-module TypeScript (nodenext) against the import types',
      process.execPath,
      [tsc, '-p', 'tsconfig.esm.json'],
      { cwd: project },
    );
    run('sigil --help (the installed binary)', path.join(project, 'node_modules/.bin/sigil'), ['--help'], {
      cwd: project,
      expect: /optimize/,
    });
  } finally {
    if (keep) console.log(`kept ${temp}`);
    else fs.rmSync(temp, { recursive: true, force: true });
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      `install test (${((Date.now() - started) / 1000).toFixed(0)} s): ${results.length - failed} passed, ${failed} failed`,
    );
    process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
  }
}

main();
