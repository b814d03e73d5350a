/**
 * Whether a release's workloads came up, and where: Deployments available (at their autoscaler's minimum, which
 * the real HPA controller enforces even without metrics), pods on the node tier their component belongs on, and
 * definite failures (pods refused by admission) spotted while Helm still waits.
 */
import type { Deployment, HorizontalPodAutoscaler, Named, Node, Pod, ReplicaSet } from "../../charts-src/lib/k8s.js";
import type { Kube } from "./kube.js";
import { sleep } from "../lib/wait.js";

const gpuTaintKey = "nvidia.com/gpu";

export interface NodeInfo {
  name: string;
  tier?: string;
  pool?: string;
  zone?: string;
  gpu: boolean;
}

export const nodeInfo = (n: Named<Node>): NodeInfo => {
  const labels = n.metadata.labels ?? {};
  const taints = n.spec?.taints ?? [];
  const gpus = Number(n.status?.allocatable?.[gpuTaintKey] ?? 0);
  return {
    name: n.metadata.name,
    tier: labels["llmcharts.io/node-tier"],
    pool: labels["karpenter.sh/nodepool"],
    zone: labels["topology.kubernetes.io/zone"],
    gpu: gpus > 0 || labels["nvidia.com/gpu.present"] === "true" || taints.some((t) => t.key === gpuTaintKey),
  };
};

export interface DeploymentState {
  name: string;
  namespace: string;
  desired: number;
  replicas: number;
  available: number;
  ready: boolean;
}

/** Each Deployment's state; `desired` is the larger of its replicas and its HPA's minReplicas. */
export const deploymentStates = async (kube: Kube, namespace: string): Promise<DeploymentState[]> => {
  const [deployments, hpas] = await Promise.all([
    kube.list<Deployment>("deployments", namespace),
    kube.list<HorizontalPodAutoscaler>("horizontalpodautoscalers", namespace),
  ]);
  return deployments.map((d) => {
    const hpa = hpas.find(
      (h) => h.spec?.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === d.metadata.name,
    );
    const replicas = Number(d.spec?.replicas ?? 1);
    const desired = Math.max(replicas, Number(hpa?.spec?.minReplicas ?? 0));
    const available = Number(d.status?.availableReplicas ?? 0);
    const updated = Number(d.status?.updatedReplicas ?? 0);
    return {
      name: d.metadata.name,
      namespace,
      desired,
      replicas,
      available,
      ready: replicas >= desired && available >= replicas && updated >= replicas,
    };
  });
};

/** Why pods of a namespace are not running: unschedulable reasons and ReplicaSet creation failures. */
export const whyNotRunning = async (kube: Kube, namespace: string): Promise<string[]> => {
  const reasons: string[] = [];
  for (const rs of await kube.list<ReplicaSet>("replicasets", namespace)) {
    for (const c of rs.status?.conditions ?? []) {
      if (c.type === "ReplicaFailure" && c.status === "True")
        reasons.push(`ReplicaSet ${rs.metadata.name}: ${c.message}`);
    }
  }
  for (const pod of await kube.list<Pod>("pods", namespace)) {
    if (pod.status?.phase !== "Pending") continue;
    const cond = (pod.status?.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
    reasons.push(`Pod ${pod.metadata.name} pending${cond ? `: ${cond.message}` : ""}`);
  }
  return reasons;
};

/** Waits until every Deployment of the namespaces is available; throws naming what is not, and why. */
export const waitAvailable = async (
  kube: Kube,
  namespaces: string[],
  timeoutMs = 60_000,
): Promise<DeploymentState[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = (await Promise.all(namespaces.map((ns) => deploymentStates(kube, ns)))).flat();
    const waiting = states.filter((s) => !s.ready);
    if (waiting.length === 0) return states;
    if (Date.now() > deadline) {
      const why = (await Promise.all(namespaces.map((ns) => whyNotRunning(kube, ns)))).flat();
      throw new Error(
        `not available after ${timeoutMs / 1000}s: ${waiting
          .map((w) => `${w.namespace}/${w.name} (${w.available}/${w.desired})`)
          .join(", ")}${why.length ? `\n${why.join("\n")}` : ""}`,
      );
    }
    await sleep(500);
  }
};

/**
 * Watches namespaces while Helm waits: rejects as soon as a ReplicaSet cannot create pods because admission refused
 * them (Pod Security or a ValidatingAdmissionPolicy: waiting cannot help), or any creation failure lasts 15 s.
 * Resolves (quietly) when `signal` aborts.
 */
export const watchReplicaFailures = async (kube: Kube, namespaces: string[], signal: AbortSignal): Promise<void> => {
  const firstSeen = new Map<string, number>();
  while (!signal.aborted) {
    for (const ns of namespaces) {
      const replicaSets = await kube.list<ReplicaSet>("replicasets", ns).catch(() => [] as Named<ReplicaSet>[]);
      for (const rs of replicaSets) {
        const failure = (rs.status?.conditions ?? []).find((c) => c.type === "ReplicaFailure" && c.status === "True");
        const key = `${ns}/${rs.metadata.name}`;
        if (!failure) {
          firstSeen.delete(key);
          continue;
        }
        const since = firstSeen.get(key) ?? Date.now();
        firstSeen.set(key, since);
        const definite = /ValidatingAdmissionPolicy|violates PodSecurity/.test(String(failure.message));
        if (definite || Date.now() - since > 15_000) {
          throw new Error(`ReplicaSet ${key} cannot create pods: ${failure.message}`);
        }
      }
    }
    await sleep(1000);
  }
};

export interface Placement {
  pod: string;
  component: string;
  node: NodeInfo;
}

/** Where each running pod of a namespace landed (test hook pods left out). */
export const placements = async (kube: Kube, namespace: string): Promise<Placement[]> => {
  const [pods, nodes] = await Promise.all([kube.list<Pod>("pods", namespace), kube.list<Node>("nodes")]);
  const byName = new Map(nodes.map((n) => [n.metadata.name, nodeInfo(n)]));
  return pods.flatMap((p) => {
    const nodeName = p.spec?.nodeName;
    if (!nodeName || p.metadata.annotations?.["helm.sh/hook"] || p.status?.phase !== "Running") return [];
    const component = p.metadata.labels?.["app.kubernetes.io/component"] ?? "";
    return [{ pod: p.metadata.name, component, node: byName.get(nodeName) ?? { name: nodeName, gpu: false } }];
  });
};
