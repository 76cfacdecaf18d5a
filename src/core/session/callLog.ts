/** What the extension records about each AWS call: never parameters, credentials or response bodies. */
export interface CallRecord {
  service: string;
  operation: string;
  region: string;
  ok: boolean;
  errorCode?: string;
  ms: number;
}

export type CallListener = (record: CallRecord) => void;

export function formatCallRecord(r: CallRecord): string {
  const outcome = r.ok ? 'ok' : `failed (${r.errorCode ?? 'error'})`;
  return `${r.service}.${r.operation} ${r.region} ${outcome} ${Math.round(r.ms)} ms`;
}
