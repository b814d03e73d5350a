/**
 * What the Karpenter scenario asks of the cluster: probe workloads that select one of the nodepools chart's NodePools
 * by name (so that only a node Karpenter launches for that pool can take them, never a stand-in node), and waits on
 * what Karpenter does, each with a deadline, each failure carrying Karpenter's own events and conditions.
 */
import type { Deployment, Named, Node, Pod, Toleration } from "../../charts-src/lib/k8s.js";
import { tailFile } from "../cluster/processes.js";
import type { Kube } from "../harness/kube.js";
import { until } from "../lib/wait.js";

/** The namespace of the probe workloads: no tenant's, so the platform's tenant admission policies leave it alone. */
export const probeNamespace = "karpenter-probe";

export interface Probe {
  /** Deployment name, and its pods' `app` label. */
  name: string;
  /** The NodePools (by name) its pods may run on. */
  pools: string[];
  /** The zone its pods must run in. */
  zone?: string;
  /** GPU resource and count each pod asks for. */
  gpus?: { resource: string; count: number };
  replicas?: number;
  tolerations?: Toleration[];
}

/** A Deployment whose pods need a node of one of `pools`: Karpenter must launch one (or find one it launched). */
export const probeDeployment = (p: Probe): Named<Deployment> => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: p.name, namespace: probeNamespace },
  spec: {
    replicas: p.replicas ?? 1,
    selector: { matchLabels: { app: p.name } },
    template: {
      metadata: { labels: { app: p.name } },
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: "karpenter.sh/nodepool", operator: "In", values: p.pools },
                    ...(p.zone
                      ? [{ key: "topology.kubernetes.io/zone", operator: "In" as const, values: [p.zone] }]
                      : []),
                  ],
                },
              ],
            },
          },
        },
        tolerations: p.tolerations ?? [],
        // Nothing runs it (kwok fakes the pod), but it is an image the lab builds, never pulled.
        containers: [
          {
            name: "probe",
            image: "registry.k8s.io/pause:3.10",
            imagePullPolicy: "Never",
            resources: {
              requests: { cpu: "1", memory: "1Gi", ...(p.gpus ? { [p.gpus.resource]: String(p.gpus.count) } : {}) },
              limits: p.gpus ? { [p.gpus.resource]: String(p.gpus.count) } : {},
            },
          },
        ],
        terminationGracePeriodSeconds: 5,
      },
    },
  },
});

/** The probe's live pods (not terminating). */
export const probePods = async (kube: Kube, name: string): Promise<Named<Pod>[]> =>
  (await kube.list<Pod>("pods", probeNamespace, `app=${name}`)).filter((p) => !p.metadata.deletionTimestamp);

const isReady = (n: Named<Node>): boolean =>
  (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

/**
 * Why Karpenter has not done what was waited for: its events on the probe's pods and on NodeClaims, the NodePools'
 * conditions that are not True, and the last lines of its log.
 */
export const karpenterEvidence = async (kube: Kube, probe: string, log?: string): Promise<string> => {
  const lines: string[] = [];
  const events = await kube
    .kubectl([
      "get",
      "events",
      "--all-namespaces",
      "--sort-by=.lastTimestamp",
      "-o",
      "custom-columns=KIND:.involvedObject.kind,NAME:.involvedObject.name,REASON:.reason,MESSAGE:.message",
    ])
    .catch((e: Error) => e.message);
  const relevant = events
    .split("\n")
    .filter((l) => /^(NodeClaim|NodePool|Node)\s/.test(l) || l.includes(probe))
    .slice(-10);
  lines.push("Karpenter's events:", ...relevant.map((l) => `  ${l.replace(/\s+/g, " ")}`));
  for (const pool of await kube.list("nodepools.karpenter.sh").catch(() => [])) {
    const conditions = (
      (pool as { status?: { conditions?: { type: string; status: string; message?: string }[] } }).status?.conditions ??
      []
    ).filter((c) => c.status !== "True");
    if (conditions.length > 0)
      lines.push(
        `NodePool ${pool.metadata.name}: ${conditions.map((c) => `${c.type}=${c.status} ${c.message ?? ""}`).join("; ")}`,
      );
  }
  if (log) lines.push(`last lines of ${log}:`, tailFile(log));
  return lines.join("\n");
};

export interface Placed {
  pod: string;
  node: Named<Node>;
}

/**
 * Waits until `count` pods of the probe are bound to Ready nodes; returns where. On the deadline, throws with
 * Karpenter's evidence.
 */
export const waitPlaced = async (
  kube: Kube,
  probe: string,
  opts: { count?: number; timeoutMs?: number; log?: string; not?: string[] } = {},
): Promise<Placed[]> => {
  const count = opts.count ?? 1;
  let placed: Placed[] = [];
  try {
    await until(
      `${count} pod(s) of ${probeNamespace}/${probe} on Ready nodes Karpenter launched`,
      async () => {
        const pods = (await probePods(kube, probe)).filter(
          (p) => p.spec?.nodeName && !(opts.not ?? []).includes(p.spec.nodeName),
        );
        const nodes = await Promise.all(pods.map((p) => kube.get<Node>("node", p.spec?.nodeName as string)));
        placed = pods.map((p, i) => ({ pod: p.metadata.name, node: nodes[i] as Named<Node> }));
        return placed.length >= count && placed.every((p) => isReady(p.node));
      },
      opts.timeoutMs ?? 90_000,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${await karpenterEvidence(kube, probe, opts.log)}`);
  }
  return placed;
};

/** The nodes Karpenter launched for these NodePools (by their `karpenter.sh/nodepool` label). */
export const poolNodes = async (kube: Kube, pools: string[]): Promise<Named<Node>[]> =>
  (await kube.list<Node>("nodes")).filter((n) => pools.includes(n.metadata.labels?.["karpenter.sh/nodepool"] ?? ""));

/** A node's label, for the checks' details. */
export const label = (n: Named<Node>, key: string): string => n.metadata.labels?.[key] ?? "-";

/** How a node reads in a check's detail: name, pool, instance type, capacity type, zone. */
export const describeNode = (n: Named<Node>): string =>
  `${n.metadata.name} (${label(n, "karpenter.sh/nodepool")}, ${label(n, "node.kubernetes.io/instance-type")}, ` +
  `${label(n, "karpenter.sh/capacity-type")}, ${label(n, "topology.kubernetes.io/zone")})`;
