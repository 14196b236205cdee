#!/usr/bin/env node
/** The `sigil` executable. */
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sigil: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
