import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LM, LMConnectionError } from '@sigil/core';
import { generate } from 'selfsigned';
import {
  bodyOf,
  completionBody,
  type Proxy,
  type Started,
  startProxy,
  startTlsServer,
} from './support/loopback';
import { TRANSPORTS, type TransportName } from './support/transports';

/** Runs fixtures/tls-client.ts in a process that trusts `caFile`; resolves to what it printed. */
function clientTrusting(caFile: string, baseURL: string, transport: TransportName, proxy: string) {
  const script = path.join(__dirname, 'fixtures', 'tls-client.ts');
  return new Promise<{ direct: string; proxied: string }>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: caFile };
    for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'])
      delete env[name];
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', script, baseURL, transport, proxy],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output))
        : reject(new Error(`tls-client exited with ${code}: ${output}`)),
    );
  });
}

describe('LM over HTTPS with a self-signed loopback server', () => {
  let server: Started;
  let proxy: Proxy;
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    // selfsigned (a devDependency, pure JavaScript) makes the certificate in-process: no openssl binary
    // on the machine is needed, and node:crypto cannot issue X.509 certificates.
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigil-tls-'));
    caFile = path.join(dir, 'ca.pem');
    await fs.writeFile(caFile, pems.cert);
    server = await startTlsServer({ key: pems.private, cert: pems.cert }, async (request, response) => {
      const body = JSON.parse(await bodyOf(request)) as { messages: { content: string }[] };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(completionBody(`tls: ${body.messages[0].content}`));
    });
    proxy = await startProxy();
  });
  afterAll(async () => {
    await Promise.all([server.stop(), proxy.stop()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each(TRANSPORTS)(
    'refuses the untrusted certificate at once, without retrying (%s transport)',
    async (transport) => {
      const lm = new LM('openai/m', {
        baseURL: `${server.url}/v1`,
        apiKey: 'sk-tls',
        cache: false,
        transport,
      });
      const error = (await lm
        .call([{ role: 'user', content: 'x' }])
        .catch((e: unknown) => e)) as LMConnectionError;
      expect(error).toBeInstanceOf(LMConnectionError);
      expect(error).toMatchObject({ code: 'LM_TLS_CERTIFICATE', retryable: false, attempts: 1 });
      expect(error.message).toMatch(/TLS certificate is not trusted .*NODE_EXTRA_CA_CERTS/);
    },
  );

  it.each(TRANSPORTS)(
    'trusts a CA from NODE_EXTRA_CA_CERTS, directly and through an HTTPS_PROXY tunnel (%s transport)',
    async (transport) => {
      const before = proxy.tunnels.length;
      const result = await clientTrusting(caFile, `${server.url}/v1`, transport, proxy.url);
      expect(result).toEqual({ direct: 'tls: direct', proxied: 'tls: proxied' });
      expect(proxy.tunnels.slice(before)).toEqual([`localhost:${server.port}`]);
    },
    30_000,
  );
});
