import * as path from 'node:path';
import { FakeOpenAIServer } from '@sigil/testing';
import { FIXTURES, run } from './support/run-cli';

/** ESC, BEL, C1 controls, a bare carriage return and bidi overrides: what a terminal acts on. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('what the CLI prints from data (issue 16)', () => {
  it('F10: neutralises terminal control characters in the header, tables and errors of sigil evaluate', async () => {
    const result = await run(['evaluate', path.join(FIXTURES, 'hostile.task.js'), '--table', '5']);
    expect(result.code).toBe(0);
    const printed = result.stdout + result.stderr;
    expect(printed).not.toMatch(CONTROLS);
    expect(result.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(result.stdout).toContain('Evaluating task "hostile\\x1b[2J"');
  });

  it('F10: neutralises them in the prompts sigil inspect prints', async () => {
    const result = await run(['inspect', path.join(FIXTURES, 'hostile.task.js')]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(CONTROLS);
    expect(result.stdout).toContain('\\x1b]52;c;ZWNobyBoaQ==\\x07');
    expect(result.stdout).toContain('\\u202egnp.exe');
  });

  it('F6: prints the LM: line without the credentials in the base URL', async () => {
    const server = new FakeOpenAIServer({ reply: '[[ ## label ## ]]\npositive\n\n[[ ## completed ## ]]' });
    const baseURL = await server.start();
    try {
      const secret = 'url-secret-31415926';
      const withCredentials = `${baseURL}?api-key=${secret}`;
      const result = await run(
        ['evaluate', 'no-lm.task.ts', '--lm', 'openai/fake', '--no-cache', '--table', '0'],
        {
          env: { OPENAI_BASE_URL: withCredentials },
        },
      );
      const printed = result.stdout + result.stderr;
      expect(printed).toContain(`LM: openai/fake at ${baseURL}?api-key=[redacted]`);
      expect(printed).not.toContain(secret);
    } finally {
      await server.stop();
    }
  });

  it('F17: says in the help of every command that task files are code and run when loaded', async () => {
    for (const command of ['inspect', 'evaluate', 'optimize']) {
      const result = await run([command, '--help']);
      expect(result.stdout).toMatch(/task file is code/i);
    }
  });
});
