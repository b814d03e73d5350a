/** The Linkerd mesh option: proxy annotations, mesh ports in the NetworkPolicies, control-plane egress. */
import { describe, expect, test } from "vitest";
import { ofKind, type Rendered } from "../rendered.js";
import { render, deployment } from "./render.js";

describe("the Linkerd mesh option", () => {
  type Policy = { metadata: { name: string }; spec: Record<string, unknown> };
  const policies = (objects: Rendered[]) =>
    Object.fromEntries((ofKind(objects, "NetworkPolicy") as unknown as Policy[]).map((p) => [p.metadata.name, p.spec]));
  const ports = (rules: unknown) => JSON.stringify(rules).match(/"port":\d+/g) ?? [];
  const values = { tenant: { name: "acme", tier: "both" }, ollama: { premium: { model: "llama3.1:8b", gpus: 1 } } };
  const plain = render(values);
  const meshed = render({ ...values, mesh: { linkerd: { enabled: true } } });
  const annotations = (objects: Rendered[], name: string) =>
    deployment(objects, name)?.spec?.template.metadata?.annotations ?? {};

  test("off by default: no proxy, no mesh ports, no control-plane egress", () => {
    for (const name of ["openwebui", "ollama-standard", "ollama-premium"])
      expect(annotations(plain, name)["linkerd.io/inject"]).toBeUndefined();
    expect(JSON.stringify(policies(plain))).not.toContain("4143");
    expect(policies(plain)["allow-mesh-control-plane"]).toBeUndefined();
  });

  test("on: OpenWebUI and both Ollamas get a proxy sized by the values, the quota's limits included", () => {
    for (const name of ["openwebui", "ollama-standard", "ollama-premium"])
      expect(annotations(meshed, name)).toMatchObject({
        "linkerd.io/inject": "enabled",
        "config.linkerd.io/proxy-cpu-limit": "500m",
        "config.linkerd.io/proxy-memory-limit": "128Mi",
        "config.linkerd.io/proxy-ephemeral-storage-limit": "64Mi",
      });
    const withOwn = render({
      ...values,
      mesh: { linkerd: { enabled: true } },
      openwebui: { podAnnotations: { team: "x" } },
    });
    expect(annotations(withOwn, "openwebui")).toMatchObject({ team: "x", "linkerd.io/inject": "enabled" });
  });

  test("on: every rule between meshed peers admits the proxy's inbound port, and every proxy reaches the control plane", () => {
    const p = policies(meshed);
    // The ingress controller, OpenWebUI's own pods, then the platform's health prober: not meshed, its port only.
    expect(ports(p.openwebui?.ingress)).toEqual([
      '"port":8080',
      '"port":4143',
      '"port":8080',
      '"port":4143',
      '"port":8080',
    ]);
    expect(ports(p["ollama-standard"]?.ingress)).toEqual(['"port":11434', '"port":4143']);
    expect(ports(p["ollama-premium"]?.ingress)).toEqual(['"port":11434', '"port":4143']);
    expect(JSON.stringify(p.openwebui?.egress)).toContain(
      '{"protocol":"TCP","port":11434},{"protocol":"TCP","port":4143}',
    );
    expect(p["allow-mesh-control-plane"]).toEqual({
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "linkerd" } } }],
          ports: [8080, 8086, 8090].map((port) => ({ protocol: "TCP", port })),
        },
      ],
    });
    // The proxies look the control plane up by name, Ollama's included.
    expect(p["allow-dns"]?.podSelector).toEqual({});
  });
});
