// The example page against a real Ensign server, in a real browser: the page is served from its own origin,
// evaluates a flag through the stock OpenFeature web SDK and OFREP web provider, follows the server's change
// notifications (no polling), and a page of an origin the environment does not list cannot read anything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const project = resolve(here, '..', '..');
const distribution = process.env.ENSIGN_DISTRIBUTION ?? resolve(project, '..', '..', 'distribution', 'target', 'ensign');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const adminToken = 'ens_web-app-example-admin';
const flag = 'web-banner';

let ensign: ChildProcess | undefined;
let ensignUrl = '';
let allowedPage: Server;
let otherPage: Server;
let browser: BrowserContext;
let sdkToken = '';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(ensignUrl + path, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectStatus(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return text ? JSON.parse(text) : undefined;
}

/** The page's flag: the sale text for visitor-1, a welcome for everyone else. */
async function putBanner(sale: string): Promise<Response> {
  return api('PUT', `/api/v1/flags/${flag}`, {
    type: 'string',
    variants: { plain: 'Welcome!', sale },
    defaultVariant: 'plain',
    rules: [{ conditions: [{ attribute: 'targetingKey', operator: 'equals', values: ['visitor-1'] }], variant: 'sale' }],
  });
}

async function startEnsign(): Promise<void> {
  const launcher = join(distribution, 'lib', 'ensign-launcher.jar');
  assert.ok(existsSync(launcher), `no distribution at ${distribution}: build it with ./ensign test`);
  const port = await freePort();
  const data = await mkdtemp(join(tmpdir(), 'ensign-web-app-'));
  const archive = join(distribution, 'lib', 'ensign.jsa');
  const jvm = existsSync(archive) ? [`-XX:SharedArchiveFile=${archive}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'] : [];
  ensign = spawn('java', [...jvm, '-jar', launcher, '--port', String(port), '--host', '127.0.0.1', '--data', data], {
    env: { ...process.env, ENSIGN_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  ensignUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${ensignUrl}/health/ready`).then((r) => r.status, () => 0);
    if (ready === 200) {
      return;
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error('Ensign did not get ready within 120 s');
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves the built page and a config.json for it on a port of its own: an origin other than Ensign's. */
async function servePage(): Promise<Server> {
  const root = join(project, 'dist');
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    if (path === '/config.json') {
      response.writeHead(200, { 'Content-Type': types['.json'] });
      response.end(JSON.stringify({ ensignUrl, sdkToken, flag, targetingKey: 'visitor-1' }));
      return;
    }
    const file = resolve(root, '.' + (path === '/' ? '/index.html' : path));
    if (!file.startsWith(root)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

function origin(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function openPage(server: Server): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      console.error('page console:', message.text());
    }
  });
  await page.goto(origin(server) + '/');
  return page;
}

before(async () => {
  await startEnsign();
  allowedPage = await servePage();
  otherPage = await servePage();
  await expectStatus(await api('PUT', '/api/v1/environments/production', {
    allowedOrigins: [origin(allowedPage)],
  }), 200);
  const issued = (await expectStatus(await api('POST', '/api/v1/tokens', {
    name: 'web example', role: 'sdk', environment: 'production',
  }), 201)) as { token: string };
  sdkToken = issued.token;
  await expectStatus(await putBanner('Winter sale: 20% off'), 201);
  const userDataDir = await mkdtemp(join(tmpdir(), 'ensign-chromium-'));
  // A new profile directory for every run, as the machine's Chromium notes ask.
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  allowedPage?.close();
  otherPage?.close();
  ensign?.kill('SIGTERM');
});

test('a page of an allowed origin evaluates the flag and follows its changes without polling', async () => {
  const page = await openPage(allowedPage);
  await page.locator('#provider-status', { hasText: 'ready' }).waitFor({ timeout: 20_000 });
  await page.locator('#banner', { hasText: 'Winter sale: 20% off' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('#reason').textContent(), 'TARGETING_MATCH');
  assert.equal(await page.locator('#variant').textContent(), 'sale');

  const screenshots = join(project, 'build', 'screenshots');
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'web-app.png'), fullPage: true });

  await expectStatus(await putBanner('Winter sale: 30% off'), 200);
  await page.locator('#banner', { hasText: 'Winter sale: 30% off' }).waitFor({ timeout: 10_000 });
  assert.ok(Number(await page.locator('#updates').textContent()) >= 1, 'the change came as an update');
  await page.close();
});

test('a page of an origin the environment does not list reads nothing', async () => {
  const page = await openPage(otherPage);
  await page.locator('#provider-status', { hasText: 'error' }).waitFor({ timeout: 20_000 });
  assert.notEqual(await page.locator('#banner').textContent(), 'Winter sale: 30% off');
  await page.close();
});
