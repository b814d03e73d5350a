/**
 * Tenant chart 0.2: what a read against the real OpenWebUI and Ollama (and a first real run) found missing in 0.1.1.
 * Each test reads the concrete rendering; each fails on 0.1.1. The runtime suite (test/runtime) proves the same
 * settings with the real applications.
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import type { Deployment, EnvVar, PersistentVolume, PodSpec } from "../../charts-src/lib/k8s.js";
import { ofKind, present, type Rendered, renderChart } from "../rendered.js";

const chart = charts.tenant;
if (!chart) throw new Error("the tenant chart is not registered");
const release = { name: "acme", namespace: "tenants", chartVersion: chart.version };
const render = (values: unknown) => renderChart("tenant", values, release);
const find = (objects: Rendered[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const deployment = (objects: Rendered[], name: string) =>
  ofKind<Deployment>(objects, "Deployment").find((d) => d.metadata.name === name);
/** The first container of a Deployment: the application itself. */
const container = (objects: Rendered[], name: string) => deployment(objects, name)?.spec?.template.spec?.containers[0];
const env = (objects: Rendered[], name = "openwebui"): Record<string, EnvVar> =>
  Object.fromEntries((container(objects, name)?.env ?? []).map((e) => [e.name, e]));
const value = (objects: Rendered[], name: string) => env(objects)[name]?.value;

describe("OpenWebUI starts offline and follows its values", () => {
  const objects = render({ tenant: { name: "acme" } });

  test("offline by default: never waits on the Hugging Face hub, and loads no local embedding model", () => {
    expect(value(objects, "OFFLINE_MODE")).toBe("true");
    expect(value(objects, "HF_HUB_OFFLINE")).toBe("1");
    expect(value(objects, "RAG_EMBEDDING_ENGINE")).toBe("ollama");
    expect(value(objects, "RAG_OLLAMA_BASE_URL")).toBe("http://ollama-standard:11434");
  });

  test("static files go to a writable scratch directory (the root filesystem is read-only)", () => {
    expect(value(objects, "STATIC_DIR")).toMatch(/^\/tmp\//);
  });

  test("settings follow the values on every start (no persistent config)", () => {
    expect(value(objects, "ENABLE_PERSISTENT_CONFIG")).toBe("false");
  });

  test("sign-up is off and new accounts are pending by default", () => {
    expect(value(objects, "ENABLE_SIGNUP")).toBe("false");
    expect(value(objects, "DEFAULT_USER_ROLE")).toBe("pending");
  });

  test("the admin is bootstrapped from the tenant's secrets when an e-mail is given", () => {
    const withAdmin = render({ tenant: { name: "acme" }, openwebui: { admin: { email: "ops@acme.example" } } });
    expect(value(withAdmin, "WEBUI_ADMIN_EMAIL")).toBe("ops@acme.example");
    expect(env(withAdmin).WEBUI_ADMIN_PASSWORD?.valueFrom?.secretKeyRef).toEqual({
      name: "openwebui-admin-password",
      key: "WEBUI_ADMIN_PASSWORD",
    });
    expect(find(withAdmin, "ExternalSecret", "openwebui-admin-password")).toBeDefined();
    expect(value(objects, "WEBUI_ADMIN_EMAIL")).toBeUndefined();
  });

  test("the default images are the releases the runtime suite builds and runs", () => {
    const images = ["openwebui", "ollama-standard"].map((d) => container(objects, d)?.image);
    expect(images).toEqual(["ghcr.io/open-webui/open-webui:v0.12.4", "docker.io/ollama/ollama:0.24.0"]);
  });
});

describe("a one-node lab needs no EFS, External Secrets or KEDA controller", () => {
  const lab = render({
    tenant: { name: "lab" },
    secrets: { existingSecret: "lab-secrets" },
    ollama: { modelCache: { source: "hostPath", hostPath: "/srv/models" }, image: { pullPolicy: "Never" } },
  });

  test("an existing Secret replaces the External Secrets objects, and every secret variable reads it", () => {
    expect(lab.filter((o) => o.apiVersion.startsWith("external-secrets.io")).map((o) => o.kind)).toEqual([]);
    expect(env(lab).WEBUI_SECRET_KEY?.valueFrom?.secretKeyRef?.name).toBe("lab-secrets");
  });

  test("the model cache can be a node directory, still mounted read-only", () => {
    const pv = present(ofKind<PersistentVolume>(lab, "PersistentVolume")[0], "the model cache's PersistentVolume");
    expect(pv.spec?.hostPath).toEqual({ path: "/srv/models", type: "Directory" });
    expect(pv.spec?.csi).toBeUndefined();
    const mount = present(container(lab, "ollama-standard")?.volumeMounts?.[0], "Ollama's model cache mount");
    expect(mount.readOnly).toBe(true);
  });

  test("imagePullPolicy Never is accepted (images imported into the node)", () => {
    expect(container(lab, "ollama-standard")?.imagePullPolicy).toBe("Never");
  });
});

describe("tenants sharing services stay apart, and Argo CD keeps what Helm keeps", () => {
  test("each tenant's Redis keys carry its own prefix", () => {
    const shared = {
      database: { type: "postgres", cidrs: ["10.1.0.0/16"] },
      redis: { enabled: true, cidrs: ["10.2.0.0/16"] },
    };
    const prefixes = ["acme", "globex"].map((name) =>
      value(render({ tenant: { name }, openwebui: shared }), "REDIS_KEY_PREFIX"),
    );
    expect(prefixes).toEqual(["open-webui:acme", "open-webui:globex"]);
  });

  test("the Namespace and the data claim are neither pruned nor deleted by Argo CD", () => {
    const objects = render({ tenant: { name: "acme" } });
    for (const o of [
      find(objects, "Namespace", "tenant-acme"),
      find(objects, "PersistentVolumeClaim", "openwebui-data"),
    ]) {
      expect(o?.metadata.annotations?.["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    }
  });
});

describe("observability and rollouts", () => {
  test("traces are exported to Tempo and metrics to a collector that takes them", () => {
    const objects = render({ tenant: { name: "acme" }, openwebui: { telemetry: { enabled: true } } });
    expect(value(objects, "ENABLE_OTEL_TRACES")).toBe("true");
    expect(value(objects, "OTEL_EXPORTER_OTLP_ENDPOINT")).toBe("http://tempo.monitoring.svc:4317");
    expect(value(objects, "OTEL_METRICS_EXPORTER_OTLP_ENDPOINT")).toBe("http://otel-collector.monitoring.svc:4317");
  });

  test("a premium rollout needs no GPU beyond the quota (no surge pod)", () => {
    const objects = render({ tenant: { name: "acme", tier: "premium" }, quota: { gpus: 2 } });
    expect(deployment(objects, "ollama-premium")?.spec?.strategy?.rollingUpdate).toEqual({
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });
});

describe("several replicas on Postgres start clean", () => {
  const ha = render({
    tenant: { name: "acme" },
    openwebui: {
      replicas: 2,
      persistence: { accessMode: "ReadWriteMany", storageClass: "efs-openwebui" },
      database: { type: "postgres", cidrs: ["10.1.0.0/16"] },
      redis: { enabled: true, cidrs: ["10.2.0.0/16"] },
      vectorDb: "pgvector",
    },
  });
  const pod = present(deployment(ha, "openwebui")?.spec?.template.spec, "the openwebui pod spec");
  const migrations = present(pod.initContainers?.[0], "an init container");
  const app = present(pod.containers[0], "the openwebui container");

  test("the migrations run once, in an init container under a Postgres advisory lock, not in every replica", () => {
    const init = migrations;
    expect(init.name).toBe("migrations");
    const script = init.command?.at(-1);
    expect(script).toContain("pg_advisory_lock(");
    expect(script).toContain("command.upgrade(alembic, 'head')");
    expect(value(ha, "ENABLE_DB_MIGRATIONS")).toBe("false");
    // The same image, database secret, mounts and restricted context as OpenWebUI itself.
    expect(init.image).toBe(app.image);
    expect(init.volumeMounts).toEqual(app.volumeMounts);
    expect(init.securityContext).toEqual(app.securityContext);
    const dbUrl = (c: typeof app) => c.env?.find((e) => e.name === "DATABASE_URL")?.valueFrom;
    expect(dbUrl(init)).toEqual(dbUrl(app));
  });

  test("pgvector is checked before OpenWebUI starts, with the statement a privileged role must run", () => {
    const script = migrations.command?.at(-1);
    expect(script).toContain("extname = 'vector'");
    expect(script).toContain("CREATE EXTENSION vector;");
  });

  test("with SQLite (one replica) OpenWebUI migrates its own file as before", () => {
    const single = render({ tenant: { name: "acme" } });
    expect(deployment(single, "openwebui")?.spec?.template.spec?.initContainers).toBeUndefined();
    expect(value(single, "ENABLE_DB_MIGRATIONS")).toBeUndefined();
  });
});

describe("each tier offers only its own catalog", () => {
  const configs = (objects: Rendered[]) => JSON.parse(value(objects, "OLLAMA_API_CONFIGS") ?? "null");

  test("in tier both, the standard connection offers only the standard model and the premium one only the premium", () => {
    const both = render({
      tenant: { name: "acme", tier: "both" },
      ollama: { standard: { model: "llama3.2:3b" }, premium: { model: "llama3.1:8b", gpus: 1 } },
    });
    expect(value(both, "OLLAMA_BASE_URLS")).toBe("http://ollama-standard:11434;http://ollama-premium-wake:8080");
    expect(configs(both)).toEqual({
      "0": { model_ids: ["llama3.2:3b", "llama3.2:3b:latest"] },
      "1": { model_ids: ["llama3.1:8b", "llama3.1:8b:latest"] },
    });
  });

  test("each tier's Ollama mounts only its tier's catalog of the cache, read-only", () => {
    const both = render({
      tenant: { name: "acme", tier: "both" },
      ollama: { premium: { model: "llama3.1:8b", gpus: 1 } },
    });
    for (const tier of ["standard", "premium"]) {
      const mounts = container(both, `ollama-${tier}`)?.volumeMounts ?? [];
      expect(mounts.find((m) => m.name === "model-cache")).toEqual({
        name: "model-cache",
        mountPath: "/models",
        subPath: tier,
        readOnly: true,
      });
    }
  });

  test("a model named without a tag is matched as Ollama lists it (name:latest)", () => {
    const standard = render({ tenant: { name: "acme" }, ollama: { standard: { model: "phi3" } } });
    expect(configs(standard)).toEqual({ "0": { model_ids: ["phi3", "phi3:latest"] } });
  });
});

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
    expect(ports(p.openwebui?.ingress)).toEqual(['"port":8080', '"port":4143', '"port":8080', '"port":4143']);
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

/** A Kubernetes quantity in bytes (the binary and decimal suffixes the chart uses). */
const bytes = (q: string): number => {
  const m = /^([0-9.]+)([KMGT]i?)?$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const power = { K: 1, M: 2, G: 3, T: 4 }[m[2]?.[0] as "K"] ?? 0;
  return Number(m[1]) * (m[2]?.endsWith("i") ? 1024 : 1000) ** power;
};

describe("premium wakes on this tenant's own premium requests only (item 9)", () => {
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

  test("a standard tenant runs no proxy and no routes", () => {
    const standard = render({ tenant: { name: "acme" } });
    expect(deployment(standard, "ollama-premium-wake")).toBeUndefined();
    expect(ofKind(standard, "InterceptorRoute")).toEqual([]);
    expect(find(standard, "NetworkPolicy", "ollama-premium-wake")).toBeUndefined();
  });
});
