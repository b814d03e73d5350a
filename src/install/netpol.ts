/**
 * The isolation proof: the live Namespaces, Pods and NetworkPolicies, dumped into a directory with a few stand-in
 * peers (the ingress controller, DNS, Prometheus and the platform's health prober, KEDA's operator, an unrelated
 * workload), analysed by np-guard's netpol-analyzer (`k8snetpolicy list --dirpath … -o json`, pinned), which lists
 * every connection the policies allow.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { run } from "../lib/run.js";
import { requireBin } from "../toolchain/tools.js";
import type { Deployment, KubeObject, Named, NetworkPolicy, Pod } from "../../charts-src/lib/k8s.js";
import { healthProber } from "../../charts-src/lib/tenant-namespace.js";
import type { Kube } from "../harness/kube.js";

export interface Connection {
  src: string;
  dst: string;
  conn: string;
}

/** A peer of a connection: a workload (namespace, name) or an address range. */
export interface Peer {
  namespace?: string;
  /** Workload name with the ReplicaSet hash removed (e.g. openwebui). */
  workload?: string;
  ipRange?: string;
}

/** Whether np-guard's connection text (`TCP 8080,9464`, `TCP 1-65535`, `All Connections`) admits TCP `port`. */
export const admitsTcp = (conn: string, port: number): boolean =>
  conn === "All Connections" ||
  (/TCP ([0-9,-]+)/.exec(conn)?.[1] ?? "").split(",").some((p) => {
    const [low = "", high = low] = p.split("-");
    return Number(low) <= port && port <= Number(high);
  });

/** `ns/openwebui-6b48d7c4cc[ReplicaSet]` → {ns, openwebui}; `10.0.0.0-10.0.0.255` → ipRange. */
export const parsePeer = (s: string): Peer => {
  const m = /^([^/]+)\/([^[]+)\[(\w+)\]$/.exec(s);
  if (!m) return { ipRange: s };
  const [, namespace, name = "", kind] = m;
  const workload = kind === "ReplicaSet" ? name.replace(/-[a-z0-9]{6,10}$/, "") : name;
  return { namespace, workload };
};

const clean = <T extends KubeObject>(o: Named<T>): Named<T> => {
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
};

/**
 * The API server copies its node's topology labels onto each bound Pod, so the Pods of one ReplicaSet spread over
 * two zones differ in labels; np-guard 1.4.4 then panics (nil selector in selectorContainsGapLabel) on any policy
 * rule with a namespaceSelector and no podSelector that selects them. No policy here selects on these labels, so
 * they are dropped from the dump.
 */
const withoutTopologyLabels = (pod: Named<Pod>): Named<Pod> => {
  const labels = Object.fromEntries(
    Object.entries(pod.metadata.labels ?? {}).filter(([k]) => !k.startsWith("topology.kubernetes.io/")),
  );
  return { ...pod, metadata: { ...pod.metadata, labels } };
};

/** Workloads standing in for the cluster's shared services, so that their allowed connections show too. */
const peers = (): Named<Deployment>[] =>
  [
    ["ingress-nginx", "ingress-nginx-controller"],
    ["kube-system", "coredns"],
    ["monitoring", "prometheus"],
    // The platform's health prober: its name is its app.kubernetes.io/name, the label tenants admit it by.
    ["monitoring", healthProber.podLabels["app.kubernetes.io/name"]],
    ["keda", "keda-operator"],
    ["default", "unrelated-app"],
  ].map(([namespace = "", name = ""]) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { "app.kubernetes.io/name": name } },
    spec: {
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": name } },
        spec: { containers: [{ name, image: "registry.example/peer:1", ports: [{ containerPort: 8080 }] }] },
      },
    },
  }));

/** Dumps what the analyzer reads into `dir`: live Namespaces, running Pods, NetworkPolicies, and the stand-in peers. */
export const dumpForAnalysis = async (kube: Kube, dir: string): Promise<void> => {
  mkdirSync(dir, { recursive: true });
  const namespaces = (await kube.list("namespaces")).map(clean);
  const peerObjects = peers();
  for (const ns of new Set(peerObjects.map((p) => p.metadata.namespace as string))) {
    if (!namespaces.some((n) => n.metadata.name === ns)) {
      namespaces.push({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } },
      });
    }
  }
  const pods = (await kube.list<Pod>("pods", "*"))
    .filter((p) => p.status?.phase === "Running")
    .map(clean)
    .map(withoutTopologyLabels);
  const policies = (await kube.list<NetworkPolicy>("networkpolicies", "*")).map(clean);
  const zonal = policies.filter((p) => JSON.stringify(p.spec).includes("topology.kubernetes.io/"));
  if (zonal.length > 0) {
    throw new Error(
      `NetworkPolicies select on topology labels, which the dump drops: ${zonal.map((p) => p.metadata.name).join(", ")}`,
    );
  }
  const write = (file: string, objects: Named[]) =>
    writeFileSync(join(dir, file), objects.map((o) => stringify(o)).join("---\n"));
  write("namespaces.yaml", namespaces);
  write("pods.yaml", pods);
  write("networkpolicies.yaml", policies);
  write("peers.yaml", peerObjects);
};

/** Every connection the NetworkPolicies allow, as np-guard lists them. */
export const analyze = async (dir: string): Promise<Connection[]> => {
  const res = await run(requireBin("k8snetpolicy"), ["list", "--dirpath", dir, "-o", "json", "-q"]);
  if (res.exitCode !== 0) throw new Error(`k8snetpolicy list failed (exit ${res.exitCode}):\n${res.stderr}`);
  return JSON.parse(res.stdout || "[]") as Connection[];
};
