/**
 * The tenant chart's escape hatches, read from the concrete rendering of fixtures: what an operator adds lands on
 * every pod it is meant for, after what the chart sets, and never replaces it.
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import { ollamaOwnedEnv, openwebuiOwnedEnv } from "../../charts-src/tenant/owned-env.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { renderChart } from "../rendered.js";

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are untyped JSON, read here field by field.
type Obj = Record<string, any>;

const chart = charts.tenant;
if (!chart) throw new Error("the tenant chart is not registered");
const release = { name: "orbit", namespace: "tenants", chartVersion: chart.version };
const render = (values: unknown): Obj[] => renderChart("tenant", values, release) as Obj[];
const good = loadFixtures(process.cwd(), "tenant").filter((f) => f.kind === "good");
const fixture = (name: string) => {
  const f = good.find((g) => g.name === `good/${name}`);
  if (!f) throw new Error(`no good fixture ${name}`);
  return render(f.values);
};
const deployment = (objects: Obj[], name: string): Obj => {
  const found = objects.find((o) => o.kind === "Deployment" && o.metadata.name === name);
  if (!found) throw new Error(`no Deployment ${name}`);
  return found;
};
const podSpecs = (objects: Obj[]): [string, Obj][] => [
  ...objects.filter((o) => o.kind === "Deployment").map((d): [string, Obj] => [d.metadata.name, d.spec.template.spec]),
  ...objects.filter((o) => o.kind === "Pod").map((p): [string, Obj] => [p.metadata.name, p.spec]),
];
const envNames = (objects: Obj[], name: string): string[] =>
  (
    objects.find((o) => o.kind === "Deployment" && o.metadata.name === name)?.spec.template.spec.containers[0].env ?? []
  ).map((e: Obj) => e.name);

test("the lists of variables extraEnv refuses are exactly the ones the chart sets", () => {
  const everyFixture = good.map((f) => render(f.values));
  const set = (workloads: string[]) =>
    [...new Set(everyFixture.flatMap((o) => workloads.flatMap((w) => envNames(o, w))))].sort();
  const extra = [
    "ENABLE_COMMUNITY_SHARING",
    "RAG_TOP_K",
    "OLLAMA_FLASH_ATTENTION",
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "ENABLE_RAG_WEB_SEARCH",
  ];
  expect(set(["openwebui"]).filter((n) => !extra.includes(n))).toEqual([...openwebuiOwnedEnv].sort());
  expect(set(["ollama-standard", "ollama-premium"]).filter((n) => !extra.includes(n))).toEqual(
    [...ollamaOwnedEnv].sort(),
  );
});

describe("an operator's overrides (good/operator-overrides)", () => {
  const objects = fixture("operator-overrides");
  const openwebui = deployment(objects, "openwebui").spec.template;
  const ollama = deployment(objects, "ollama-standard").spec.template;

  test("extra variables come after the chart's own, literal or from a ConfigMap", () => {
    const env = openwebui.spec.containers[0].env;
    expect(env.slice(-2)).toEqual([
      { name: "ENABLE_COMMUNITY_SHARING", value: "false" },
      { name: "RAG_TOP_K", valueFrom: { configMapKeyRef: { name: "orbit-rag", key: "top-k" } } },
    ]);
    expect(ollama.spec.containers[0].env.at(-1)).toEqual({ name: "OLLAMA_FLASH_ATTENTION", value: "1" });
  });

  test("pod labels are added beside the chart's, which stay; annotations land on the pods", () => {
    expect(openwebui.metadata.labels).toMatchObject({ team: "orbit-platform", "llmcharts.io/tenant": "orbit" });
    expect(ollama.metadata.labels).toMatchObject({
      team: "orbit-platform",
      "app.kubernetes.io/name": "ollama-standard",
    });
    expect(openwebui.metadata.annotations).toEqual({ "fluentbit.io/parser": "json" });
    expect(ollama.metadata.annotations).toBeUndefined();
  });

  test("tolerations and the node selector add to the tier's placement, which stays required", () => {
    const dedicated = { key: "dedicated", operator: "Equal", value: "orbit", effect: "NoSchedule" };
    expect(openwebui.spec.tolerations).toEqual([dedicated]);
    expect(ollama.spec.tolerations).toEqual([dedicated]);
    expect(openwebui.spec.nodeSelector).toEqual({ "kubernetes.io/arch": "amd64" });
    expect(JSON.stringify(openwebui.spec.affinity)).toContain("llmcharts.io/node-tier");
  });

  test("every pod, the helm test pod included, pulls with the pull secret", () => {
    const specs = podSpecs(objects);
    expect(specs.length).toBeGreaterThanOrEqual(3);
    for (const [name, spec] of specs) expect(spec.imagePullSecrets, name).toEqual([{ name: "registry-mirror" }]);
  });

  test("an existing claim is mounted and the chart creates none", () => {
    const data = openwebui.spec.volumes.find((v: Obj) => v.name === "data");
    expect(data.persistentVolumeClaim.claimName).toBe("openwebui-data-restored");
    expect(objects.filter((o) => o.kind === "PersistentVolumeClaim").map((o) => o.metadata.name)).not.toContain(
      "openwebui-data",
    );
  });

  test("the site's Ingress annotations merge with the streaming defaults, and win where they overlap", () => {
    const ingress = objects.find((o) => o.kind === "Ingress");
    expect(ingress?.metadata.annotations).toMatchObject({
      "cert-manager.io/cluster-issuer": "letsencrypt",
      "nginx.ingress.kubernetes.io/proxy-body-size": "500m",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-buffering": "off",
    });
  });
});

test("premium pods keep the chart's GPU toleration first, then the operator's", () => {
  const objects = render({
    tenant: { name: "orbit", tier: "premium" },
    quota: { gpus: 1 },
    ollama: { tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }] },
  });
  expect(deployment(objects, "ollama-premium").spec.template.spec.tolerations).toEqual([
    { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    { key: "dedicated", operator: "Exists", effect: "NoSchedule" },
  ]);
});

test("by default no pod names a pull secret, annotations or a node selector", () => {
  for (const [name, spec] of podSpecs(fixture("defaults"))) {
    expect(spec.imagePullSecrets, name).toBeUndefined();
    expect(spec.nodeSelector, name).toBeUndefined();
  }
});
