/**
 * The built executable, spawned as a user runs it. Needs `npm run build` (CI builds before testing);
 * without dist/ the test is skipped and says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from './support/run-cli';

const BIN = path.join(__dirname, '..', 'dist', 'bin.js');
const built = existsSync(BIN);
const itWhenBuilt = built ? it : it.skip;

describe('the sigil executable', () => {
  if (!built) {
    it.todo(`spawns dist/bin.js — skipped: ${BIN} is missing, run \`npm run build\` first`);
  }

  itWhenBuilt(
    'starts with a shebang, prints help and evaluates a TypeScript task through ts-node',
    () => {
      expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
      const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/evaluate.*\n.*optimize/s);

      const env: NodeJS.ProcessEnv = { ...process.env, SIGIL_LM: '' };
      delete env.JEST_WORKER_ID;
      const result = spawnSync(process.execPath, [BIN, 'evaluate', 'sentiment.task.ts', '--table', '0'], {
        cwd: FIXTURES,
        env,
        encoding: 'utf8',
      });
      expect(result.stderr).not.toContain('sigil:');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Score: [\d.]+% over 8 examples/);

      const missing = spawnSync(process.execPath, [BIN, 'evaluate', 'nope.ts'], {
        cwd: FIXTURES,
        encoding: 'utf8',
      });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('sigil: Task file nope.ts does not exist');
    },
    20_000,
  );
});
