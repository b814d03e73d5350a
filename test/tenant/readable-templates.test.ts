/**
 * The tenant chart's templates are read by operators: small enough to review, no line too long to read, and each
 * shared fragment written once, by name (issue 26).
 */
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { renderTemplates } from "../../charts-src/lib/engine/index.js";

const tenant = renderTemplates(charts.tenant as never);
const text = Object.values(tenant).join("");

describe("the tenant chart's templates", () => {
  // 75 kB until issue 25's escape hatches: probe timings read from the values (four lines a probe), extra volumes,
  // mounts and envFrom per workload, OpenWebUI's ServiceAccount, extra egress policies and extraObjects took ~8 kB.
  // 85 kB until issue 25's defaults and remaining hatches: the refusal naming each value only the operator knows
  // (1.6 kB), commonAnnotations on every object (one include each), the operator's spread per workload and
  // OpenWebUI's budget bounds took ~7 kB. 90 kB until issue 24's check that the secrets role is the tenant's own
  // (0.6 kB: a schema cannot compare two values, so a template refuses). 91 kB until issue 24's Reloader annotation
  // on OpenWebUI (0.9 kB: the Secrets it reads, each under the condition that makes it read one). 92 kB until issue
  // 24's ingress dialects (Traefik's upload Ingress and Middleware, ingress-nginx's annotations from the values) and
  // issue 22's KEDA fallback on premium: ~1.6 kB; then the refusal of an extra ExternalSecret reading another
  // tenant's path (0.7 kB: it walks every extraObject's data). 95 kB until issue 24's per-user rate limit: Traefik's
  // rateLimit Middleware and the Ingress of the inference paths (its paths a range over the values), 1.7 kB, less the
  // 0.5 kB that one if per Traefik group and the Ingresses' class and TLS written once (tenant.ingress.classAndTls)
  // saved; premium per user: the model-access container and its script (4 kB; a script in OpenWebUI's image would
  // tie the chart to a custom image); and issue 23's backup of fleet tenants: the tenant's own snapshot rotation
  // (9.2 kB: seven CronJobs through one named template, their manifests, ServiceAccount, Role and egress policy).
  // 111 kB until issue 22's wake notice: the OpenWebUI filter's source and the model-access script's part that keeps
  // it (5.2 kB; like that script, a file in OpenWebUI's image would tie the chart to a custom image).
  it("are 117 kB at most, _helpers.tpl and NOTES.txt included", () => {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(117_000);
  });

  it("have no line over 200 characters but for string literals (data)", () => {
    const withoutLiterals = (line: string) => line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const long = Object.entries(tenant)
      .filter(([file]) => file !== "NOTES.txt")
      .flatMap(([file, t]) => t.split("\n").map((line) => ({ file, line })))
      .filter(({ line }) => withoutLiterals(line).length > 200);
    expect(long).toEqual([]);
  });

  it("write the labels, OpenWebUI's settings and the tier conditions once, by name", () => {
    const helpers = tenant["_helpers.tpl"] as string;
    for (const name of ["tenant.labels", "tenant.openwebui.env", "tenant.hasStandard", "tenant.hasPremium"])
      expect(helpers).toContain(`{{- define "${name}" -}}`);
    expect(text.match(/llmcharts\.io\/cost-centre: /g)).toHaveLength(1);
    expect(text.match(/name: ENABLE_PERSISTENT_CONFIG/g)).toHaveLength(1);
    expect(text.match(/\(list "standard" "both"\)/g)).toHaveLength(1);
  });

  it("say why Ollama has no replicas where a reader looks for them", () => {
    expect(tenant["ollama-standard.yaml"]).toMatch(/spec:\n {2}\{\{- \/\* No replicas: the HPA \(standard\) or KEDA/);
  });
});
