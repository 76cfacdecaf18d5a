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
