/**
 * The HTTP APIs of Prometheus (v1) and Alertmanager (v2), as the runtime suite reads them: rules, targets, alerts and
 * instant queries. Each call fails naming the URL and what the server said.
 */

export interface PromRule {
  name: string;
  type: "alerting" | "recording";
  health: "ok" | "err" | "unknown";
  lastError?: string;
  state?: "inactive" | "pending" | "firing";
}

export interface PromTarget {
  scrapePool: string;
  labels: Record<string, string>;
  health: "up" | "down" | "unknown";
  lastError: string;
}

export interface PromAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: "active" | "suppressed" | "unprocessed" };
}

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
};

export class PrometheusApi {
  constructor(private readonly base: string) {}

  private async data<T>(path: string): Promise<T> {
    const body = await getJson<{ status: string; data: T; error?: string }>(`${this.base}${path}`);
    if (body.status !== "success") throw new Error(`GET ${this.base}${path}: ${body.error ?? body.status}`);
    return body.data;
  }

  /** Every rule group Prometheus loaded, with the seconds its last evaluation took. */
  async ruleGroups(): Promise<{ name: string; evaluationTime: number; rules: PromRule[] }[]> {
    return (await this.data<{ groups: { name: string; evaluationTime: number; rules: PromRule[] }[] }>("/api/v1/rules"))
      .groups;
  }

  /** Every rule Prometheus loaded, with its group's name. */
  async rules(): Promise<(PromRule & { group: string })[]> {
    return (await this.ruleGroups()).flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name })));
  }

  async targets(): Promise<PromTarget[]> {
    return (await this.data<{ activeTargets: PromTarget[] }>("/api/v1/targets?state=active")).activeTargets;
  }

  async alerts(): Promise<PromAlert[]> {
    return (await this.data<{ alerts: PromAlert[] }>("/api/v1/alerts")).alerts;
  }

  /** How many series the head block holds (the TSDB's own statistics). */
  async headSeries(): Promise<number> {
    return (await this.data<{ headStats: { numSeries: number } }>("/api/v1/status/tsdb")).headStats.numSeries;
  }

  /** An instant query: Prometheus's own error (a parse or evaluation error) when it refuses it. */
  async query(expr: string): Promise<{ ok: true; series: number } | { ok: false; error: string }> {
    const url = `${this.base}/api/v1/query?query=${encodeURIComponent(expr)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    const body = (await res.json()) as { status: string; data?: { result: unknown[] | unknown }; error?: string };
    if (body.status !== "success") return { ok: false, error: body.error ?? `HTTP ${res.status}` };
    const result = body.data?.result;
    return { ok: true, series: Array.isArray(result) ? result.length : 1 };
  }
}

export class AlertmanagerApi {
  constructor(private readonly base: string) {}

  /** The alerts Alertmanager holds as active (its default filter), named `alertname`. */
  async alerts(alertname: string): Promise<AlertmanagerAlert[]> {
    const filter = encodeURIComponent(`alertname="${alertname}"`);
    return getJson<AlertmanagerAlert[]>(`${this.base}/api/v2/alerts?filter=${filter}`);
  }
}
