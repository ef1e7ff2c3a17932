import { OpenFeature, ProviderEvents, type EvaluationDetails } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

/** Where the page finds Ensign: served beside the page (config.json), as a deployment would provide it. */
interface PageConfig {
  /** The Ensign server's origin, e.g. https://flags.example.com */
  ensignUrl: string;
  /** An sdk token bound to one environment; it only evaluates flags. */
  sdkToken: string;
  /** The flag to show. */
  flag: string;
  /** The unit the page evaluates for. */
  targetingKey: string;
}

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) {
    throw new Error(`the page has no #${id}`);
  }
  return found;
}

async function loadConfig(): Promise<PageConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`config.json: HTTP ${response.status}`);
  }
  return (await response.json()) as PageConfig;
}

function show(details: EvaluationDetails<string>): void {
  element('banner').textContent = details.value;
  element('reason').textContent = details.reason ?? '–';
  element('variant').textContent = details.variant ?? '–';
  const error = element('error');
  error.hidden = details.errorCode === undefined;
  error.textContent = details.errorCode ? `${details.errorCode}: ${details.errorMessage ?? ''}` : '';
}

async function start(): Promise<void> {
  const config = await loadConfig();
  element('flag-key').textContent = config.flag;
  const provider = new OFREPWebProvider({
    baseUrl: config.ensignUrl,
    headers: [['Authorization', `Bearer ${config.sdkToken}`]],
    // No polling: the server's eventStreams push every change.
    pollInterval: 0,
    cacheMode: 'disabled',
  });
  const client = OpenFeature.getClient();
  let updates = 0;
  const refresh = (): void => show(client.getStringDetails(config.flag, 'fallback'));
  client.addHandler(ProviderEvents.Ready, () => {
    element('provider-status').textContent = 'ready';
    refresh();
  });
  client.addHandler(ProviderEvents.ConfigurationChanged, () => {
    updates += 1;
    element('updates').textContent = String(updates);
    refresh();
  });
  client.addHandler(ProviderEvents.Error, (event) => {
    element('provider-status').textContent = 'error';
    const error = element('error');
    error.hidden = false;
    error.textContent = event?.message ?? 'the provider failed';
  });
  await OpenFeature.setContext({ targetingKey: config.targetingKey });
  await OpenFeature.setProviderAndWait(provider).catch(() => undefined);
}

start().catch((failure: unknown) => {
  element('provider-status').textContent = 'error';
  const error = element('error');
  error.hidden = false;
  error.textContent = failure instanceof Error ? failure.message : String(failure);
});
