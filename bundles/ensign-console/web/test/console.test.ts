// The console against a real Ensign server, in a real browser: the server process of ../../../distribution started
// here on a free loopback port, Debian's Chromium driven headless by playwright-core. Every page a test visits is
// checked by axe-core (no serious or critical violation) and for errors and Content-Security-Policy violations.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiClient, expectStatus, launchChromium, startEnsign, type Api } from 'ensign-browser-test-support';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '..', '..');
const distribution = process.env.ENSIGN_DISTRIBUTION ?? resolve(web, '..', '..', '..', 'distribution', 'target', 'ensign');
const screenshots = join(web, 'build', 'screenshots');
const adminToken = 'ens_console-test-admin';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let stopEnsign: (() => void) | undefined;
let ensignUrl = '';
let api: Api;
let browser: BrowserContext;
let editorToken = '';
let viewerToken = '';

async function ofrep(flag: string, context: Record<string, unknown>): Promise<any> {
  return expectStatus(await api('POST', `/ofrep/v1/evaluate/flags/${flag}?environment=production`, { context }), 200);
}

async function issue(name: string, role: string): Promise<string> {
  return (await expectStatus(await api('POST', '/api/v1/tokens', { name, role }), 201)).token;
}

/** A new tab (so a session storage of its own) whose errors and policy violations fail the test at check(). */
async function openConsole(path = '/console/'): Promise<Page & { problems: string[] }> {
  const page = (await browser.newPage()) as Page & { problems: string[] };
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (40[139]|422)/.test(message.text())) {
      page.problems.push(`console: ${message.text()}`);
    }
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(ensignUrl) && !request.url().startsWith('data:')) {
      page.problems.push(`request to another origin: ${request.url()}`);
    }
  });
  await page.goto(ensignUrl + path);
  return page;
}

function noProblems(page: { problems: string[] }): void {
  assert.deepEqual(page.problems, []);
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
}

/** axe-core on the page as it is now: no serious or critical violation. Also a screenshot, to look at. */
async function check(page: Page, name: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const results = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `accessibility of ${name}`);
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** Presses Tab until the focused element matches the selector (and has the text); fails after 80 presses. */
async function tabTo(page: Page, selector: string, text?: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(([s, t]) => {
      const active = document.activeElement;
      return (active?.matches(s!) ?? false) && (t === undefined || active?.textContent === t);
    }, [selector, text]);
    if (focused) {
      return;
    }
  }
  assert.fail(`${selector} ${text ?? ''} is not reachable with Tab`);
}

before(async () => {
  // the server's readiness does not wait for the whiteboard to serve the console's servlet: ask for both
  const server = await startEnsign({ distribution, adminToken, paths: ['/console/'] });
  ensignUrl = server.url;
  stopEnsign = server.stop;
  api = apiClient(ensignUrl, adminToken);
  editorToken = await issue('release manager', 'editor');
  viewerToken = await issue('support desk', 'viewer');
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  stopEnsign?.();
});

test('the server serves the console at /console/ with its policy, caching and client routes', async () => {
  const root = await fetch(ensignUrl + '/', { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.equal(new URL(root.headers.get('location')!, ensignUrl).pathname, '/console/');

  for (const path of ['/console/', '/console/flags/some.flag']) {
    const page = await fetch(ensignUrl + path);
    assert.equal(page.status, 200, path);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html; ?charset=utf-8$/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const policy = page.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self';/);
    assert.doesNotMatch(policy, /https?:|\*|unsafe/);
    const html = await page.text();
    assert.doesNotMatch(html, /https?:\/\//, 'the page names no other origin');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const asset = await fetch(ensignUrl + script);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript; ?charset=utf-8$/);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }
  assert.equal((await fetch(ensignUrl + '/console/assets/missing.js')).status, 404);
  assert.equal((await fetch(ensignUrl + '/elsewhere')).status, 404);
  assert.equal((await fetch(ensignUrl + '/health/live')).status, 200, 'other servlets keep their paths');
});

test('sign-in with a token shows its name and role, keeps it out of the address and forgets it at sign-out', async () => {
  const page = await openConsole();
  await check(page, 'sign-in');
  await page.getByLabel('API token').fill('ens_nobody');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'does not know this token' }).waitFor();

  await signIn(page, editorToken);
  assert.equal(await page.getByTestId('who').innerText(), 'release manager editor');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('ensign.token')), editorToken);
  assert.ok(!page.url().includes(editorToken));
  await page.reload();
  await page.getByTestId('who').waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API token').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.reload();
  await page.getByLabel('API token').waitFor();

  const sdk = (await expectStatus(await api('POST', '/api/v1/tokens', { name: 'app', role: 'sdk', environment: 'production' }), 201)).token;
  await page.getByLabel('API token').fill(sdk);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'sdk token cannot use the console' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  noProblems(page);
  await page.close();
});

test('an editor creates a flag with a rule and a rollout in the UI, and OFREP serves what the UI shows', async () => {
  const page = await openConsole();
  await signIn(page, editorToken);
  await page.getByLabel('New flag key').fill('new-checkout');
  await page.getByRole('button', { name: 'Create flag' }).click();
  await page.getByRole('heading', { name: /new-checkout/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/console/flags/new-checkout');

  await page.getByRole('button', { name: 'Add rule' }).click();
  const first = page.getByRole('listitem', { name: 'rule 1' });
  await first.getByLabel('Name').fill('neighbours');
  await first.getByRole('button', { name: 'Add condition' }).click();
  await first.getByLabel('attribute of condition 1 of rule 1').fill('country');
  await first.getByLabel('operator of condition 1 of rule 1').selectOption('in');
  await first.getByLabel('values of condition 1 of rule 1').fill('NL, DE');
  await first.getByLabel('values of condition 1 of rule 1').blur();
  await first.getByLabel('variant of rule 1').selectOption('on');

  await page.getByRole('button', { name: 'Add rule' }).click();
  const second = page.getByRole('listitem', { name: 'rule 2' });
  await second.getByLabel('a percentage rollout').check();
  await second.getByLabel('weight of on in rule 2, in percent').fill('30');
  await second.getByLabel('weight of off in rule 2, in percent').fill('60');
  await page.getByRole('alert').filter({ hasText: 'add up to 90 %' }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Save' }).isDisabled(), 'weights that do not add up are not saved');
  await second.getByLabel('weight of off in rule 2, in percent').fill('70');
  await page.getByRole('form', { name: 'Flag definition' }).getByLabel('Reason for the audit trail').fill('launch in NL and DE, 30 % elsewhere');
  await check(page, 'flag-editor');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved as version 2' }).waitFor();

  const stored = await expectStatus(await api('GET', '/api/v1/flags/new-checkout'), 200);
  assert.equal(stored.version, 2);
  assert.equal(stored.defaultVariant, 'off');
  assert.deepEqual(stored.rules[0], { name: 'neighbours', conditions: [{ attribute: 'country', operator: 'in', values: ['NL', 'DE'] }], variant: 'on' });
  assert.deepEqual(stored.rules[1].rollout.weights, { on: 30, off: 70 });
  assert.equal(stored.rules[1].rollout.bucketBy, 'targetingKey');

  const dutch = await ofrep('new-checkout', { targetingKey: 'user-1', country: 'NL' });
  assert.equal(dutch.value, true);
  assert.equal(dutch.reason, 'TARGETING_MATCH');
  let on = 0;
  for (let i = 0; i < 400; i++) {
    const french = await ofrep('new-checkout', { targetingKey: `user-${i}`, country: 'FR' });
    assert.equal(french.reason, 'SPLIT');
    on += french.value === true ? 1 : 0;
  }
  assert.ok(on > 400 * 0.22 && on < 400 * 0.38, `${on} of 400 got the 30 % variant`);

  const audit = await expectStatus(await api('GET', '/api/v1/audit?since=0&limit=1000'), 200);
  const writes = audit.records.filter((r: any) => r.kind === 'flag' && r.key === 'new-checkout');
  assert.deepEqual(writes.map((r: any) => r.actor.split(' (')[0]), ['release manager', 'release manager']);
  assert.equal(writes[1].reason, 'launch in NL and DE, 30 % elsewhere');
  await page.getByRole('heading', { name: 'History' }).scrollIntoViewIfNeeded();
  await page.getByRole('table', { name: 'Version 1 → 2' }).getByText('/rules/0/variant').waitFor();
  noProblems(page);
  await page.close();
});

test('the kill switch asks first, then flips what OFREP answers in that environment only', async () => {
  await expectStatus(await api('PUT', '/api/v1/flags/dark-mode', {
    type: 'boolean', variants: { on: true, off: false }, defaultVariant: 'on',
  }), 201);
  const page = await openConsole('/console/flags/dark-mode');
  await signIn(page, editorToken);
  await page.getByTestId('state-production').filter({ hasText: 'serving' }).waitFor();

  await page.getByRole('button', { name: 'Kill in production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Kill dark-mode in production?' });
  await dialog.waitFor();
  await check(page, 'kill-switch-dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await ofrep('dark-mode', { targetingKey: 'u' })).reason, 'UNKNOWN', 'cancel changes nothing');
  assert.equal((await expectStatus(await api('GET', '/api/v1/flags/dark-mode'), 200)).version, 1);

  await page.getByRole('button', { name: 'Kill in production' }).click();
  await dialog.getByRole('button', { name: 'Kill it' }).click();
  await page.getByRole('alert').filter({ hasText: 'give a reason' }).waitFor();
  assert.equal(await page.getByTestId('state-production').innerText(), 'serving', 'no reason, no change');
  await page.getByRole('button', { name: 'Kill in production' }).click();
  await dialog.getByLabel('Reason for the audit trail').fill('incident 42: dark mode breaks checkout');
  await dialog.getByRole('button', { name: 'Kill it' }).click();
  await page.getByTestId('state-production').filter({ hasText: 'killed' }).waitFor();
  assert.equal(await page.getByTestId('state-staging').innerText(), 'serving');
  const killed = await ofrep('dark-mode', { targetingKey: 'u' });
  assert.equal(killed.reason, 'DISABLED');
  const staging = await expectStatus(await api('POST', '/ofrep/v1/evaluate/flags/dark-mode?environment=staging', { context: { targetingKey: 'u' } }), 200);
  assert.notEqual(staging.reason, 'DISABLED');

  await page.getByRole('button', { name: 'Restore in production' }).click();
  const restore = page.getByRole('dialog', { name: 'Restore dark-mode in production?' });
  await restore.getByLabel('Reason for the audit trail').fill('incident 42 fixed');
  await restore.getByRole('button', { name: 'Restore it' }).click();
  await page.getByTestId('state-production').filter({ hasText: 'serving' }).waitFor();
  assert.equal((await ofrep('dark-mode', { targetingKey: 'u' })).reason, 'UNKNOWN');
  noProblems(page);
  await page.close();
});

test('the try-it panel shows the OFREP result with its reason and the rule that matched', async () => {
  await expectStatus(await api('PUT', '/api/v1/flags/banner', {
    type: 'string', variants: { plain: 'Welcome', sale: 'Sale!' }, defaultVariant: 'plain',
    rules: [{ name: 'vip', conditions: [{ attribute: 'plan', operator: 'equals', values: ['vip'] }], variant: 'sale' }],
  }), 201);
  const page = await openConsole('/console/flags/banner');
  await signIn(page, viewerToken);
  const context = { targetingKey: 'user-7', plan: 'vip' };
  await page.getByLabel('Evaluation context (JSON)').fill(JSON.stringify(context));
  await page.getByRole('button', { name: 'Evaluate through OFREP' }).click();
  await page.getByTestId('try-answer').waitFor();
  const expected = await ofrep('banner', context);
  assert.equal(await page.getByTestId('try-value').innerText(), JSON.stringify(expected.value));
  assert.equal(await page.getByTestId('try-variant').innerText(), expected.variant);
  assert.equal(await page.getByTestId('try-reason').innerText(), 'TARGETING_MATCH');
  assert.equal(await page.getByTestId('try-rule').innerText(), '1 (vip)');

  await page.getByLabel('Evaluation context (JSON)').fill('{"targetingKey": "user-8"}');
  await page.getByRole('button', { name: 'Evaluate through OFREP' }).click();
  await page.getByTestId('try-reason').filter({ hasText: 'UNKNOWN (DEFAULT)' }).waitFor();
  assert.equal(await page.getByTestId('try-rule').innerText(), '—');

  await page.getByLabel('Evaluation context (JSON)').fill('{"targetingKey": ');
  await page.getByRole('button', { name: 'Evaluate through OFREP' }).click();
  await page.getByRole('alert').filter({ hasText: 'JSON' }).waitFor();
  await check(page, 'flag-viewer');
  noProblems(page);
  await page.close();
});

test('a viewer sees no edit controls, and the server refuses a viewer\'s write anyway', async () => {
  const page = await openConsole();
  await signIn(page, viewerToken);
  assert.equal(await page.getByTestId('who').innerText(), 'support desk viewer');
  await page.getByRole('link', { name: 'banner' }).click();
  await page.getByRole('heading', { name: /banner/ }).waitFor();
  for (const name of [/^Save/, /^Kill in/, /^Restore in/, 'Add rule', 'Add variant', 'Add condition', 'Remove rule']) {
    assert.equal(await page.getByRole('button', { name }).count(), 0, `a viewer has no ${name} button`);
  }
  assert.ok(await page.getByLabel('Description').isDisabled());
  await page.getByRole('navigation').getByRole('link', { name: 'Flags' }).click();
  await page.getByRole('table').waitFor();
  assert.equal(await page.getByLabel('New flag key').count(), 0);
  await check(page, 'flags-viewer');
  for (const section of ['Segments', 'Environments']) {
    await page.getByRole('navigation').getByRole('link', { name: section }).click();
    await page.getByRole('heading', { name: section }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^(Create|Save)/ }).count(), 0, `no edit control on ${section}`);
    await check(page, section.toLowerCase());
  }
  await expectStatus(await api('PUT', '/api/v1/flags/banner', { type: 'boolean', variants: { on: true }, defaultVariant: 'on' }, viewerToken), 403);
  assert.equal((await expectStatus(await api('GET', '/api/v1/flags/banner'), 200)).version, 1);
  noProblems(page);
  await page.close();
});

test('the main controls are reachable with the keyboard alone', async () => {
  const page = await openConsole();
  await tabTo(page, '#token');
  await page.keyboard.type(adminToken);
  await page.keyboard.press('Enter');
  await page.getByTestId('who').waitFor();
  assert.equal(await page.getByTestId('who').innerText(), 'bootstrap admin admin');

  await tabTo(page, 'input[type="search"]');
  await page.keyboard.type('dark');
  await tabTo(page, 'a[href="/console/flags/dark-mode"]');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /dark-mode/ }).waitFor();
  await tabTo(page, 'button.danger', 'Kill in production');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  assert.equal((await expectStatus(await api('GET', '/api/v1/flags/dark-mode'), 200)).environments?.production?.enabled, true,
    'Escape closed the dialog without killing the flag');
  await tabTo(page, '#context');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('{"targetingKey": "user-1"}');
  await tabTo(page, 'button[type="submit"]');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Evaluate through OFREP');
  await page.keyboard.press('Enter');
  await page.getByTestId('try-reason').filter({ hasText: 'UNKNOWN (DEFAULT)' }).waitFor();
  noProblems(page);
  await page.close();
});

test('a change made elsewhere shows without a reload, and a save that lost the If-Match race overwrites nothing', async () => {
  const page = await openConsole();
  await signIn(page, editorToken);
  await page.getByRole('link', { name: 'banner' }).waitFor();
  await expectStatus(await api('PUT', '/api/v1/flags/live-one', { type: 'boolean', variants: { on: true, off: false }, defaultVariant: 'off' }), 201);
  await page.getByRole('link', { name: 'live-one' }).click();
  await page.getByRole('heading', { name: /live-one/ }).waitFor();

  await page.getByLabel('Description').fill('mine');
  const theirs = { type: 'boolean', description: 'theirs', variants: { on: true, off: false }, defaultVariant: 'off' };
  await expectStatus(await api('PUT', '/api/v1/flags/live-one', theirs), 200);
  await page.getByRole('heading', { name: /version 2/ }).waitFor();
  assert.equal(await page.getByLabel('Description').inputValue(), 'mine', 'the edit in progress is kept');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
  const stored = await expectStatus(await api('GET', '/api/v1/flags/live-one'), 200);
  assert.equal(stored.description, 'theirs');
  assert.equal(stored.version, 2);
  await page.getByRole('button', { name: 'Load the newer version' }).click();
  assert.equal(await page.getByLabel('Description').inputValue(), 'theirs');
  noProblems(page);
  await page.close();
});

test('an operator deployed while the server runs is offered in the rule builder', async () => {
  const plugin = resolve(web, '..', '..', '..', 'examples', 'custom-operator', 'target', 'ensign-example-custom-operator-1.0.0.jar');
  const page = await openConsole('/console/flags/new-checkout');
  await signIn(page, editorToken);
  const operator = page.getByLabel('operator of condition 1 of rule 1');
  assert.equal(await operator.locator('option', { hasText: 'ip_in_cidr' }).count(), 0);
  const deployed = await fetch(ensignUrl + '/api/v1/bundles', {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/java-archive' },
    body: await readFile(plugin),
  });
  assert.ok(deployed.ok, await deployed.text());
  await page.reload();
  await operator.locator('option', { hasText: 'ip_in_cidr' }).waitFor({ state: 'attached' });
  await expectStatus(await api('DELETE', '/api/v1/bundles/ensign-example-custom-operator'), 204);
  noProblems(page);
  await page.close();
});

test('the list and a flag page at a phone\'s width', async () => {
  const page = await openConsole();
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, editorToken);
  await page.getByRole('link', { name: 'banner' }).waitFor();
  // the page does not scroll sideways; what sticks out past the right edge is named, unless it is inside a region
  // that scrolls on its own
  const fits = async () => {
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth
      && Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.parentElement?.closest('.wide'))
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 5));
    assert.equal(wide, false, `sticking out: ${wide}`);
  };
  await fits();
  await check(page, 'phone-flags');
  await page.getByRole('link', { name: 'new-checkout' }).click();
  await page.getByRole('heading', { name: /new-checkout/ }).waitFor();
  await fits();
  await check(page, 'phone-flag');
  noProblems(page);
  await page.close();
});

/** Exposures of `units` units to `variant`, and a `converted` event for every `every`-th of them with revenue. */
function experimentEvents(experiment: string, variant: string, units: number, every: number): object[] {
  return Array.from({ length: units }, (_, i) => {
    const unit = `${variant}-${i}`;
    const exposure = { id: `x-${unit}`, type: 'exposure', experiment, unit, variant };
    return i % every === 0 ? [exposure,
      { id: `c-${unit}`, type: 'metric', experiment, metric: 'converted', unit, value: 1 },
      { id: `r-${unit}`, type: 'metric', experiment, metric: 'revenue', unit, value: 10 + (i % 7) }] : [exposure];
  }).flat();
}

test('an experiment created from a flag in the UI runs, shows the results API\'s figures and chart, and concludes', async () => {
  await expectStatus(await api('PUT', '/api/v1/flags/checkout.button', { type: 'boolean', variants: { on: true, off: false }, defaultVariant: 'off' }), 201);
  const page = await openConsole('/console/experiments');
  await signIn(page, editorToken);
  await page.getByLabel('Key', { exact: true }).fill('button-test');
  await page.getByLabel('Flag', { exact: true }).selectOption('checkout.button');
  assert.equal(await page.getByLabel('Weight of on').inputValue(), '50');
  assert.equal(await page.getByLabel('Control').inputValue(), 'off');
  await page.getByRole('button', { name: 'Add a metric' }).click();
  await page.getByLabel('Metric 2').fill('revenue');
  await check(page, 'experiment-new');
  await page.getByRole('button', { name: 'Create experiment' }).click();
  await page.getByTestId('status').filter({ hasText: 'draft' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/console/experiments/button-test');
  const created = await expectStatus(await api('GET', '/api/v1/experiments/button-test'), 200);
  assert.deepEqual([created.flag, created.environment, created.control, created.weights, created.primaryMetric],
    ['checkout.button', 'production', 'off', { on: 50, off: 50 }, 'converted']);
  assert.deepEqual(created.metrics.map((m: any) => [m.name, m.kind]), [['converted', 'proportion'], ['revenue', 'mean']]);

  // only the transitions the lifecycle allows are offered
  assert.equal(await page.getByRole('button', { name: /^(Stop|Conclude)$/ }).count(), 0);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByTestId('status').filter({ hasText: 'running' }).waitFor();
  assert.equal((await expectStatus(await api('GET', '/api/v1/experiments/button-test'), 200)).status, 'running');
  assert.equal(await page.getByRole('button', { name: /^(Start|Conclude)$/ }).count(), 0);
  await expectStatus(await api('POST', '/api/v1/experiments/button-test/conclude'), 409);

  // twice the units in one arm as in the other at 50/50: the sample ratio check fails
  for (const [variant, units, every] of [['off', 300, 10], ['on', 150, 4]] as const) {
    const answer = await expectStatus(await api('POST', '/api/v1/events', { events: experimentEvents('button-test', variant, units, every) }), 202);
    assert.deepEqual(answer.rejected, []);
  }
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.locator('table[data-metric="converted"] tr[data-variant="on"] td[data-field="units"]').filter({ hasText: '150' }).waitFor();
  const results = await expectStatus(await api('GET', '/api/v1/experiments/button-test/results'), 200);
  for (const metric of ['converted', 'revenue']) {
    for (const variant of ['on', 'off']) {
      const row = page.locator(`table[data-metric="${metric}"] tr[data-variant="${variant}"]`);
      const figures = results.variants[variant].metrics[metric];
      assert.equal(await row.locator('td[data-field="units"]').innerText(), String(figures.units));
      assert.ok((await row.locator('td[data-field="mean"]').innerText()).startsWith(figures.mean.toFixed(4)), `${metric} mean of ${variant}`);
    }
  }
  const alwaysValid = results.sequential.on.alwaysValidPValue;
  assert.equal(await page.locator('table[data-metric="converted"] tr[data-variant="on"] td[data-field="always-valid"]').innerText(), alwaysValid.toFixed(4));
  assert.ok(results.srm.mismatch, 'the API sees the mismatch');
  assert.match(await page.getByTestId('srm-warning').innerText(), /Sample ratio mismatch/);
  assert.ok((await page.getByTestId('decision').innerText()).includes(results.decision.reason));
  assert.equal(await page.locator('progress').count(), 2);

  // the chart: drawn on canvases, its figures in the table beside it, equal to the history's newest point
  await page.locator('.chart canvas').first().waitFor();
  assert.equal(await page.locator('.chart[role="img"]').count(), 2);
  const history = await expectStatus(await api('GET', '/api/v1/experiments/button-test/results/history'), 200);
  const newest = history.points[history.points.length - 1];
  const last = page.getByTestId('history-table').locator(`tr[data-sequence="${newest.sequence}"]`);
  assert.equal(await last.locator('td[data-field="units-on"]').innerText(), String(newest.units.on));
  assert.equal(await last.locator('td[data-field="always-valid-on"]').innerText(), newest.metrics.converted.on.alwaysValidPValue.toFixed(4));
  await check(page, 'experiment-results');

  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByTestId('status').filter({ hasText: 'analysing' }).waitFor();
  await page.getByLabel('Winner').selectOption('on');
  await page.getByRole('button', { name: 'Conclude' }).click();
  await page.getByTestId('status').filter({ hasText: 'concluded' }).waitFor();
  const concluded = await expectStatus(await api('GET', '/api/v1/experiments/button-test'), 200);
  assert.deepEqual([concluded.status, concluded.winner], ['concluded', 'on']);
  assert.equal(await page.getByRole('group', { name: 'lifecycle' }).count(), 0);
  noProblems(page);
  await page.close();
});

test('a transition the server refuses on a page that missed a change shows its ILLEGAL_TRANSITION', async () => {
  await expectStatus(await api('PUT', '/api/v1/flags/search.ranking', { type: 'boolean', variants: { on: true, off: false }, defaultVariant: 'off' }), 201);
  await expectStatus(await api('PUT', '/api/v1/experiments/ranking-test', { flag: 'search.ranking', environment: 'production', control: 'off',
    weights: { on: 50, off: 50 }, metrics: [{ name: 'clicked', kind: 'proportion' }], primaryMetric: 'clicked', minimumDetectableEffect: 0.02 }), 201);
  await expectStatus(await api('POST', '/api/v1/experiments/ranking-test/start'), 200);
  const page = await openConsole('/console/experiments/ranking-test');
  await signIn(page, editorToken);
  // the page stops hearing of changes (a dropped stream), so it still offers Stop after someone else stopped it
  await page.route('**/api/v1/stream', (request) => request.abort());
  await page.reload();
  await page.getByTestId('status').filter({ hasText: 'running' }).waitFor();
  await expectStatus(await api('POST', '/api/v1/experiments/ranking-test/stop'), 200);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByRole('alert').filter({ hasText: /^ILLEGAL_TRANSITION: .*analysing/ }).waitFor();
  assert.equal((await expectStatus(await api('GET', '/api/v1/experiments/ranking-test'), 200)).status, 'analysing');
  assert.deepEqual(page.problems.filter((problem) => !problem.includes('ERR_FAILED')), []);
  await page.close();
});

test('a configuration value edited in the UI is what the API returns; refusals show at the field; rollback, promotion; secrets stay out of the page', async () => {
  await expectStatus(await api('PUT', '/api/v1/config/checkout/timeout.ms', { value: 1000, schema: { type: 'integer', minimum: 1 } }), 201);
  await expectStatus(await api('PUT', '/api/v1/config/checkout/payment.key', { value: 'sk-live-do-not-show', secret: true }), 201);
  const page = await openConsole('/console/config');
  await signIn(page, editorToken);
  await page.getByLabel('Values for').selectOption('staging');
  const row = page.getByTestId('config-entries').locator('tr[data-key="timeout.ms"]');
  assert.equal(await row.locator('td[data-field="value"]').innerText(), '1000');
  await page.getByRole('button', { name: 'Edit timeout.ms' }).click();
  await page.getByLabel('Value (JSON)').fill('0');
  await page.getByRole('button', { name: 'Save staging value' }).click();
  await page.locator('.field-error').first().waitFor();
  assert.equal((await expectStatus(await api('GET', '/api/v1/config/checkout?environment=staging'), 200))['timeout.ms'].value, 1000);

  await page.getByLabel('Value (JSON)').fill('2500');
  await page.getByLabel('Reason').fill('slower payment provider in staging');
  await page.getByRole('button', { name: 'Save staging value' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved version 1' }).waitFor();
  const staged = await expectStatus(await api('GET', '/api/v1/config/checkout/timeout.ms?environment=staging'), 200);
  assert.deepEqual([staged.value, staged.reason], [2500, 'slower payment provider in staging']);
  assert.equal((await expectStatus(await api('GET', '/api/v1/config/checkout/timeout.ms'), 200)).value, 1000, 'the global value stays');

  await page.getByLabel('Value (JSON)').fill('4000');
  await page.getByRole('button', { name: 'Save staging value' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved version 2' }).waitFor();
  await page.getByRole('button', { name: 'Roll back to version 1' }).click();
  await page.getByRole('status').filter({ hasText: 'now version 3' }).waitFor();
  const rolled = await expectStatus(await api('GET', '/api/v1/config/checkout/timeout.ms?environment=staging'), 200);
  assert.deepEqual([rolled.version, rolled.value], [3, 2500]);
  await row.locator('td[data-field="value"]').filter({ hasText: '2500' }).waitFor();
  assert.equal(await page.getByTestId('config-history').locator('tbody tr').count(), 3);
  assert.deepEqual(JSON.parse(await page.getByTestId('config-schema').innerText()), rolled.schema);

  await page.getByLabel('Promote this value to').selectOption('production');
  await page.getByRole('button', { name: 'Promote' }).click();
  await page.getByRole('status').filter({ hasText: 'Promoted to production' }).waitFor();
  assert.equal((await expectStatus(await api('GET', '/api/v1/config/checkout/timeout.ms?environment=production'), 200)).value, 2500);

  await page.getByRole('button', { name: 'Edit payment.key' }).click();
  assert.equal(await page.getByLabel('Value (JSON)').inputValue(), '', 'a secret is never put in the editor');
  assert.ok(!(await page.content()).includes('sk-live-do-not-show'), 'nor anywhere in the page');
  await check(page, 'config-editor');
  noProblems(page);
  await page.close();
});

test('a viewer sees no edit controls on the experiments and configuration pages', async () => {
  const page = await openConsole('/console/experiments');
  await signIn(page, viewerToken);
  await page.getByRole('link', { name: 'button-test' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Create experiment' }).count(), 0);
  await check(page, 'experiments-viewer');
  await page.getByRole('link', { name: 'button-test' }).click();
  await page.getByTestId('status').waitFor();
  assert.equal(await page.getByRole('button', { name: /^(Start|Stop|Conclude)$/ }).count(), 0);
  await page.getByRole('navigation').getByRole('link', { name: 'Configuration' }).click();
  await page.getByRole('button', { name: 'History of timeout.ms' }).click();
  await page.getByTestId('config-history').waitFor();
  assert.equal(await page.getByRole('button', { name: /^(Save|Roll back|Open|Add)/ }).count(), 0);
  assert.equal(await page.getByLabel('Value (JSON)').count(), 0);
  assert.ok(!(await page.content()).includes('sk-live-do-not-show'));
  await check(page, 'config-viewer');
  await expectStatus(await api('PUT', '/api/v1/config/checkout/timeout.ms', { value: 5 }, viewerToken), 403);
  await expectStatus(await api('POST', '/api/v1/experiments/button-test/start', undefined, viewerToken), 403);
  noProblems(page);
  await page.close();
});

/** A datetime-local value (minutes, no zone) of a time in UTC, as the audit page reads it. */
const minuteUtc = (time: number) => new Date(time).toISOString().slice(0, 16);

test('the audit trail filters, follows the change stream and shows the journal\'s verification and the sinks', async () => {
  const page = await openConsole('/console/audit');
  await signIn(page, viewerToken);
  await page.getByTestId('audit-records').waitFor();
  const all = (await expectStatus(await api('GET', '/api/v1/audit?since=0&limit=1000'), 200)).records;
  const sequences = async () => page.getByTestId('audit-records').locator('tr[data-sequence]')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-sequence'))));
  assert.deepEqual(await sequences(), all.map((r: any) => r.sequence).reverse().slice(0, 50), 'newest first, 50 at a time');

  const form = page.getByRole('search', { name: 'Filter the audit trail' });
  await form.getByLabel('Kind').fill('flag');
  await form.getByLabel('Key contains').fill('dark-mode');
  await form.getByLabel('Actor contains').fill('RELEASE');
  await form.getByRole('button', { name: 'Filter' }).click();
  const expected = all.filter((r: any) => r.kind === 'flag' && r.key.includes('dark-mode') && r.actor.toLowerCase().includes('release'))
    .map((r: any) => r.sequence).reverse();
  assert.ok(expected.length >= 2, 'the kill and the restore of dark-mode by the editor');
  await page.getByTestId('audit-extent').filter({ hasText: `${expected.length} records shown` }).waitFor();
  assert.deepEqual(await sequences(), expected);
  const first = page.getByTestId('audit-records').locator(`tr[data-sequence="${expected[0]}"]`);
  await first.getByRole('button', { name: `Show the change of record ${expected[0]}` }).click();
  await page.getByRole('table', { name: `Record ${expected[0]}: before → after` }).getByText('/environments/production/enabled').waitFor();

  // a change made elsewhere that matches the filter appears on top without a reload; one that does not, does not
  await form.getByLabel('Actor contains').fill('');
  await form.getByRole('button', { name: 'Filter' }).click();
  await expectStatus(await api('PUT', '/api/v1/flags/dark-mode-two', { type: 'boolean', variants: { on: true, off: false }, defaultVariant: 'off' }), 201);
  await expectStatus(await api('PUT', '/api/v1/flags/light-mode', { type: 'boolean', variants: { on: true, off: false }, defaultVariant: 'off' }), 201);
  const written = (await expectStatus(await api('GET', '/api/v1/audit?since=0&limit=1000'), 200)).records
    .filter((r: any) => r.key === 'dark-mode-two')[0].sequence;
  await page.getByTestId('audit-records').locator(`tr[data-sequence="${written}"]`).waitFor();
  assert.equal((await sequences())[0], written);
  assert.equal(await page.getByTestId('audit-records').getByText('light-mode', { exact: true }).count(), 0);

  // a time range after every record matches none
  await form.getByLabel('From (UTC)').fill(minuteUtc(Date.now() + 120_000));
  await form.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('No record matches.').waitFor();
  await form.getByRole('button', { name: 'Clear' }).click();
  await page.getByTestId('audit-records').waitFor();

  await page.getByRole('button', { name: 'Verify the journal' }).click();
  const verified = await expectStatus(await api('GET', '/api/v1/audit/verify'), 200);
  assert.equal(verified.valid, true);
  await page.getByTestId('verify-result').filter({ hasText: `intact ${verified.records} records` }).waitFor();
  const sinks = await expectStatus(await api('GET', '/api/v1/audit/sinks'), 200);
  assert.deepEqual(await page.getByTestId('audit-sinks').locator('tbody tr td:first-child').allInnerTexts(), sinks.map((s: any) => s.name));
  await check(page, 'audit');
  noProblems(page);
  await page.close();
});

test('an admin deploys a plugin bundle from the console and removes it; a viewer sees the plugins but cannot', async () => {
  const plugin = resolve(web, '..', '..', '..', 'examples', 'custom-operator', 'target', 'ensign-example-custom-operator-1.0.0.jar');
  const page = await openConsole('/console/plugins');
  await signIn(page, adminToken);
  // name and state of every row; the operator removed by an earlier test may still be listed, in grace or missing
  const rows = async () => page.getByTestId('plugins').locator('tr[data-plugin]')
    .evaluateAll((all) => all.map((r) => `${r.getAttribute('data-plugin')} ${r.querySelector('[data-field="state"]')?.textContent}`).sort());
  await page.getByTestId('plugins').waitFor();
  const listed = await expectStatus(await api('GET', '/api/v1/plugins'), 200);
  assert.deepEqual(await rows(), listed.map((p: any) => `${p.name} ${p.state}`).sort());
  assert.ok(!(await rows()).includes('ip_in_cidr active'));

  await page.getByLabel('Bundle jar').setInputFiles(plugin);
  await page.getByRole('button', { name: 'Deploy' }).click();
  await page.getByRole('status').filter({ hasText: 'Deployed ensign-example-custom-operator 1.0.0' }).waitFor();
  await page.getByTestId('plugins').locator('tr[data-plugin="ip_in_cidr"] td[data-field="state"]').filter({ hasText: 'active' }).waitFor();
  await page.getByTestId('bundles').locator('tr[data-bundle="ensign-example-custom-operator"]').waitFor();
  const deployed = await expectStatus(await api('GET', '/api/v1/bundles'), 200);
  assert.ok(deployed.some((b: any) => b.symbolicName === 'ensign-example-custom-operator'), 'the server has it');
  await check(page, 'plugins');

  const viewer = await openConsole('/console/plugins');
  await signIn(viewer, viewerToken);
  await viewer.getByTestId('bundles').locator('tr[data-bundle="ensign-example-custom-operator"]').waitFor();
  assert.equal(await viewer.getByRole('button', { name: /^(Remove|Deploy)/ }).count(), 0);
  assert.equal(await viewer.getByLabel('Bundle jar').count(), 0);
  noProblems(viewer);
  await viewer.close();

  await page.getByRole('button', { name: 'Remove ensign-example-custom-operator' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove ensign-example-custom-operator?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await expectStatus(await api('GET', '/api/v1/bundles'), 200)).length, deployed.length, 'cancel removes nothing');
  await page.getByRole('button', { name: 'Remove ensign-example-custom-operator' }).click();
  await dialog.getByRole('button', { name: 'Remove it' }).click();
  await page.getByRole('status').filter({ hasText: 'Removed ensign-example-custom-operator 1.0.0' }).waitFor();
  const remaining = await expectStatus(await api('GET', '/api/v1/bundles'), 200);
  assert.ok(!remaining.some((b: any) => b.symbolicName === 'ensign-example-custom-operator'), 'the server removed it');
  await page.getByTestId('bundles').locator('tr[data-bundle="ensign-example-custom-operator"]').waitFor({ state: 'detached' });
  noProblems(page);
  await page.close();
});

test('an admin issues a token in the console, its secret is shown once and works, and revoking it ends it', async () => {
  const editor = await openConsole();
  await signIn(editor, editorToken);
  assert.equal(await editor.getByRole('navigation').getByRole('link', { name: 'Tokens' }).count(), 0, 'only admins see tokens');
  await editor.goto(ensignUrl + '/console/tokens');
  await editor.getByText('Only an admin can see and issue API tokens.').waitFor();
  noProblems(editor);
  await editor.close();

  const page = await openConsole();
  await signIn(page, adminToken);
  await page.getByRole('navigation').getByRole('link', { name: 'Tokens' }).click();
  await page.getByTestId('tokens').waitFor();
  const form = page.getByRole('form', { name: 'New token' });
  await form.getByLabel('Name').fill('ci pipeline');
  await form.getByLabel('Role').selectOption('editor');
  await form.getByRole('button', { name: 'Issue token' }).click();
  const secret = await page.getByTestId('new-secret').getByLabel('secret').innerText();
  assert.match(secret, /^ens_/);
  const who = await expectStatus(await api('GET', '/api/v1/whoami', undefined, secret), 200);
  assert.deepEqual([who.name, who.role], ['ci pipeline', 'editor']);
  await page.getByTestId('tokens').locator('tr[data-token="ci pipeline"]').waitFor();
  await check(page, 'tokens');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page');

  await page.getByRole('button', { name: 'Revoke ci pipeline' }).click();
  await page.getByRole('dialog', { name: 'Revoke ci pipeline?' }).getByRole('button', { name: 'Revoke it' }).click();
  await page.getByTestId('tokens').locator('tr[data-token="ci pipeline"]').waitFor({ state: 'detached' });
  await expectStatus(await api('GET', '/api/v1/flags', undefined, secret), 401);
  noProblems(page);
  await page.close();
});

test('the health page shows what /health/live and /health/ready answer', async () => {
  const page = await openConsole('/console/health');
  await signIn(page, viewerToken);
  await page.getByTestId('health').waitFor();
  const ready = await fetch(ensignUrl + '/health/ready');
  const readiness = await ready.json();
  assert.equal(await page.locator('dd[data-field="live"]').innerText(), 'up');
  assert.equal(await page.locator('dd[data-field="ready"]').innerText(), ready.status === 200 ? 'ready' : `not ready (${ready.status})`);
  assert.equal(await page.locator('dd[data-field="store"]').innerText(), readiness.store);
  assert.equal(await page.locator('dd[data-field="plugins-missing"]').innerText(), readiness.plugins.missing.join(', ') || 'none');
  await check(page, 'health');
  noProblems(page);
  await page.close();
});
