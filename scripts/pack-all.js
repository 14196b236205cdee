#!/usr/bin/env node
/**
 * Packs every publishable package into one folder (default `tarballs/`), after checking the build is
 * complete, and prints the `npm install` line for a project outside this repository.
 *
 * Usage: npm run pack:all                  (builds, then packs into tarballs/)
 *        node scripts/pack-all.js <dir>    (packs the current build into <dir>; prints JSON with --json)
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** In dependency order. */
const PACKAGES = ['core', 'testing', 'optimize', 'cli', 'nestjs', 'distributed', 'tools'];

/** Packs the packages into `destination`; returns `{ name, file }` per package (absolute paths). */
function packAll(destination) {
  const dir = path.resolve(destination);
  fs.mkdirSync(dir, { recursive: true });
  // The ES-module doors are written by the build's second step: refuse to pack a half-built tree.
  execFileSync(process.execPath, [path.join(__dirname, 'esm-entries.js'), '--check'], { stdio: 'inherit' });
  const args = [
    'pack',
    '--json',
    '--pack-destination',
    dir,
    ...PACKAGES.flatMap((p) => ['-w', `packages/${p}`]),
  ];
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const output = execFileSync(npm, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const packed = JSON.parse(output);
  return packed.map((entry) => ({
    name: entry.name,
    file: path.join(dir, entry.filename),
    size: entry.size,
  }));
}

function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const destination = args.find((a) => !a.startsWith('--')) ?? path.join(ROOT, 'tarballs');
  const packed = packAll(destination);
  if (json) {
    process.stdout.write(`${JSON.stringify(packed, null, 2)}\n`);
    return;
  }
  for (const { name, file, size } of packed) {
    console.log(`${name.padEnd(16)} ${path.relative(process.cwd(), file)} (${(size / 1024).toFixed(0)} kB)`);
  }
  console.log('\nIn your project (pick the packages you use; @sigil/core always):');
  console.log(`  npm install ${packed.map((p) => p.file).join(' ')}`);
}

if (require.main === module) main();

module.exports = { packAll, PACKAGES };
