// The console's one way to the server: same origin, the bearer token from session storage, errors as values the
// pages can show at the field they name.

const TOKEN_KEY = 'ensign.token';

export type Role = 'admin' | 'editor' | 'viewer' | 'sdk' | 'metrics';
export interface Caller { id: string; name: string; role: Role; environment?: string }
export interface Violation { rule?: string; field?: string; message: string }

/** A refused request: the documented error body, with its status. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string,
              readonly violations: Violation[] = []) {
    super(message);
  }

  /** The messages that name a field, by field (a JSON pointer such as /rules/0/rollout/weights). */
  byField(): Map<string, string[]> {
    const fields = new Map<string, string[]>();
    const all = this.violations.length > 0 ? this.violations : [{ field: this.field, message: this.message }];
    for (const v of all) {
      const key = v.field ?? '';
      fields.set(key, [...(fields.get(key) ?? []), v.message]);
    }
    return fields;
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function keepToken(secret: string | null): void {
  if (secret === null) {
    sessionStorage.removeItem(TOKEN_KEY);
  } else {
    sessionStorage.setItem(TOKEN_KEY, secret);
  }
}

export interface Answer<T> { status: number; data: T; etag: string | null }

export async function request<T>(method: string, path: string, body?: unknown,
                                 headers: Record<string, string> = {}): Promise<Answer<T>> {
  const secret = token();
  const sent: Record<string, string> = { Accept: 'application/json', ...headers };
  if (secret) {
    sent.Authorization = `Bearer ${secret}`;
  }
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    sent['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers: sent, body: payload });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    throw new ApiError(response.status, data?.error ?? data?.errorCode ?? String(response.status),
      data?.message ?? data?.errorDetails ?? response.statusText, data?.field, data?.violations ?? []);
  }
  return { status: response.status, data: data as T, etag: response.headers.get('ETag') };
}

export const get = <T>(path: string) => request<T>('GET', path).then((a) => a.data);

/**
 * A write at the version the page shows: a 409 then means someone else changed it first. The reason goes into the
 * audit trail; a change that reaches a protected environment (production) is refused without one.
 */
export function putVersioned<T>(path: string, body: unknown, version?: number, reason = ''): Promise<Answer<T>> {
  const headers: Record<string, string> = version === undefined ? {} : { 'If-Match': `"${version}"` };
  if (reason.trim()) {
    headers['X-Ensign-Reason'] = reason.trim();
  }
  return request<T>('PUT', path, body, headers);
}

export function canWrite(caller: Caller | null): boolean {
  return caller?.role === 'admin' || caller?.role === 'editor';
}
