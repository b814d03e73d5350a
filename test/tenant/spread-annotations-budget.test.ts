/**
 * The remaining escape hatches of issue 25 (item 9), read from the tenant chart's rendering: topologySpreadConstraints,
 * commonAnnotations and OpenWebUI's PodDisruptionBudget. Each lands where it is meant to and none reaches beyond
 * the tenant: a spread counts only the workload's own pods (the chart sets its selector), annotations take no key
 * that changes what an object does, and a budget bounds only OpenWebUI's own pods.
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import type { PodDisruptionBudget } from "../../charts-src/lib/k8s.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { ofKind, present, type Rendered } from "../rendered.js";
import { deployment, render } from "./render.js";

const check = valuesChecker(present(charts.tenant, "the tenant chart"));
const good = loadFixtures(process.cwd(), "tenant").filter((f) => f.kind === "good");
const enterprise = render(
  present(
    good.find((f) => f.name === "good/both-enterprise-ha"),
    "the fixture",
  ).values,
);
const required = (good.find((f) => f.name === "good/defaults")?.values ?? {}) as Record<string, unknown>;
const spreadOf = (objects: Rendered[], name: string) =>
  present(deployment(objects, name)?.spec?.template.spec?.topologySpreadConstraints, `${name}'s spread`);
const ownPods = (name: string) => ({
  labelSelector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "acme" } },
  matchLabelKeys: ["pod-template-hash"],
});

describe("topologySpreadConstraints", () => {
  test("set, they replace the chart's spread, each counting only the workload's own pods (good/both-enterprise-ha)", () => {
    expect(spreadOf(enterprise, "openwebui")).toEqual([
      {
        topologyKey: "topology.kubernetes.io/zone",
        maxSkew: 1,
        whenUnsatisfiable: "DoNotSchedule",
        minDomains: 3,
        ...ownPods("openwebui"),
      },
    ]);
  });

  test("unset, the chart's spread over zones and nodes stays (Ollama's, in the same fixture)", () => {
    expect(spreadOf(enterprise, "ollama-standard")).toEqual(
      ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        ...ownPods("ollama-standard"),
      })),
    );
  });

  test("a constraint cannot select other pods (another tenant's), nor ask what the API server refuses", () => {
    const spread = (c: object) =>
      check({
        ...required,
        openwebui: {
          topologySpreadConstraints: [
            { topologyKey: "kubernetes.io/hostname", maxSkew: 1, whenUnsatisfiable: "DoNotSchedule", ...c },
          ],
        },
      }).join("\n");
    expect(spread({})).toBe("");
    expect(spread({ labelSelector: { matchLabels: { "llmcharts.io/tenant": "rival" } } })).toMatch(
      /topologySpreadConstraints\/0': unknown key "labelSelector"/,
    );
    expect(spread({ matchLabelKeys: ["llmcharts.io/tenant"] })).toMatch(/unknown key "matchLabelKeys"/);
    expect(spread({ whenUnsatisfiable: "ScheduleAnyway", minDomains: 2 })).toMatch(/\/0\/whenUnsatisfiable/);
    expect(spread({ maxSkew: 0 })).toMatch(/\/0\/maxSkew/);
  });
});

describe("commonAnnotations", () => {
  const owner = { "example.com/owner": "assistant-team@northwind.example.com" };

  test("every object carries them (good/both-enterprise-ha); an object's own annotations stay and win", () => {
    expect(enterprise.length).toBeGreaterThan(20);
    for (const o of enterprise)
      expect([o.kind, o.metadata.annotations]).toEqual([o.kind, expect.objectContaining(owner)]);
    const ingress = present(
      enterprise.find((o) => o.kind === "Ingress"),
      "the Ingress",
    );
    expect(ingress.metadata.annotations).toMatchObject({ "cert-manager.io/cluster-issuer": "letsencrypt-prod" });
    const namespace = present(
      enterprise.find((o) => o.kind === "Namespace"),
      "the Namespace",
    );
    expect(namespace.metadata.annotations).toMatchObject({ "helm.sh/resource-policy": "keep" });
    const clash = render({
      commonAnnotations: { "cert-manager.io/cluster-issuer": "staging" },
      exposure: { ingress: { annotations: { "cert-manager.io/cluster-issuer": "production" } } },
    });
    const annotations = clash.find((o) => o.kind === "Ingress")?.metadata.annotations;
    expect(annotations?.["cert-manager.io/cluster-issuer"]).toBe("production");
  });

  test("they go on objects, not pods (podAnnotations does that)", () => {
    expect(deployment(enterprise, "openwebui")?.spec?.template.metadata?.annotations ?? {}).not.toMatchObject(owner);
  });

  test("unset, objects without annotations of their own have none", () => {
    const plain = render({});
    expect(deployment(plain, "ollama-standard")?.metadata.annotations).toBeUndefined();
  });

  test.each([
    "helm.sh/hook",
    "meta.helm.sh/release-name",
    "kubernetes.io/ingress.class",
    "nginx.ingress.kubernetes.io/server-snippet",
    "eks.amazonaws.com/role-arn",
    "linkerd.io/inject",
    "config.linkerd.io/skip-inbound-ports",
    "argocd.argoproj.io/sync-options",
    "llmcharts.io/tenant",
  ])("%s, a key that changes what an object does, is refused", (key) => {
    const errors = check({ ...required, commonAnnotations: { [key]: "x" } });
    expect(errors.join("\n")).toMatch(
      new RegExp(`at '/commonAnnotations/${key.replace("/", "~1")}': "x" is not allowed here — Annotations added`),
    );
  });
});

describe("OpenWebUI's PodDisruptionBudget", () => {
  const budget = (objects: Rendered[]) =>
    ofKind<PodDisruptionBudget>(objects, "PodDisruptionBudget").find((p) => p.metadata.name === "openwebui")?.spec;

  test("none for a single replica by default: it would protect nothing", () => {
    expect(budget(render({}))).toBeUndefined();
  });

  test("several replicas, or autoscaling, or enabled: at most one pod down at a time, OpenWebUI's pods only", () => {
    const oneDown = { maxUnavailable: 1, selector: ownPods("openwebui").labelSelector };
    expect(budget(render({ openwebui: { replicas: 3 } }))).toEqual(oneDown);
    expect(budget(render({ openwebui: { autoscaling: { enabled: true } } }))).toEqual(oneDown);
    expect(budget(render({ openwebui: { podDisruptionBudget: { enabled: true } } }))).toEqual(oneDown);
  });

  test("the operator's bound replaces it (good/both-enterprise-ha: minAvailable 2)", () => {
    expect(budget(enterprise)).toEqual({ minAvailable: 2, selector: ownPods("openwebui").labelSelector });
    const percent = render({ openwebui: { replicas: 4, podDisruptionBudget: { maxUnavailable: "25%" } } });
    expect(budget(percent)).toEqual({ maxUnavailable: "25%", selector: ownPods("openwebui").labelSelector });
  });

  test("minAvailable and maxUnavailable exclude each other, refused naming both", () => {
    const errors = check({ ...required, openwebui: { podDisruptionBudget: { minAvailable: 2, maxUnavailable: 1 } } });
    expect(errors).toEqual([
      expect.stringMatching(
        /^at '\/openwebui\/podDisruptionBudget\/maxUnavailable': 1 is not allowed here \(because \/openwebui\/podDisruptionBudget\/minAvailable is 2\)/,
      ),
    ]);
  });

  test("bounds that would block every drain or mean nothing are refused", () => {
    const bound = (b: object) => check({ ...required, openwebui: { podDisruptionBudget: b } }).join("\n");
    expect(bound({ minAvailable: "100%" })).toMatch(/minAvailable': "100%" must match pattern/);
    expect(bound({ maxUnavailable: 0 })).toMatch(/maxUnavailable': 0 must be >= 1/);
    expect(bound({ maxUnavailable: "1" })).toMatch(/maxUnavailable': "1" must match pattern/);
  });
});
