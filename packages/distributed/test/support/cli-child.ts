// Runs the sigil command line in a child process (as `npx sigil …` would), printing its exit code.
import { runCli } from '@sigil/cli';

void runCli(process.argv.slice(2)).then((code) => {
  console.log(JSON.stringify({ exitCode: code }));
  process.exit(code);
});
