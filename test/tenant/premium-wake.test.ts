/** Premium wakes on this tenant's own premium requests only, through its wake-up proxy. */
import { describe, expect, test } from "vitest";
import { ofKind, type Rendered } from "../rendered.js";
import { render, find, deployment, container, value } from "./render.js";

describe("premium wakes on this tenant's own premium requests only", () => {
  type Policy = { metadata: { name: string }; spec: { ingress?: unknown[]; egress?: unknown[] } };
  type Route = {
    metadata: { name: string };
    spec: {
      target: { service: string; port: number };
      rules: { hosts: string[]; paths: { value: string }[] }[];
      coldStart?: { placeholder: { response: { statusCode: number; body: string } } };
      timeouts?: { readiness: string };
    };
  };
  const premium = { tenant: { name: "acme", tier: "premium" }, quota: { gpus: 2 } };
  const objects = render(premium);
  const policy = (name: string) =>
    (ofKind(objects, "NetworkPolicy") as unknown as Policy[]).find((p) => p.metadata.name === name)?.spec;
  const routes = ofKind(objects, "InterceptorRoute") as unknown as Route[];
  const trigger = (o: Rendered[]) =>
    (
      find(o, "ScaledObject", "ollama-premium") as unknown as {
        spec: { triggers: { type: string; metadata: Record<string, string> }[] };
      }
    ).spec.triggers;

  test("KEDA reads the proxy's count of this tenant's held and running premium requests, behind Ingress and Gateway alike", () => {
    const expected = {
      type: "metrics-api",
      metadata: {
        url: "http://ollama-premium-wake.tenant-acme.svc:9090/queue",
        format: "json",
        aggregateFromKubeServiceEndpoints: "true",
        aggregationType: "sum",
        valueLocation: "tenant-acme/ollama-premium.Concurrency",
        targetValue: "2",
        activationTargetValue: "0",
      },
    };
    expect(trigger(objects)).toEqual([expected]);
    const behindGateway = render({ ...premium, exposure: { type: "gateway", host: "chat.acme.example" } });
    expect(trigger(behindGateway)).toEqual([expected]);
    expect(JSON.stringify(trigger(objects))).not.toMatch(/prometheus|vector\(0\)|nginx/);
  });

  test("OpenWebUI reaches premium only through the proxy, for chats and embeddings alike", () => {
    expect(value(objects, "OLLAMA_BASE_URLS")).toBe("http://ollama-premium-wake:8080");
    expect(value(objects, "RAG_OLLAMA_BASE_URL")).toBe("http://ollama-premium-wake:8080");
    const both = render({
      ...premium,
      tenant: { name: "acme", tier: "both" },
      ollama: { premium: { model: "llama3.1:8b" } },
    });
    expect(value(both, "OLLAMA_BASE_URLS")).toBe("http://ollama-standard:11434;http://ollama-premium-wake:8080");
  });

  test("the proxy watches only its namespace, with a Role, and routes only to this tenant's premium Ollama", () => {
    const env = Object.fromEntries(
      (container(objects, "ollama-premium-wake")?.env ?? []).map((e) => [e.name, e.value]),
    );
    expect(env.KEDA_HTTP_WATCH_NAMESPACE).toBe("tenant-acme");
    expect(ofKind(objects, "ClusterRole")).toEqual([]);
    expect(find(objects, "RoleBinding", "ollama-premium-wake")).toBeDefined();
    expect(routes.map((r) => r.spec.target)).toEqual(Array(3).fill({ service: "ollama-premium", port: 11434 }));
    for (const r of routes)
      expect(r.spec.rules[0]?.hosts).toEqual([
        "ollama-premium-wake",
        "ollama-premium-wake.tenant-acme",
        "ollama-premium-wake.tenant-acme.svc",
      ]);
  });

  test("only inference is held and counted; a model list gets premium's catalog at once, anything else a clear 503", () => {
    const [inference, catalog, asleep] = routes;
    expect(inference?.metadata.name).toBe("ollama-premium");
    expect(inference?.spec.rules[0]?.paths.map((p) => p.value)).toEqual([
      "/api/chat",
      "/api/generate",
      "/api/embed",
      "/api/embeddings",
      "/v1",
    ]);
    expect(inference?.spec.timeouts?.readiness).toBe("600s");
    expect(inference?.spec.coldStart).toBeUndefined();
    expect(catalog?.spec.rules[0]?.paths).toEqual([{ value: "/api/tags" }]);
    expect(catalog?.spec.coldStart?.placeholder.response.statusCode).toBe(200);
    expect(JSON.parse(catalog?.spec.coldStart?.placeholder.response.body ?? "{}")).toEqual({
      models: [{ name: "llama3.1:70b", model: "llama3.1:70b" }],
    });
    expect(asleep?.spec.rules[0]?.paths).toEqual([{ value: "/" }]);
    expect(asleep?.spec.coldStart?.placeholder.response.statusCode).toBe(503);
    expect(asleep?.spec.coldStart?.placeholder.response.body).toContain("asleep");
  });

  test("premium Ollama admits only the proxy; the proxy admits OpenWebUI and KEDA's operator, each on its port", () => {
    const component = (c: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/component": c } } });
    expect(policy("ollama-premium")?.ingress).toEqual([
      { from: [component("ollama-premium-wake")], ports: [{ protocol: "TCP", port: 11434 }] },
    ]);
    expect(policy("ollama-premium-wake")?.ingress).toEqual([
      { from: [component("openwebui")], ports: [{ protocol: "TCP", port: 8080 }] },
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "keda" } } }],
        ports: [{ protocol: "TCP", port: 9090 }],
      },
    ]);
    expect(JSON.stringify(policy("openwebui")?.egress)).not.toContain('"ollama-premium"');
  });

  test("while KEDA cannot read the proxy's /queue, premium is held at one pod after three failed reads in a row", () => {
    const fallback = (o: Rendered[]) =>
      (find(o, "ScaledObject", "ollama-premium") as unknown as { spec: { fallback?: unknown } }).spec.fallback;
    expect(fallback(objects)).toEqual({ failureThreshold: 3, replicas: 1, behavior: "static" });
    const tuned = render({
      ...premium,
      ollama: { premium: { scaling: { maxReplicas: 4, fallback: { failureThreshold: 6, replicas: 2 } } } },
    });
    expect(fallback(tuned)).toEqual({ failureThreshold: 6, replicas: 2, behavior: "static" });
  });

  test("a standard tenant runs no proxy and no routes", () => {
    const standard = render({ tenant: { name: "acme" } });
    expect(deployment(standard, "ollama-premium-wake")).toBeUndefined();
    expect(ofKind(standard, "InterceptorRoute")).toEqual([]);
    expect(find(standard, "NetworkPolicy", "ollama-premium-wake")).toBeUndefined();
  });
});
