/**
 * Per-user request rate limits at the ingress (exposure.rateLimit): OpenWebUI has none of its own, so Traefik counts
 * each user's requests (their Authorization header) on OpenWebUI's inference paths only, and answers 429 with
 * Retry-After past the limit. Where nothing the chart renders would enforce a limit, the values are refused.
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import type { Ingress, TraefikMiddleware } from "../../charts-src/lib/k8s.js";
import { inferencePaths } from "../../charts-src/tenant/values.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { present } from "../rendered.js";
import { find, render } from "./render.js";

const traefik = { className: "traefik", controller: "traefik" };
const tenant = (exposure: Record<string, unknown>) =>
  render({ tenant: { name: "quayside" }, exposure: { host: "chat.quayside.example.com", ...exposure } });

const ingress = (objects: ReturnType<typeof render>, name: string) =>
  find(objects, "Ingress", name) as unknown as Ingress | undefined;
const middleware = (objects: ReturnType<typeof render>, name: string) =>
  find(objects, "Middleware", name) as unknown as TraefikMiddleware | undefined;
const pathsOf = (i: Ingress | undefined): string[] =>
  i?.spec?.rules?.flatMap((r) => r.http?.paths.map((p) => p.path ?? "") ?? []) ?? [];

describe("with Traefik and requestsPerMinute set", () => {
  const objects = tenant({ ingress: traefik, rateLimit: { requestsPerMinute: 20, burst: 5 } });

  test("a rateLimit Middleware gives each Authorization header its own budget: 20 a minute, 5 at once", () => {
    expect(middleware(objects, "openwebui-rate-limit")?.spec).toEqual({
      rateLimit: { average: 20, period: "1m", burst: 5, sourceCriterion: { requestHeaderName: "Authorization" } },
    });
  });

  test("OpenWebUI's inference paths, and only they, go through it, on the tenant's host with its certificate", () => {
    const limited = present(ingress(objects, "openwebui-rate-limited"), "the rate-limited Ingress");
    expect(limited.metadata?.annotations?.["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(
      "tenant-quayside-openwebui-rate-limit@kubernetescrd",
    );
    expect(limited.spec?.rules?.[0]?.host).toBe("chat.quayside.example.com");
    expect(pathsOf(limited)).toEqual([...inferencePaths]);
    expect(pathsOf(limited)).toEqual(expect.arrayContaining(["/api/v1/chat/completions", "/ollama", "/openai"]));
    expect(limited.spec?.tls).toEqual([{ hosts: ["chat.quayside.example.com"], secretName: "openwebui-tls" }]);
    // Pages, static assets, health checks and sign-in stay on the unlimited Ingress; uploads on their own.
    expect(ingress(objects, "openwebui")?.metadata?.annotations).toEqual({});
    expect(pathsOf(ingress(objects, "openwebui"))).toEqual(["/"]);
    for (const path of ["/", "/health", "/api/v1/auths/signin", "/api/v1/files", "/_app"])
      expect(pathsOf(limited).some((p) => path.startsWith(p))).toBe(false);
  });

  test("the operator's own paths replace the chart's", () => {
    const own = tenant({ ingress: traefik, rateLimit: { requestsPerMinute: 20, paths: ["/api/chat/completions"] } });
    expect(pathsOf(ingress(own, "openwebui-rate-limited"))).toEqual(["/api/chat/completions"]);
  });

  test("burst defaults to 10", () => {
    const spec = middleware(tenant({ ingress: traefik, rateLimit: { requestsPerMinute: 60 } }), "openwebui-rate-limit");
    expect(spec?.spec.rateLimit).toMatchObject({ average: 60, burst: 10 });
  });
});

test("off by default: no Middleware, no third Ingress, even with Traefik", () => {
  const objects = tenant({ ingress: traefik });
  expect(middleware(objects, "openwebui-rate-limit")).toBeUndefined();
  expect(ingress(objects, "openwebui-rate-limited")).toBeUndefined();
  expect(objects.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name)).toEqual([
    "openwebui",
    "openwebui-uploads",
  ]);
});

describe("refused where nothing would enforce it, naming the key", () => {
  const check = valuesChecker(present(charts.tenant, "the tenant chart"));
  const required = (loadFixtures(process.cwd(), "tenant").find((f) => f.name === "good/defaults")?.values ??
    {}) as Record<string, unknown>;
  const errors = (exposure: Record<string, unknown>) =>
    check({ ...required, exposure: { host: "chat.quayside.example.com", ...exposure } }).join("\n");

  test("0 requests a minute, saying to leave it unset to turn limits off", () => {
    const refused = errors({ ingress: traefik, rateLimit: { requestsPerMinute: 0 } });
    expect(refused).toMatch(/^at '\/exposure\/rateLimit\/requestsPerMinute': 0 must be >= 1 — /);
    expect(refused).toMatch(/Leave it unset \(null\) to turn limits off/);
  });

  test("a burst of 0", () => {
    expect(errors({ ingress: traefik, rateLimit: { requestsPerMinute: 5, burst: 0 } })).toMatch(
      /^at '\/exposure\/rateLimit\/burst': 0 must be >= 1/,
    );
  });

  test("null is no limit, as unset", () => {
    expect(errors({ ingress: traefik, rateLimit: { requestsPerMinute: null } })).toBe("");
    expect(errors({ rateLimit: { requestsPerMinute: null } })).toBe("");
  });

  test("ingress-nginx (the default) and other: they cannot limit per user", () => {
    for (const controller of ["ingress-nginx", "other"])
      expect(errors({ ingress: { controller }, rateLimit: { requestsPerMinute: 30 } })).toMatch(
        new RegExp(
          `^at '/exposure/rateLimit/requestsPerMinute': 30 must be null \\(because /exposure/type is "ingress" and /exposure/ingress/controller is "${controller}"\\)`,
        ),
      );
  });

  test("a Gateway, whose limits are its implementation's", () => {
    expect(errors({ type: "gateway", ingress: traefik, rateLimit: { requestsPerMinute: 30 } })).toMatch(
      /^at '\/exposure\/rateLimit\/requestsPerMinute': 30 must be null \(because \/exposure\/type is "gateway"\)/,
    );
  });
});
