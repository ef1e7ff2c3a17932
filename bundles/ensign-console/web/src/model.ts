// The shapes of the server's JSON that the pages edit (docs/http-api.md, GET /api/v1/openapi.json).

export interface Condition { attribute: string; operator: string; values?: unknown[]; negate?: boolean }
export interface Rollout { strategy?: string; weights: Record<string, number>; bucketBy?: string; salt?: string }
export interface Rule { name?: string; segment?: string; conditions?: Condition[]; variant?: string; rollout?: Rollout }
export interface FlagEnvironment { enabled?: boolean; defaultVariant?: string; rules?: Rule[]; overrides?: Record<string, string> }
export interface Flag {
  key: string; type: 'boolean' | 'string' | 'number' | 'object'; description?: string; enabled?: boolean;
  variants: Record<string, unknown>; defaultVariant: string; overrides?: Record<string, string>; rules?: Rule[];
  environments?: Record<string, FlagEnvironment>; version?: number;
}
export interface Segment { key: string; description?: string; conditions?: Condition[]; included?: string[]; excluded?: string[]; version?: number }
export interface Environment { name: string; description?: string; allowedOrigins?: string[]; version?: number }
export interface Plugin { kind: string; name: string; version: string | null; bundle: string | null; state: string; failures: number; timeouts: number }
export interface AuditRecord {
  sequence: number; time: string; actor: string; action: string; kind: string; key: string; environment: string | null;
  version: number | null; before: unknown; after: unknown; reason: string | null; requestId: string | null;
}

/** Whether the flag serves in this environment: the environment's kill switch, else the flag-wide one. */
export function servesIn(flag: Flag, environment: string): boolean {
  return flag.environments?.[environment]?.enabled ?? flag.enabled ?? true;
}

/** Every audit record of one object, oldest first (the audit route pages by sequence). */
export async function historyOf(get: <T>(path: string) => Promise<T>, kind: string, key: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let since = 0;
  for (;;) {
    const page = await get<{ records: AuditRecord[]; next: number; lastSequence: number }>(`/api/v1/audit?since=${since}&limit=1000`);
    records.push(...page.records.filter((r) => r.kind === kind && r.key === key));
    if (page.records.length === 0 || page.next >= page.lastSequence) {
      return records;
    }
    since = page.next;
  }
}

export const NUMERIC_OPERATORS = /^(num_|gt|gte|lt|lte)/;
