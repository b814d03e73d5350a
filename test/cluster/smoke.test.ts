/**
 * Smoke test of the local control plane: a real etcd, kube-apiserver, controller-manager, scheduler and kwok from the
 * pinned toolchain. A pod that tolerates a GPU taint and selects a pool label must be scheduled onto the one matching
 * kwok node and reach Running; after `down` no process of the cluster may remain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClusterInfo, clusterDown, clusterStatus, clusterUp } from "../../src/cluster/index.js";
import { run } from "../../src/lib/run.js";
import { eventually } from "../../src/lib/wait.js";
import { requireBin } from "../../src/toolchain/tools.js";

const name = `smoke-${process.pid}-${Date.now().toString(36)}`;
let info: ClusterInfo | undefined;

const kubectl = async (args: string[], input?: string): Promise<string> => {
  if (!info) throw new Error("the cluster did not start");
  const res = await run(requireBin("kubectl"), ["--kubeconfig", info.kubeconfig, ...args], { input });
  if (res.exitCode !== 0) throw new Error(`kubectl ${args.join(" ")} failed (exit ${res.exitCode}):\n${res.stderr}`);
  return res.stdout;
};

const apply = (manifest: object) => kubectl(["apply", "-f", "-"], JSON.stringify(manifest));

const nodeName = "kwok-gpu-0";

const gpuNode = {
  apiVersion: "v1",
  kind: "Node",
  metadata: {
    name: nodeName,
    annotations: { "kwok.x-k8s.io/node": "fake" },
    labels: {
      "kubernetes.io/hostname": nodeName,
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "llmcharts.io/pool": "premium",
      "topology.kubernetes.io/zone": "zone-a",
      type: "kwok",
    },
  },
  spec: { taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }] },
  status: {
    capacity: { cpu: "32", memory: "256Gi", pods: "110", "nvidia.com/gpu": "1" },
    allocatable: { cpu: "32", memory: "256Gi", pods: "110", "nvidia.com/gpu": "1" },
  },
};

const gpuPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "inference", namespace: "smoke" },
  spec: {
    nodeSelector: { "llmcharts.io/pool": "premium" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
    containers: [
      {
        name: "server",
        image: "registry.example/llm-server:1.0.0",
        resources: {
          requests: { cpu: "2", memory: "8Gi", "nvidia.com/gpu": "1" },
          limits: { memory: "8Gi", "nvidia.com/gpu": "1" },
        },
      },
    ],
  },
};

describe("local cluster", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    info = await clusterUp({ name });
  }, 120_000);

  afterAll(async () => {
    // Always, even when a test failed; a no-op when the last test already took the cluster down.
    await clusterDown({ name });
  }, 60_000);

  it("reports itself running", async () => {
    const status = await clusterStatus({ name });
    expect(status.state).toBe("running");
    expect(status.api).toBe("ok");
    expect(status.components.map((c) => c.alive)).toEqual([true, true, true, true, true]);
  });

  it("serves ValidatingAdmissionPolicy", async () => {
    const resources = await kubectl(["api-resources", "--api-group=admissionregistration.k8s.io", "-o", "name"]);
    expect(resources.split("\n")).toContain("validatingadmissionpolicies.admissionregistration.k8s.io");
  });

  it("runs a GPU pod on the matching kwok node", async () => {
    await kubectl(["create", "namespace", "smoke"]);
    await apply(gpuNode);
    await kubectl(["wait", "--for=condition=Ready", `node/${nodeName}`, "--timeout=60s"]);
    // Pods are admitted once the namespace's default ServiceAccount exists.
    await eventually(() => kubectl(["get", "serviceaccount", "default", "-n", "smoke"]));
    await apply(gpuPod);
    await kubectl(["wait", "--for=jsonpath={.status.phase}=Running", "pod/inference", "-n", "smoke", "--timeout=60s"]);

    const pod = JSON.parse(await kubectl(["get", "pod", "inference", "-n", "smoke", "-o", "json"]));
    expect(pod.spec.nodeName).toBe(nodeName);
    expect(pod.status.phase).toBe("Running");
    expect(pod.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "PodScheduled", status: "True" }),
        expect.objectContaining({ type: "Ready", status: "True" }),
      ]),
    );
    const node = JSON.parse(await kubectl(["get", "node", nodeName, "-o", "json"]));
    expect(node.status.allocatable["nvidia.com/gpu"]).toBe("1");
  });

  it("leaves no process behind after down", async () => {
    const pids = Object.values(info?.pids ?? {});
    expect(pids).toHaveLength(5);
    await clusterDown({ name });
    for (const pid of pids) expect(() => process.kill(pid, 0), `pid ${pid} still exists`).toThrow();
    expect((await clusterStatus({ name })).state).toBe("absent");
  });
});
