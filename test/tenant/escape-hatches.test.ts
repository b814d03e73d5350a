/**
 * The escape hatches operators expect from the Bitnami and open-webui charts (issue 25), read from the tenant chart's
 * rendering (concrete mode, which test/engine/equivalence proves equal to `helm template` for every fixture): what an
 * operator adds lands where it is meant to, after what the chart sets, and no hatch reaches beyond the tenant.
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import { ValuesRefused } from "../../charts-src/lib/engine/index.js";
import type { Container, NetworkPolicy, PodSpec, ServiceAccount } from "../../charts-src/lib/k8s.js";
import { ollamaOwnedMounts, openwebuiOwnedMounts } from "../../charts-src/tenant/owned-env.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { ofKind, present, type Rendered, renderChart } from "../rendered.js";
import { container, deployment, find, render } from "./render.js";

const good = loadFixtures(process.cwd(), "tenant").filter((f) => f.kind === "good");
const fixture = (name: string) => render(present(good.find((f) => f.name === `good/${name}`)?.values, name));
const required = {
  tenant: { name: "example" },
  exposure: { host: "chat.example.com" },
  secrets: { roleArn: "arn:aws:iam::123456789012:role/llmcharts-tenant-example" },
  ollama: { modelCache: { volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" } },
};
const podSpec = (objects: Rendered[], name: string): PodSpec =>
  present(deployment(objects, name)?.spec?.template.spec, `the pod spec of ${name}`);
const main = (objects: Rendered[], name: string): Container => present(container(objects, name), `${name}'s container`);
/** Every pod spec the objects make, named by their kind and name: Pods, workloads' templates, CronJobs' jobs'. */
const podSpecsOf = (objects: Rendered[]): [string, PodSpec][] =>
  objects.flatMap((o) => {
    const spec = (
      o as { spec?: { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } }
    ).spec;
    const pod = o.kind === "Pod" ? (spec as PodSpec) : (spec?.template ?? spec?.jobTemplate?.spec?.template)?.spec;
    return pod?.containers ? [[`${o.kind}/${o.metadata.name}`, pod] as [string, PodSpec]] : [];
  });
const images = (objects: Rendered[]): string[] =>
  podSpecsOf(objects).flatMap(([, spec]) =>
    [...(spec.initContainers ?? []), ...spec.containers].map((c) => c.image ?? ""),
  );

describe("a corporate CA bundle and the site's settings (good/escape-hatches)", () => {
  const objects = fixture("escape-hatches");

  test("the CA bundle's volume and mount come after the chart's, in OpenWebUI and Ollama's main containers", () => {
    expect(podSpec(objects, "openwebui").volumes?.map((v) => v.name)).toEqual([
      ...openwebuiOwnedMounts.volumes,
      "corporate-ca",
    ]);
    expect(podSpec(objects, "openwebui").volumes?.at(-1)).toEqual({
      name: "corporate-ca",
      configMap: { name: "corporate-ca-bundle", items: [{ key: "ca-bundle.crt", path: "ca-bundle.crt" }] },
    });
    expect(main(objects, "openwebui").volumeMounts?.at(-1)).toEqual({
      name: "corporate-ca",
      mountPath: "/etc/ssl/corporate",
    });
    expect(main(objects, "ollama-standard").volumeMounts?.at(-1)).toEqual({
      name: "corporate-ca",
      mountPath: "/etc/ssl/certs/corporate-ca-bundle.crt",
      subPath: "ca-bundle.crt",
    });
    expect(podSpec(objects, "ollama-standard").volumes?.map((v) => v.name)).toEqual([
      ...ollamaOwnedMounts.volumes,
      "corporate-ca",
    ]);
  });

  test("the chart's own mounts stay, and only the main container gets the extra ones", () => {
    const paths = main(objects, "openwebui").volumeMounts?.map((m) => m.mountPath);
    expect(paths).toEqual([...openwebuiOwnedMounts.mountPaths, "/etc/ssl/corporate"]);
    expect(main(objects, "ollama-standard").volumeMounts?.map((m) => m.mountPath)).toEqual([
      ...ollamaOwnedMounts.mountPaths,
      "/etc/ssl/certs/corporate-ca-bundle.crt",
    ]);
  });

  test("a whole Secret becomes variables beside the chart's own, which keep their values", () => {
    expect(main(objects, "openwebui").envFrom).toEqual([{ secretRef: { name: "web-search-keys" } }]);
    expect(main(objects, "openwebui").env?.map((e) => e.name)).toContain("WEBUI_URL");
    expect(main(objects, "ollama-standard").envFrom).toBeUndefined();
  });

  test("probe timings follow the values; what is not set keeps the chart's", () => {
    const o = main(objects, "openwebui");
    expect(o.startupProbe).toMatchObject({ httpGet: { path: "/health" }, periodSeconds: 10, failureThreshold: 60 });
    expect(o.livenessProbe).toMatchObject({ periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3 });
    expect(o.readinessProbe).toMatchObject({ httpGet: { path: "/ready" }, periodSeconds: 10, timeoutSeconds: 5 });
    expect(main(objects, "ollama-standard").readinessProbe).toMatchObject({
      exec: { command: ["ollama", "show", "llama3.2:3b"] },
      periodSeconds: 30,
      timeoutSeconds: 10,
    });
  });

  test("OpenWebUI runs in the RuntimeClass asked for; Ollama keeps the cluster's default", () => {
    expect(podSpec(objects, "openwebui").runtimeClassName).toBe("gvisor");
    expect(podSpec(objects, "ollama-standard").runtimeClassName).toBeUndefined();
  });

  test("commonLabels land on every object and every pod, beside the chart's", () => {
    const team = { team: "delta-research", "example.com/billing-code": "rd-4411" };
    for (const o of objects) expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toMatchObject(team);
    for (const w of ["openwebui", "ollama-standard"])
      expect(deployment(objects, w)?.spec?.template.metadata?.labels).toMatchObject({
        ...team,
        "llmcharts.io/tenant": "delta",
      });
  });

  test("an extra object is rendered as given, in the tenant namespace, with the chart's labels", () => {
    const bundle = present(find(objects, "ConfigMap", "corporate-ca-bundle"), "the extra ConfigMap") as Rendered & {
      data?: Record<string, string>;
    };
    expect(bundle.metadata.namespace).toBe("tenant-delta");
    expect(bundle.metadata.labels).toMatchObject({
      "llmcharts.io/tenant": "delta",
      "app.kubernetes.io/component": "extra-objects",
      "app.kubernetes.io/instance": "acme",
    });
    expect(bundle.metadata.annotations).toEqual({ "example.com/source": "pki.delta.example.com" });
    expect(bundle.data?.["ca-bundle.crt"]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });
});

describe("an extra object stays in the tenant namespace", () => {
  test("its own labels stand beside the chart's; where commonLabels has the same key, commonLabels wins", () => {
    const objects = render({
      ...required,
      commonLabels: { team: "platform" },
      extraObjects: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: { team: "mine", tool: "mcp" } } },
      ],
    });
    expect(find(objects, "ConfigMap", "x")?.metadata?.labels).toMatchObject({
      team: "platform",
      tool: "mcp",
      "llmcharts.io/tenant": "example",
    });
  });

  test("whatever the object says, its namespace is the tenant's; only namespaced kinds are accepted", () => {
    const check = valuesChecker(present(charts.tenant, "the tenant chart"));
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };
    expect(check({ ...required, extraObjects: [configMap] })).toEqual([]);
    const refused = (o: object) => check({ ...required, extraObjects: [o] }).join("\n");
    expect(refused({ ...configMap, metadata: { name: "x", namespace: "kube-system" } })).toMatch(
      /at '\/extraObjects\/0\/metadata'.*namespace/,
    );
    for (const kind of ["ClusterRole", "ClusterRoleBinding", "Namespace", "RoleBinding", "PersistentVolume"])
      expect(refused({ ...configMap, kind }), kind).toMatch(/at '\/extraObjects\/0\/kind'/);
  });
});

describe("an extra ExternalSecret reads only its own tenant's secrets", () => {
  const externalSecret = (key: string) => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "web-search-keys" },
    spec: {
      secretStoreRef: { kind: "SecretStore", name: "aws-secrets-manager" },
      target: { name: "web-search-keys" },
      data: [
        { secretKey: "A", remoteRef: { key: "llmcharts/tenants/example/a" } },
        { secretKey: "B", remoteRef: { key } },
      ],
    },
  });

  test("a key under the tenant's prefix is rendered as given", () => {
    const objects = render({ ...required, extraObjects: [externalSecret("llmcharts/tenants/example/b")] });
    expect(find(objects, "ExternalSecret", "web-search-keys")).toBeDefined();
  });

  test("another tenant's key is refused before anything is installed, naming the key, the value and the prefix", () => {
    const stolen = "llmcharts/tenants/globex/b";
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };
    expect(() => render({ ...required, extraObjects: [configMap, externalSecret(stolen)] })).toThrow(ValuesRefused);
    expect(() => render({ ...required, extraObjects: [configMap, externalSecret(stolen)] })).toThrow(
      `at '/extraObjects/1/spec/data/1/remoteRef/key': ${stolen} is not under tenant example's prefix llmcharts/tenants/example/`,
    );
    // Another kind may say anything in its body: only an ExternalSecret's keys are read.
    expect(() =>
      render({ ...required, extraObjects: [{ ...externalSecret(stolen), kind: "ConfigMap" }] }),
    ).not.toThrow();
  });
});

describe("OpenWebUI's ServiceAccount", () => {
  const serviceAccounts = (objects: Rendered[]) => ofKind<ServiceAccount>(objects, "ServiceAccount");

  test("by default the chart creates openwebui, whose API token is not mounted, and the pods run as it", () => {
    const objects = render(required);
    const sa = present(
      serviceAccounts(objects).find((s) => s.metadata.name === "openwebui"),
      "the openwebui ServiceAccount",
    );
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.metadata.annotations).toBeUndefined();
    expect(podSpec(objects, "openwebui")).toMatchObject({
      serviceAccountName: "openwebui",
      automountServiceAccountToken: false,
    });
  });

  test("its annotations carry an IAM role for S3 (IRSA)", () => {
    const role = "arn:aws:iam::123456789012:role/llmcharts-tenant-delta-uploads";
    const sa = serviceAccounts(fixture("escape-hatches")).find((s) => s.metadata.name === "openwebui");
    expect(sa?.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": role });
  });

  test("an existing one is named, not created; without a name the pods keep the namespace's default", () => {
    const named = render({ ...required, openwebui: { serviceAccount: { create: false, name: "uploads" } } });
    expect(serviceAccounts(named).map((s) => s.metadata.name)).not.toContain("uploads");
    expect(serviceAccounts(named).map((s) => s.metadata.name)).not.toContain("openwebui");
    expect(podSpec(named, "openwebui").serviceAccountName).toBe("uploads");
    const none = render({ ...required, openwebui: { serviceAccount: { create: false } } });
    expect(podSpec(none, "openwebui").serviceAccountName).toBeUndefined();
  });
});

describe("network.extraEgress", () => {
  const extraPolicies = (objects: Rendered[]) =>
    ofKind<NetworkPolicy>(objects, "NetworkPolicy").filter((p) => p.metadata.name.startsWith("extra-egress-"));

  test("each rule is its own egress policy of OpenWebUI's pods, named for what it is for", () => {
    const policies = extraPolicies(fixture("escape-hatches"));
    expect(policies.map((p) => p.metadata.name)).toEqual(["extra-egress-web", "extra-egress-smtp", "extra-egress-s3"]);
    for (const p of policies)
      expect(p.spec).toMatchObject({
        podSelector: { matchLabels: { "app.kubernetes.io/component": "openwebui" } },
        policyTypes: ["Egress"],
      });
    expect(policies[1]?.spec?.egress).toEqual([
      { to: [{ ipBlock: { cidr: "10.40.0.25/32" } }], ports: [{ port: 587, protocol: "TCP" }] },
    ]);
  });

  test("the whole internet never includes the cluster's private ranges", () => {
    const [web] = extraPolicies(fixture("escape-hatches"));
    expect(web?.spec?.egress?.[0]?.to).toEqual([
      { ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] } },
    ]);
  });

  test("a shared namespace is reached by its name, with its pods by labels", () => {
    const peer = {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "otel-collector" } },
    };
    const rule = { name: "collector", to: [peer], ports: [{ port: 4318 }] };
    const [policy] = extraPolicies(render({ ...required, network: { extraEgress: [rule] } }));
    expect(policy?.spec?.egress).toEqual([{ to: [peer], ports: [{ port: 4318 }] }]);
  });

  test("by default there is none", () => {
    expect(extraPolicies(render(required))).toEqual([]);
  });

  test("two rules of one name are refused, naming it", () => {
    const rule = { name: "web", to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] };
    expect(() => render({ ...required, network: { extraEgress: [rule, rule] } })).toThrow(
      new ValuesRefused(
        "at '/network/extraEgress': rule names web repeat; each rule is a NetworkPolicy extra-egress-<name>, so give each its own name",
      ),
    );
  });

  test("no selector can reach every namespace or another tenant's", () => {
    const check = valuesChecker(present(charts.tenant, "the tenant chart"));
    const to = (peer: object) =>
      check({ ...required, network: { extraEgress: [{ name: "x", to: [peer], ports: [{ port: 80 }] }] } }).join("\n");
    expect(to({ namespaceSelector: {} })).toMatch(/extraEgress\/0\/to\/0\/namespaceSelector/);
    expect(to({ namespaceSelector: { matchLabels: {} } })).toMatch(/namespaceSelector\/matchLabels/);
    expect(to({ namespaceSelector: { matchLabels: { "llmcharts.io/tier": "premium" } } })).toMatch(/matchLabels/);
    expect(to({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tenant-rival" } } })).toMatch(
      /kubernetes\.io~1metadata\.name/,
    );
    expect(to({ podSelector: { matchLabels: { app: "x" } } })).not.toBe("");
  });
});

describe("global.imageRegistry and enabled, the conventions of umbrella charts", () => {
  test("the mirror replaces the registry of every image the tenant runs (good/umbrella-subchart)", () => {
    const mirrored = images(fixture("umbrella-subchart"));
    expect(mirrored.length).toBeGreaterThanOrEqual(5);
    for (const image of mirrored) expect(image).toMatch(/^public\.ecr\.aws\/acme-mirror\/[^/]/);
    expect(mirrored).toContain("public.ecr.aws/acme-mirror/open-webui/open-webui:v0.12.4");
    expect(mirrored).toContain("public.ecr.aws/acme-mirror/ollama/ollama:0.24.0");
    expect(mirrored).toContain("public.ecr.aws/acme-mirror/library/busybox:1.37.0");
  });

  test("without it every image keeps its own registry", () => {
    const own = images(
      render({
        ...required,
        tenant: { name: "kappa", tier: "both" },
        secrets: { roleArn: "arn:aws:iam::123456789012:role/llmcharts-tenant-kappa" },
        quota: { gpus: 1 },
      }),
    );
    expect(own).toContain("ghcr.io/open-webui/open-webui:v0.12.4");
    expect(own).toContain("docker.io/ollama/ollama:0.24.0");
    expect(own).toContain("ghcr.io/kedacore/http-add-on-interceptor:0.15.0");
  });

  test.each(["tenant", "platform", "nodepools"])("%s accepts enabled, refuses any other global key", (name) => {
    const chart = present(charts[name], name);
    const check = valuesChecker(chart);
    const operatorOnly: Record<string, object> = {
      tenant: required,
      nodepools: { clusterName: "llm-saas", nodeRole: "KarpenterNodeRole-llm-saas", zones: ["us-east-1a"] },
    };
    const base = operatorOnly[name] ?? {};
    expect(
      check({
        ...base,
        enabled: false,
        global: { imageRegistry: "registry.example.com:5000/mirror", imagePullSecrets: ["mirror-pull"] },
      }),
    ).toEqual([]);
    expect(check({ ...base, enabled: "yes" }).join("\n")).toMatch(/at '\/enabled'/);
    expect(check({ ...base, global: { storageClass: "gp3" } }).join("\n")).toMatch(
      /at '\/global'.*storageClass.*allowed keys: imageRegistry, imagePullSecrets/,
    );
  });

  test("every pod pulls with global.imagePullSecrets, then the tenant's own, each named once (good/umbrella-subchart)", () => {
    const pods = podSpecsOf(fixture("umbrella-subchart"));
    expect(pods.map(([name]) => name)).toEqual(
      expect.arrayContaining(["Deployment/openwebui", "Deployment/ollama-standard", "Deployment/ollama-premium"]),
    );
    expect(pods.length).toBeGreaterThanOrEqual(5);
    for (const [name, spec] of pods)
      expect([name, spec.imagePullSecrets]).toEqual([name, [{ name: "acme-mirror-pull" }, { name: "kappa-registry" }]]);
  });

  test("the platform's pull Jobs and snapshot CronJobs pull with global.imagePullSecrets", () => {
    const fixtureValues = loadFixtures(process.cwd(), "platform").find((f) => f.name === "good/umbrella-subchart");
    const release = { name: "platform", namespace: "llmcharts-system", chartVersion: "0.0.0" };
    const values = present(fixtureValues, "good/umbrella-subchart").values as Record<string, unknown>;
    const pods = podSpecsOf(renderChart("platform", values, release));
    expect(pods.map(([name]) => name.split("/")[0])).toEqual(expect.arrayContaining(["Job", "CronJob"]));
    for (const [name, spec] of pods)
      expect([name, spec.imagePullSecrets]).toEqual([name, [{ name: "ecr-mirror-pull" }]]);
    const plain = podSpecsOf(renderChart("platform", { modelCache: values.modelCache }, release));
    expect(plain.length).toBeGreaterThan(0);
    for (const [, spec] of plain) expect(spec.imagePullSecrets).toBeUndefined();
  });

  test("the platform's pull Jobs and snapshot CronJobs take the mirror too", () => {
    const fixtureValues = loadFixtures(process.cwd(), "platform").find((f) => f.name === "good/umbrella-subchart");
    const release = { name: "platform", namespace: "llmcharts-system", chartVersion: "0.0.0" };
    const objects = renderChart("platform", present(fixtureValues, "good/umbrella-subchart").values, release);
    const pulls = images(objects);
    expect(pulls.length).toBeGreaterThan(0);
    for (const image of pulls)
      expect(image).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/ecr-public\//);
  });
});

for (const [w, owned] of [
  ["openwebui", openwebuiOwnedMounts],
  ["ollama-standard", ollamaOwnedMounts],
] as const)
  test(`the volumes and mount paths extraVolumes refuses are exactly ${w}'s own`, () => {
    const objects = render(required);
    expect(podSpec(objects, w).volumes?.map((v) => v.name)).toEqual([...owned.volumes]);
    expect(main(objects, w).volumeMounts?.map((m) => m.mountPath)).toEqual([...owned.mountPaths]);
  });
