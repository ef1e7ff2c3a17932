// What the browser tests of the web example and of the console share: the server process of a built distribution on
// a free loopback port, its API over fetch, and Debian's Chromium in a fresh profile. Plain JavaScript (types in
// index.d.ts), so that each test package links it as it is, without a build of its own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const port = probe.address().port;
  await new Promise((done) => probe.close(() => done()));
  return port;
}

export async function startEnsign({ distribution, adminToken, paths = [] }) {
  const launcher = join(distribution, 'lib', 'ensign-launcher.jar');
  assert.ok(existsSync(launcher), `no distribution at ${distribution}: build it with ./ensign build`);
  const port = await freePort();
  const data = await mkdtemp(join(tmpdir(), 'ensign-browser-test-'));
  const archive = join(distribution, 'lib', 'ensign.jsa');
  const jvm = existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'] : [];
  const server = spawn('java', [...jvm, '-jar', launcher, '--port', String(port), '--host', '127.0.0.1', '--data', data], {
    env: { ...process.env, ENSIGN_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => server.kill('SIGTERM');
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const answers = await Promise.all(['/health/ready', ...paths].map((path) => fetch(url + path).then((r) => r.status, () => 0)));
    if (answers.every((status) => status === 200)) {
      return { url, stop };
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  stop();
  throw new Error(`Ensign did not answer ${['/health/ready', ...paths].join(', ')} within 120 s`);
}

export function apiClient(url, token) {
  return (method, path, body, as = token) => fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${as}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function expectStatus(response, status) {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return text ? JSON.parse(text) : undefined;
}

export async function launchChromium(chromium) {
  // A new profile directory for every run, as the machine's Chromium notes ask.
  const userDataDir = await mkdtemp(join(tmpdir(), 'ensign-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}
