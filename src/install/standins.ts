/**
 * What a real cluster's node-side machinery does that the embedded control plane has no component for, done by
 * hand the way that machinery would, in the open:
 * - a volume provisioner: the EBS/EFS CSI provisioners create a PersistentVolume for each claim; here each claim a
 *   rendering creates (that names no volume of its own) gets a pre-bound PersistentVolume before the install, so
 *   the real PV controller binds it and the real scheduler schedules the pods that mount it;
 * - a kubelet finishing a test Pod: kwok's pod-complete stage completes only Pods owned by a Job, so a bare
 *   `helm test` Pod would stay Running forever. Once the real scheduler has bound the test Pod to a node and kwok
 *   has made it Running, its status is set to Succeeded, as the kubelet would when every container exits 0. What it
 *   proves: the test Pod is admitted (Pod Security, admission policies, quota) and scheduled where it may run, and
 *   Helm's test hooks work; not that its HTTP checks would pass (no container runs on a kwok node);
 * - the status two controllers would write, which Argo CD's health of those objects reads: the ingress controller
 *   (not run here) publishing its load balancer's address on each Ingress, and KEDA reporting a ScaledObject Ready in
 *   the namespaces it does not watch (the Argo CD fleet's: on kwok no wake-up proxy answers the wake-up trigger's
 *   /queue, so KEDA would report TriggerError). Written once, where missing; what it proves is everything else Argo
 *   CD's health covers.
 */
import type { Ingress, Named, PersistentVolume, PersistentVolumeClaim, Pod } from "../../charts-src/lib/k8s.js";
import type { Kube } from "../harness/kube.js";
import { eventually, sleep } from "../lib/wait.js";

/** The PersistentVolume a provisioner would create for a claim. */
export const standInVolume = (claim: Named<PersistentVolumeClaim>): Named<PersistentVolume> => {
  const ns = claim.metadata.namespace ?? "default";
  const name = `pvc-${ns}-${claim.metadata.name}`.slice(0, 253);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, labels: { "llmcharts.io/stand-in": "provisioner" } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? "1Gi" },
      accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
      volumeMode: claim.spec?.volumeMode ?? "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      ...(claim.spec?.storageClassName ? { storageClassName: claim.spec.storageClassName } : {}),
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: ns, name: claim.metadata.name },
      hostPath: { path: `/var/lib/llmcharts-stand-in/${ns}/${claim.metadata.name}`, type: "DirectoryOrCreate" },
    },
  };
};

const isClaim = (o: Named): o is Named<PersistentVolumeClaim> => o.kind === "PersistentVolumeClaim";

/** Pre-binds a volume to every claim of a rendering that names none; returns the volume names. */
export const provisionClaims = async (kube: Kube, objects: Named[]): Promise<string[]> => {
  const claims = objects.filter(isClaim).filter((o) => !o.spec?.volumeName);
  if (claims.length === 0) return [];
  const volumes = claims.map(standInVolume);
  await kube.apply(volumes, "llmcharts-stand-in-provisioner");
  return volumes.map((v) => v.metadata.name);
};

export interface CompletedTestPod {
  name: string;
  node: string;
  /** False when something else (a kubelet, a kwok stage) finished the Pod before the stand-in did. */
  byStandIn: boolean;
}

/**
 * Completes the `helm test` Pods of a namespace as a kubelet would once their containers exit 0; runs while `helm
 * test` waits, and stops when `done` settles. A Pod is completed only after it has been Running for `graceMs`
 * without finishing on its own, so a kwok stage that does complete it is seen (byStandIn false).
 */
export const completeTestPods = async (
  kube: Kube,
  namespace: string,
  done: Promise<unknown>,
  { timeoutMs = 60_000, graceMs = 1500 } = {},
): Promise<CompletedTestPod[]> => {
  let finished = false;
  const settle = () => {
    finished = true;
  };
  done.then(settle, settle);
  const runningSince = new Map<string, number>();
  const completed = new Map<string, CompletedTestPod>();
  const deadline = Date.now() + timeoutMs;
  while (!finished && Date.now() < deadline) {
    const pods = await kube.list<Pod>("pods", namespace).catch(() => [] as Named<Pod>[]);
    for (const pod of pods) {
      const name = pod.metadata.name;
      const hook = pod.metadata.annotations?.["helm.sh/hook"] ?? "";
      const node = pod.spec?.nodeName;
      if (!hook.split(",").includes("test") || !pod.spec || !node || completed.has(name)) continue;
      if (pod.status?.phase === "Succeeded" && runningSince.has(name)) {
        completed.set(name, { name, node, byStandIn: false });
        continue;
      }
      if (pod.status?.phase !== "Running") continue;
      const since = runningSince.get(name) ?? Date.now();
      runningSince.set(name, since);
      if (Date.now() - since < graceMs) continue;
      const now = new Date().toISOString();
      const status = {
        phase: "Succeeded",
        conditions: [
          { type: "Ready", status: "False", reason: "PodCompleted", lastTransitionTime: now },
          { type: "ContainersReady", status: "False", reason: "PodCompleted", lastTransitionTime: now },
        ],
        containerStatuses: pod.spec.containers.map((c) => ({
          name: c.name,
          image: c.image,
          imageID: "",
          ready: false,
          restartCount: 0,
          started: false,
          state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } },
        })),
      };
      await eventually(() =>
        kube.kubectl([
          "patch",
          "pod",
          name,
          "-n",
          namespace,
          "--subresource=status",
          "--type=merge",
          "-p",
          JSON.stringify({ status }),
        ]),
      );
      completed.set(name, { name, node, byStandIn: true });
    }
    await sleep(200);
  }
  return [...completed.values()];
};

/** The address a load balancer in front of the ingress controller would have. */
export const standInLoadBalancer = "ingress.stand-in.llmcharts.example.com";

interface Conditioned {
  apiVersion: string;
  kind: string;
  status?: { conditions?: { type: string; status: string }[] };
}

const patchStatus = (kube: Kube, resource: string, o: Named, status: object) =>
  kube.kubectl([
    ...["patch", resource, o.metadata.name, "-n", o.metadata.namespace ?? "default"],
    ...["--subresource=status", "--type=merge", "-p", JSON.stringify({ status })],
  ]);

/**
 * Writes, in these namespaces, the status the ingress controller and KEDA would: an address on every Ingress that
 * has none, a Ready condition on every ScaledObject that has none. Returns the objects written (kind/namespace/name).
 */
export const publishControllerStatus = async (kube: Kube, namespaces: string[]): Promise<string[]> => {
  const written: string[] = [];
  for (const ns of namespaces) {
    for (const ing of await kube.list<Ingress>("ingresses.networking.k8s.io", ns).catch(() => [])) {
      if ((ing.status?.loadBalancer?.ingress ?? []).length > 0) continue;
      await patchStatus(kube, "ingresses.networking.k8s.io", ing, {
        loadBalancer: { ingress: [{ hostname: standInLoadBalancer }] },
      });
      written.push(`Ingress/${ns}/${ing.metadata.name}`);
    }
    for (const so of await kube.list<Conditioned>("scaledobjects.keda.sh", ns).catch(() => [])) {
      if ((so.status?.conditions ?? []).some((c) => c.type === "Ready")) continue;
      const ready = { type: "Ready", status: "True", reason: "ScaledObjectReady", message: "stand-in for KEDA" };
      await patchStatus(kube, "scaledobjects.keda.sh", so, { conditions: [ready] });
      written.push(`ScaledObject/${ns}/${so.metadata.name}`);
    }
  }
  return written;
};

/** Pre-binds a stand-in volume to every claim of these namespaces still without one (claims another tool created). */
export const provisionLiveClaims = async (kube: Kube, namespaces: string[]): Promise<string[]> => {
  const volumes: string[] = [];
  for (const ns of namespaces) {
    const claims = await kube.list<PersistentVolumeClaim>("persistentvolumeclaims", ns).catch(() => []);
    volumes.push(
      ...(await provisionClaims(
        kube,
        claims.filter((c) => c.status?.phase !== "Bound"),
      )),
    );
  }
  return volumes;
};
