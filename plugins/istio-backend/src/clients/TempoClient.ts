import {
  InputError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { TempoTraceByIdResponse } from '@ambient-mesh/plugin-istio-common';
import { authHeaders, TempoInstance } from '../config/istioConfig';
import { withDeadline } from '../lib/deadline';

/** A trace as Tempo's `/api/search` lists it. */
export interface TempoSearchTrace {
  traceID: string;
  rootServiceName?: string;
  rootTraceName?: string;
  startTimeUnixNano?: string;
  durationMs?: number;
  /** The first span set (Tempo keeps it next to `spanSets` for older clients). */
  spanSet?: TempoSpanSet;
  spanSets?: TempoSpanSet[];
}

/** A span set of a search result: only the attributes the query fetched. */
export interface TempoSpanSet {
  spans?: Array<{
    spanID: string;
    startTimeUnixNano?: string;
    durationNanos?: string;
    attributes?: Array<{
      key: string;
      value: { stringValue?: string; intValue?: string };
    }>;
  }>;
  matched?: number;
}

/** Parameters of one search. */
export interface TempoSearch {
  q: string;
  /** Unix seconds. */
  start: number;
  end: number;
  limit: number;
  /** Spans per span set. */
  spss?: number;
}

/** A client of the Tempo HTTP API for one configured instance. */
export class TempoClient {
  constructor(
    private readonly instance: TempoInstance,
    private readonly timeoutMs: number,
  ) {}

  get name(): string {
    return this.instance.name;
  }

  /** A link to the trace in Grafana Explore, when Grafana is configured. */
  traceLink(traceId: string): string | undefined {
    const grafana = this.instance.grafana;
    if (!grafana) return undefined;
    const left = {
      datasource: grafana.datasourceUid,
      queries: [{ refId: 'A', queryType: 'traceql', query: traceId }],
    };
    return `${grafana.url}/explore?left=${encodeURIComponent(
      JSON.stringify(left),
    )}`;
  }

  /** Tempo's `/api/v2/traces/{id}`; a NotFoundError when Tempo has no such trace. */
  async traceById(traceId: string): Promise<TempoTraceByIdResponse> {
    if (!/^[0-9a-fA-F]{1,32}$/.test(traceId)) {
      throw new InputError(
        `Invalid trace id '${traceId}': use 1 to 32 hexadecimal characters`,
      );
    }
    const what = `Tempo '${this.instance.name}'`;
    return withDeadline(what, this.timeoutMs, async signal => {
      let response: Response;
      try {
        response = await fetch(
          `${this.instance.baseUrl}/api/v2/traces/${traceId}`,
          { headers: this.headers(), signal },
        );
      } catch (error) {
        throw new ServiceUnavailableError(
          `${what} at ${this.instance.baseUrl} is unreachable`,
          error,
        );
      }
      if (response.status === 404) {
        throw new NotFoundError(`${what} has no trace ${traceId}`);
      }
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      return (await response.json()) as TempoTraceByIdResponse;
    });
  }

  private headers(): Record<string, string> {
    return {
      accept: 'application/json',
      ...(this.instance.orgId ? { 'X-Scope-OrgID': this.instance.orgId } : {}),
      ...authHeaders(this.instance.auth),
    };
  }

  async search(search: TempoSearch): Promise<TempoSearchTrace[]> {
    const what = `Tempo '${this.instance.name}'`;
    const params = new URLSearchParams({
      q: search.q,
      start: String(search.start),
      end: String(search.end),
      limit: String(search.limit),
      spss: String(search.spss ?? 3),
    });
    return withDeadline(what, this.timeoutMs, async signal => {
      let response: Response;
      try {
        response = await fetch(
          `${this.instance.baseUrl}/api/search?${params}`,
          {
            headers: {
              accept: 'application/json',
              ...(this.instance.orgId
                ? { 'X-Scope-OrgID': this.instance.orgId }
                : {}),
              ...authHeaders(this.instance.auth),
            },
            signal,
          },
        );
      } catch (error) {
        throw new ServiceUnavailableError(
          `${what} at ${this.instance.baseUrl} is unreachable`,
          error,
        );
      }
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const body = (await response.json()) as { traces?: TempoSearchTrace[] };
      return body.traces ?? [];
    });
  }
}
