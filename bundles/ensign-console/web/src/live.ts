// The change stream (GET /api/v1/stream). EventSource cannot send the Authorization header and the token must never
// be in a URL, so the stream is read with fetch and parsed here; after a drop it resumes with Last-Event-ID, which
// replays what was missed.
import { token } from './api';

export interface Change {
  kind: string; key: string; environment: string | null; version: number; action: string; sequence: number; time: string;
}

type Listener = (change: Change) => void;
const listeners = new Set<Listener>();
let running: AbortController | null = null;
let lastId: string | null = null;

export function onChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function startLive(status: (connected: boolean) => void): void {
  stopLive();
  const control = new AbortController();
  running = control;
  void follow(control, status);
}

export function stopLive(): void {
  running?.abort();
  running = null;
}

async function follow(control: AbortController, status: (connected: boolean) => void): Promise<void> {
  while (!control.signal.aborted) {
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token()}` };
      if (lastId) {
        headers['Last-Event-ID'] = lastId;
      }
      const response = await fetch('/api/v1/stream', { headers, signal: control.signal });
      if (!response.ok || !response.body) {
        throw new Error(`stream answered ${response.status}`);
      }
      status(true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // a drop or a refusal: said by the status, then tried again below
    }
    status(false);
    if (!control.signal.aborted) {
      await new Promise((wait) => setTimeout(wait, 2000));
    }
  }
}

function dispatch(block: string): void {
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) {
      lastId = line.slice(3).trim();
    } else if (line.startsWith('data:')) {
      data += line.slice(5).trim();
    }
  }
  if (data) {
    const change = JSON.parse(data) as Change;
    listeners.forEach((listener) => listener(change));
  }
}
