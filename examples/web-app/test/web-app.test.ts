// The example page against a real Ensign server, in a real browser: the page is served from its own origin,
// evaluates a flag through the stock OpenFeature web SDK and OFREP web provider, follows the server's change
// notifications (no polling), and a page of an origin the environment does not list cannot read anything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiClient, expectStatus, launchChromium, startEnsign, type Api } from 'ensign-browser-test-support';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const project = resolve(here, '..', '..');
const distribution = process.env.ENSIGN_DISTRIBUTION ?? resolve(project, '..', '..', 'distribution', 'target', 'ensign');
const adminToken = 'ens_web-app-example-admin';
const flag = 'web-banner';

let stopEnsign: (() => void) | undefined;
let ensignUrl = '';
let api: Api;
let allowedPage: Server;
let otherPage: Server;
let browser: BrowserContext;
let sdkToken = '';

/** The page's flag: the sale text for visitor-1, a welcome for everyone else. */
async function putBanner(sale: string): Promise<Response> {
  return api('PUT', `/api/v1/flags/${flag}`, {
    type: 'string',
    variants: { plain: 'Welcome!', sale },
    defaultVariant: 'plain',
    rules: [{ conditions: [{ attribute: 'targetingKey', operator: 'equals', values: ['visitor-1'] }], variant: 'sale' }],
  });
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
  const server = await startEnsign({ distribution, adminToken });
  ensignUrl = server.url;
  stopEnsign = server.stop;
  api = apiClient(ensignUrl, adminToken);
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
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  allowedPage?.close();
  otherPage?.close();
  stopEnsign?.();
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
