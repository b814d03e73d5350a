/** What third-party auditors (checkov, kube-score, Kyverno's policy library) ask of every pod, met. */
import { describe, expect, test } from "vitest";
import type { Deployment, PodSpec } from "../../charts-src/lib/k8s.js";
import { ofKind, type Rendered } from "../rendered.js";
import { render, deployment, container, bytes } from "./render.js";

describe("third-party audit findings (checkov, kube-score, Kyverno's policy library)", () => {
  const tier = (t: string) =>
    render({ tenant: { name: "acme", tier: t }, ollama: { premium: { model: "llama3.1:8b", gpus: 1 } } });
  const all = tier("both");
  const podSpecs = [
    ...ofKind<Deployment>(all, "Deployment").map((d) => [d.metadata.name, d.spec?.template.spec] as const),
    ...all.filter((o) => o.kind === "Pod").map((p) => [p.metadata.name, (p as { spec?: PodSpec }).spec] as const),
  ];

  test("every container requests and limits ephemeral storage, and the limit holds its emptyDirs", () => {
    expect(podSpecs.map(([name]) => name).sort()).toEqual([
      "ollama-premium",
      "ollama-premium-wake",
      "ollama-standard",
      "openwebui",
      "tenant-test",
    ]);
    for (const [name, spec] of podSpecs) {
      const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
      for (const c of containers) {
        expect(c.resources?.requests?.["ephemeral-storage"], `${name}/${c.name}`).toBeDefined();
        expect(c.resources?.limits?.["ephemeral-storage"], `${name}/${c.name}`).toBeDefined();
      }
      const scratch = (spec?.volumes ?? []).reduce((a, v) => a + bytes(String(v.emptyDir?.sizeLimit ?? "0")), 0);
      const limit = (spec?.containers ?? []).reduce(
        (a, c) => a + bytes(String(c.resources?.limits?.["ephemeral-storage"] ?? "0")),
        0,
      );
      expect(limit, name).toBeGreaterThanOrEqual(scratch);
    }
  });

  test("OpenWebUI is ready only when its database answers, alive while it serves", () => {
    const app = container(all, "openwebui");
    expect(app?.readinessProbe?.httpGet?.path).toBe("/ready");
    expect(app?.livenessProbe?.httpGet?.path).toBe("/health");
  });

  test("replicas spread across nodes as well as zones, never blocking a one-node lab", () => {
    for (const name of ["openwebui", "ollama-standard", "ollama-premium", "ollama-premium-wake"]) {
      const spread = deployment(all, name)?.spec?.template.spec?.topologySpreadConstraints ?? [];
      expect(
        spread.map((s) => [s.topologyKey, s.whenUnsatisfiable]),
        name,
      ).toEqual([
        ["topology.kubernetes.io/zone", "ScheduleAnyway"],
        ["kubernetes.io/hostname", "ScheduleAnyway"],
      ]);
    }
  });

  test("the applications run as uids above 10000 by default, each its own, and as another when a value says so", () => {
    const uid = (objects: Rendered[], name: string) => deployment(objects, name)?.spec?.template.spec?.securityContext;
    expect(uid(all, "openwebui")).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 });
    for (const name of ["ollama-standard", "ollama-premium"])
      expect(uid(all, name)).toMatchObject({ runAsUser: 10002, runAsGroup: 10002, fsGroup: 10002 });
    expect(uid(all, "ollama-premium-wake")).toMatchObject({ runAsUser: 10003, runAsGroup: 10003, fsGroup: 10003 });
    const legacy = render({ tenant: { name: "acme" }, openwebui: { runAs: { uid: 1000, gid: 1000 } } });
    expect(uid(legacy, "openwebui")).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
  });

  test("standard Ollama scales on memory as well as CPU when a memory target is set", () => {
    type Hpa = { metadata: { name: string }; spec: { metrics: { resource: { name: string } }[] } };
    const metrics = (objects: Rendered[]) =>
      (ofKind(objects, "HorizontalPodAutoscaler") as unknown as Hpa[])
        .find((h) => h.metadata.name === "ollama-standard")
        ?.spec.metrics.map((m) => m.resource.name);
    expect(metrics(all)).toEqual(["cpu"]);
    const withMemory = render({
      tenant: { name: "acme" },
      ollama: { standard: { autoscaling: { targetMemoryUtilizationPercentage: 80 } } },
    });
    expect(metrics(withMemory)).toEqual(["cpu", "memory"]);
  });
});
