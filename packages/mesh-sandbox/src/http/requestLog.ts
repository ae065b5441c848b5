/** Which of the sandbox's servers handled a request. */
export type ServerName = 'kubernetes' | 'metrics' | 'tempo' | 'admin';

/** One request as the sandbox saw it. */
export interface RequestLogEntry {
  server: ServerName;
  method: string;
  path: string;
  /** The raw query string without `?`, '' when none. */
  query: string;
  /** The request's Content-Type header, '' when none. */
  contentType: string;
  status: number;
  /** The authenticated user on the Kubernetes server ('' elsewhere or anonymous). */
  user: string;
  /** Time the request arrived, ms since the epoch. */
  time: number;
}

const DEFAULT_LIMIT = 10000;

/**
 * A bounded log of every request the sandbox served. Tests read it to count
 * upstream calls (e.g. "one LIST of pods per view").
 */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) {
      this.entries.splice(0, this.entries.length - this.limit);
    }
  }

  /** Entries, oldest first, optionally filtered. */
  list(filter?: (entry: RequestLogEntry) => boolean): RequestLogEntry[] {
    return filter ? this.entries.filter(filter) : [...this.entries];
  }

  /** Number of entries matching the filter. */
  count(filter?: (entry: RequestLogEntry) => boolean): number {
    return this.list(filter).length;
  }

  clear(): void {
    this.entries = [];
  }
}
