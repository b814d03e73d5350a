/**
 * The controllers the cluster runs as host processes, on the embedded control plane: metrics-server and KEDA (its
 * operator and metrics server). Their APIServices turn Available through the aggregation layer (front-proxy
 * certificate, request headers, endpoint routing to the host) and answer; KEDA's operator and metrics server work
 * together (a ScaledObject's metric is served, and the HPA controller scales by it); on a real node metrics-server
 * reports the node's and its pods' usage; a controller that cannot start fails the start-up naming itself with its
 * last log lines, and leaves nothing running. The real-node part needs root, like the runtime suite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClusterInfo, ClusterStartError, clusterDown, clusterStatus, clusterUp } from "../../src/cluster/index.js";
import { run } from "../../src/lib/run.js";
import { eventually as retried } from "../../src/lib/wait.js";

/** Retries `fn` every second until it stops throwing: metrics appear a scrape or two after start. */
const eventually = <T>(fn: () => Promise<T>, timeoutMs: number) => retried(fn, timeoutMs, 1000);
import { Kube } from "../../src/harness/kube.js";
import { standardNode } from "../../src/node/lab-nodes.js";
import { scaledObjectHealthy } from "../../src/runtime/keda.js";
import { requireBin } from "../../src/toolchain/tools.js";

const unique = `${process.pid}-${Date.now().toString(36)}`;

const kubectlFor = (info: () => ClusterInfo | undefined) => async (args: string[], input?: string) => {
  const cluster = info();
  if (!cluster) throw new Error("the cluster did not start");
  const res = await run(requireBin("kubectl"), ["--kubeconfig", cluster.kubeconfig, ...args], { input });
  if (res.exitCode !== 0) throw new Error(`kubectl ${args.join(" ")} failed (exit ${res.exitCode}):\n${res.stderr}`);
  return res.stdout;
};

const available = (apiService: { status?: { conditions?: { type: string; status: string }[] } }) =>
  apiService.status?.conditions?.find((c) => c.type === "Available")?.status;

describe("metrics-server and KEDA on the control plane", { timeout: 180_000 }, () => {
  const name = `controllers-${unique}`;
  let info: ClusterInfo | undefined;
  const kubectl = kubectlFor(() => info);

  beforeAll(async () => {
    info = await clusterUp({ name, controllers: ["metrics-server", "keda"] });
  }, 300_000);

  afterAll(async () => {
    await clusterDown({ name });
  }, 60_000);

  it("registers both APIServices, Available", async () => {
    for (const apiService of ["v1beta1.metrics.k8s.io", "v1beta1.external.metrics.k8s.io"]) {
      expect(available(JSON.parse(await kubectl(["get", "apiservice", apiService, "-o", "json"])))).toBe("True");
    }
  });

  it("answers the external metrics API through the aggregator", async () => {
    const list = JSON.parse(await kubectl(["get", "--raw", "/apis/external.metrics.k8s.io/v1beta1"]));
    expect(list.kind).toBe("APIResourceList");
    expect(list.groupVersion).toBe("external.metrics.k8s.io/v1beta1");
  });

  it("answers the resource metrics API through the aggregator", async () => {
    const list = JSON.parse(await kubectl(["get", "--raw", "/apis/metrics.k8s.io/v1beta1"]));
    expect(list.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(["nodes", "pods"]));
    const nodes = JSON.parse(await kubectl(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes"]));
    expect(nodes.kind).toBe("NodeMetricsList");
  });

  it("serves a ScaledObject's metric: the operator made its HPA, the metrics server asked the operator", async () => {
    await kubectl(["create", "namespace", "scaled"]);
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "worker", namespace: "scaled" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "worker" } },
        template: {
          metadata: { labels: { app: "worker" } },
          spec: { containers: [{ name: "worker", image: "registry.example/worker:1.0.0" }] },
        },
      },
    };
    // A cron trigger asks nothing outside the cluster; active all day, it wants 3 replicas.
    const scaledObject = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "worker", namespace: "scaled" },
      spec: {
        scaleTargetRef: { name: "worker" },
        minReplicaCount: 1,
        maxReplicaCount: 5,
        triggers: [
          { type: "cron", metadata: { timezone: "UTC", start: "0 0 * * *", end: "59 23 * * *", desiredReplicas: "3" } },
        ],
      },
    };
    await kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "List", items: [deployment, scaledObject] }),
    );
    const hpa = await eventually(
      async () => JSON.parse(await kubectl(["get", "hpa", "keda-hpa-worker", "-n", "scaled", "-o", "json"])),
      60_000,
    );
    const metric: string = hpa.spec.metrics[0].external.metric.name;
    const values = await eventually(
      async () =>
        JSON.parse(
          await kubectl([
            "get",
            "--raw",
            `/apis/external.metrics.k8s.io/v1beta1/namespaces/scaled/${metric}?labelSelector=scaledobject.keda.sh%2Fname%3Dworker`,
          ]),
        ),
      60_000,
    );
    expect(values.kind).toBe("ExternalMetricValueList");
    expect(values.items[0].metricName).toBe(metric);
  });

  it("lets the HPA controller read that metric through the aggregator and scale to the cron's 3 replicas", async () => {
    const replicas = await eventually(async () => {
      const n = Number(
        await kubectl(["get", "deployment", "worker", "-n", "scaled", "-o", "jsonpath={.spec.replicas}"]),
      );
      if (n !== 3) throw new Error(`deployment worker has ${n} replicas, not yet 3`);
      return n;
    }, 90_000);
    expect(replicas).toBe(3);
    const hpa = JSON.parse(await kubectl(["get", "hpa", "keda-hpa-worker", "-n", "scaled", "-o", "json"]));
    expect(hpa.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "ScalingActive", status: "True", reason: "ValidMetricFound" }),
      ]),
    );
  });

  it("fails a ScaledObject KEDA cannot evaluate with KEDA's own words (an unreachable /queue)", async () => {
    const kube = new Kube(info?.kubeconfig ?? "");
    await kubectl(["create", "namespace", "asleep"]);
    const target = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "ollama-premium" } };
    await kubectl(
      ["apply", "-n", "asleep", "-f", "-"],
      JSON.stringify({
        ...target,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "premium" } },
          template: {
            metadata: { labels: { app: "premium" } },
            spec: { containers: [{ name: "ollama", image: "registry.example/ollama:1.0.0" }] },
          },
        },
      }),
    );
    await kubectl(
      ["apply", "-n", "asleep", "-f", "-"],
      JSON.stringify({
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "ollama-premium" },
        spec: {
          scaleTargetRef: { name: "ollama-premium" },
          pollingInterval: 5,
          minReplicaCount: 0,
          maxReplicaCount: 1,
          triggers: [
            {
              type: "metrics-api",
              metadata: {
                // Nothing listens on port 1: KEDA's request is refused.
                url: "http://127.0.0.1:1/queue",
                format: "json",
                valueLocation: "asleep/ollama-premium.Concurrency",
                targetValue: "2",
              },
            },
          ],
        },
      }),
    );
    const failure = await eventually(async () => {
      const err = await scaledObjectHealthy(kube, "asleep").then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      if (!err) throw new Error("KEDA has not failed the ScaledObject yet");
      return err.message;
    }, 90_000);
    expect(failure).toMatch(/^KEDA cannot evaluate ScaledObject asleep\/ollama-premium: TriggerError: /);
    expect(failure).toContain("127.0.0.1:1");
  });

  it("reports the controllers among the cluster's components, and stops them on down", async () => {
    const status = await clusterStatus({ name });
    expect(status.state).toBe("running");
    const controllers = status.components.filter((c) =>
      ["metrics-server", "keda-operator", "keda-adapter"].includes(c.name),
    );
    expect(controllers.map((c) => [c.name, c.alive])).toEqual([
      ["metrics-server", true],
      ["keda-operator", true],
      ["keda-adapter", true],
    ]);
    const pids = controllers.map((c) => c.pid as number);
    await clusterDown({ name });
    for (const pid of pids) expect(() => process.kill(pid, 0), `pid ${pid} still exists`).toThrow();
  });
});

describe("a controller that cannot start", { timeout: 180_000 }, () => {
  const name = `controller-fails-${unique}`;
  afterAll(async () => {
    await clusterDown({ name });
  }, 60_000);

  it("fails the start-up naming itself with its last log lines, and leaves no process running", async () => {
    // metrics-server refuses a resolution under 10 s and exits: a real start failure of the real binary.
    const up = clusterUp({
      name,
      controllers: ["metrics-server"],
      controllerArgs: { "metrics-server": ["--metric-resolution=1s"] },
    });
    const err = await up.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ClusterStartError);
    const message = (err as Error).message;
    expect(message).toMatch(/^cluster "controller-fails-[^"]+": metrics-server exited \(code \d+\) during start-up/);
    expect(message).toContain("--- last lines of");
    expect(message).toContain("metric-resolution should be a time duration at least 10s");
    const status = await clusterStatus({ name });
    expect(status.components.filter((c) => c.alive).map((c) => c.name)).toEqual([]);
  });
});

describe("Karpenter that cannot start", { timeout: 180_000 }, () => {
  const name = `karpenter-fails-${unique}`;
  afterAll(async () => {
    await clusterDown({ name });
  }, 60_000);

  it("fails the start-up naming itself with its last log lines, and leaves no process running", async () => {
    // A duration Karpenter cannot parse: its option parsing stops the real binary at start.
    const err = await clusterUp({
      name,
      controllers: ["karpenter"],
      controllerArgs: { karpenter: ["--batch-max-duration=soon"] },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, String(err)).toBeInstanceOf(ClusterStartError);
    const message = (err as Error).message;
    expect(message).toMatch(/^cluster "karpenter-fails-[^"]+": karpenter exited \(code \d+\) during start-up/);
    expect(message).toContain("--- last lines of");
    expect(message).toContain("soon");
    const status = await clusterStatus({ name });
    expect(status.components.filter((c) => c.alive).map((c) => c.name)).toEqual([]);
  });
});

describe.runIf(process.getuid?.() === 0)("metrics-server with a real node", { timeout: 300_000 }, () => {
  const name = `controllers-node-${unique}`;
  let info: ClusterInfo | undefined;
  const kubectl = kubectlFor(() => info);

  beforeAll(async () => {
    info = await clusterUp({ name, realNodes: [standardNode], controllers: ["metrics-server"] });
  }, 600_000);

  afterAll(async () => {
    await clusterDown({ name });
  }, 120_000);

  it("reports the node's usage, scraped from its kubelet", async () => {
    const metrics = await eventually(
      async () =>
        JSON.parse(await kubectl(["get", "--raw", `/apis/metrics.k8s.io/v1beta1/nodes/${standardNode.name}`])),
      120_000,
    );
    expect(metrics.kind).toBe("NodeMetrics");
    expect(metrics.usage.cpu).toMatch(/^\d+(n|u|m)?$/);
    expect(metrics.usage.memory).toMatch(/^\d+(Ki|Mi)?$/);
  });

  it("reports the usage of the pods on it (CoreDNS)", async () => {
    const pods = await eventually(async () => {
      const list = JSON.parse(
        await kubectl(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods"]),
      );
      if (list.items.length === 0) throw new Error("no pod metrics yet");
      return list;
    }, 120_000);
    expect(pods.items.map((p: { metadata: { name: string } }) => p.metadata.name).join(" ")).toMatch(/coredns/);
  });
});
