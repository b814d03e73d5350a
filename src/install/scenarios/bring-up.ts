/** Scenario 1: the cluster up, the pinned upstream CRDs Established, kwok nodes for every NodePool in two zones. */
import type { Node, NodePool } from "../../../charts-src/lib/k8s.js";
import { clusterStatus } from "../../cluster/index.js";
import { crdSources } from "../../toolchain/pins.js";
import type { InstallScenario } from "../context.js";
import { installCrds } from "../crds.js";
import type { ReleaseSpec } from "../../harness/helm.js";
import { ofKind, parseManifests } from "../../harness/manifests.js";
import { createPoolNodes, gpuResources } from "../nodes.js";
import { nodepoolsRelease, nodepoolsSiteValues, nodepoolsValues } from "../releases.js";
import { installStandIns } from "../standin-names.js";

export const bringUp: InstallScenario = {
  id: "1",
  title: "bring-up: upstream CRDs Established, kwok nodes per NodePool in two zones",
  withoutCluster: true,
  run: async (ctx, r) => {
    if (!ctx.kube) await r.step("cluster up", () => ctx.up());
    if (!ctx.kube) return undefined;
    const { kube, helm } = ctx.need();
    if (ctx.embedded) {
      const status = await clusterStatus({ name: ctx.clusterName });
      r.check("cluster running", status.state === "running", `${status.state}, api ${status.api}`);
    }
    r.note(`API server ${await kube.serverVersion()}`);

    const crds = await r.timed("CRDs applied server-side and Established", () =>
      r.step("CRDs applied server-side", () => installCrds(kube, { onlyMissing: !ctx.embedded })),
    );
    for (const source of crdSources) {
      const rep = crds?.find((c) => c.source === source.name);
      r.check(
        `CRDs of ${source.name} ${source.version} Established`,
        rep !== undefined && rep.crds.length === source.files.length && rep.established.length === rep.crds.length,
        rep ? `${rep.established.length}/${rep.crds.length}: ${rep.crds.join(", ")}` : "not applied",
      );
    }

    const spec: ReleaseSpec = {
      release: nodepoolsRelease,
      chartDir: ctx.chartDir("nodepools"),
      namespace: "default",
      valuesFiles: [ctx.valuesFile(nodepoolsSiteValues), ctx.valuesFile(nodepoolsValues)],
    };
    const nodePools = ofKind<NodePool>(parseManifests(await helm.template(spec)), "NodePool");
    r.check("nodepools chart renders NodePools", nodePools.length > 0, `${nodePools.length}`);
    if (!ctx.embedded) {
      r.note("external cluster: no kwok nodes made; its own nodes (Karpenter's) serve the pods");
      return { pools: [] };
    }
    for (const what of [installStandIns.karpenter, installStandIns.kubelet, installStandIns.gpu, installStandIns.aws])
      r.standIn(what);
    const pools = await r.step("kwok nodes created and Ready", () =>
      createPoolNodes(kube, nodePools, { zones: 2, perZone: ctx.opts.nodesPerZone ?? 1 }),
    );
    const nodes = await kube.list<Node>("nodes");
    for (const pool of pools ?? []) {
      const mine = nodes.filter((n) => pool.nodes.includes(n.metadata.name));
      const zones = new Set(mine.map((n) => n.metadata.labels?.["topology.kubernetes.io/zone"]));
      const ready = mine.filter((n) =>
        (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
      );
      const gpuOk = mine.every((n) =>
        pool.gpu
          ? gpuResources(n.status?.allocatable).length > 0 &&
            (n.spec?.taints ?? []).some((t) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule")
          : n.status?.allocatable?.["nvidia.com/gpu"] === undefined && (n.spec?.taints ?? []).length === 0,
      );
      r.check(
        `NodePool ${pool.pool}: ${mine.length} Ready nodes in ${zones.size} zones${pool.gpu ? ", GPU and tainted" : ", no GPU, untainted"}`,
        mine.length >= 2 && ready.length === mine.length && zones.size >= 2 && gpuOk,
        mine
          .map(
            (n) =>
              `${n.metadata.name} ${n.metadata.labels?.["topology.kubernetes.io/zone"]} ${n.metadata.labels?.["node.kubernetes.io/instance-type"]}`,
          )
          .join(", "),
      );
    }
    return { pools: pools ?? [] };
  },
};
