/**
 * Scenario karpenter: Karpenter (kwok provider, the project's instance catalog) makes the nodes of the nodepools
 * chart's own NodePools, as `helm install` renders them with the kwok node class: a release of its own (`karp`), so
 * that its pools are the only ones Karpenter manages and the probe pods, which select a pool by name, can run on no
 * other node. A pending standard pod gets a standard node; a premium pod a spot GPU node of the premium pool, or an
 * on-demand one of the fallback pool where the catalog has no spot GPU; pods of the extra GPU pools nodes of that pool
 * only; a pod asking for a MIG slice a node of the MIG pool whose NodeOverlay declares that slice; a pod beyond a pool's GPU limit, or of a pool no catalog instance satisfies, stays Pending with Karpenter's
 * event; premium drains to zero after consolidateAfter; a deleted NodeClaim (a spot reclaim) is replaced and its pod
 * moves.
 */
import { join } from "node:path";
import { catalogZones, gpuSpotZones } from "../../../charts-src/lib/instance-catalog.js";
import type { Named, Node, NodePool, Toleration } from "../../../charts-src/lib/k8s.js";
import type { Recorder } from "../../harness/recorder.js";
import { until } from "../../lib/wait.js";
import type { InstallContext, InstallScenario } from "../context.js";
import {
  describeNode,
  karpenterEvidence,
  label,
  type Placed,
  poolNodes,
  probeDeployment,
  probeNamespace,
  probePods,
  waitPlaced,
} from "../karpenter.js";
import { nodepoolsSiteValues, nodepoolsValues } from "../releases.js";

/** The nodepools release whose NodePools Karpenter manages (their node class is the kwok provider's). */
export const karpenterRelease = "karp";
const pool = (name: string) => `${karpenterRelease}-${name}`;

const gpuToleration: Toleration = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
const tolerate = (key: string): Toleration => ({ key, operator: "Exists", effect: "NoSchedule" });

/** The seed GPU pools each probe selects, with the families the install values give them (test/install/values). */
const extraPools = [
  { probe: "a100-shared", pool: pool("a100-shared"), families: ["p4d"], taint: "gpu" },
  { probe: "h100", pool: pool("h100"), families: ["p5"], taint: "gpu" },
] as const;

const premiumPools = [pool("premium-spot"), pool("premium-on-demand")];

const seconds = (ms: number) => ms / 1000;

/** The chart's NodePools as Karpenter sees them: each Ready (its node class found and Ready). */
const checkPoolsReady = async (ctx: InstallContext, r: Recorder): Promise<void> => {
  const { kube } = ctx.need();
  const mine = async () =>
    (await kube.list<NodePool>("nodepools.karpenter.sh")).filter((p) =>
      p.metadata.name.startsWith(`${karpenterRelease}-`),
    );
  const ready = (p: Named<NodePool>) =>
    ((p as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).some(
      (c) => c.type === "Ready" && c.status === "True",
    );
  await r.step("the chart's NodePools (kwok node class) Ready in Karpenter", async () => {
    try {
      await until("every karp-* NodePool Ready", async () => (await mine()).every(ready), 60_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${await karpenterEvidence(kube, "-", karpenterLog(ctx))}`);
    }
  });
  const pools = await mine();
  r.note(`NodePools: ${pools.map((p) => `${p.metadata.name} → ${p.spec.template.spec.nodeClassRef.kind}`).join(", ")}`);
};

const karpenterLog = (ctx: InstallContext): string | undefined =>
  ctx.info ? join(ctx.info.stateDir, "logs", "karpenter.log") : undefined;

/** Applies a probe Deployment and waits until its pods are on Ready nodes; the figure is pending → node Ready. */
const placeProbe = async (
  ctx: InstallContext,
  r: Recorder,
  what: string,
  probe: Parameters<typeof probeDeployment>[0],
): Promise<{ placed: Placed[]; ms: number } | undefined> => {
  const { kube } = ctx.need();
  const t0 = Date.now();
  const placed = await r.step(what, async () => {
    await kube.apply([probeDeployment(probe)]);
    return waitPlaced(kube, probe.name, { count: probe.replicas ?? 1, log: karpenterLog(ctx) });
  });
  if (!placed) return undefined;
  r.note(`${probe.name}: ${placed.map((p) => `${p.pod} → ${describeNode(p.node)}`).join(", ")}`);
  return { placed, ms: Date.now() - t0 };
};

/** A pending standard pod: Karpenter launches a node of the standard pool, from its families, in its zones. */
const placeStandard = async (ctx: InstallContext, r: Recorder): Promise<Named<Node> | undefined> => {
  const standard = await placeProbe(ctx, r, "a pending standard pod gets a node of the standard pool", {
    name: "standard",
    pools: [pool("standard")],
  });
  const standardNode = standard?.placed[0]?.node;
  if (standard && standardNode) {
    r.figure("karpenter: pending pod → node Ready (s)", seconds(standard.ms));
    r.check(
      "the standard node: the pool's labels, an m/c/r family, spot (the cheaper of its capacity types), a catalog zone, no GPU, untainted",
      label(standardNode, "llmcharts.io/pool") === "standard" &&
        /^[mcr][0-9]/.test(label(standardNode, "karpenter.k8s.aws/instance-family")) &&
        label(standardNode, "karpenter.sh/capacity-type") === "spot" &&
        (catalogZones as readonly string[]).includes(label(standardNode, "topology.kubernetes.io/zone")) &&
        standardNode.status?.allocatable?.["nvidia.com/gpu"] === undefined &&
        (standardNode.spec?.taints ?? []).length === 0,
      describeNode(standardNode),
    );
  }
  return standardNode;
};

/**
 * A premium pod: the spot pool (weight 100) is tried first, and the catalog has spot GPUs; where it offers no spot GPU
 * (a zone without spot capacity), premium falls back to on-demand.
 */
const placePremium = async (ctx: InstallContext, r: Recorder): Promise<Named<Node> | undefined> => {
  const premium = await placeProbe(ctx, r, "a pending premium pod gets a GPU node of the premium pools", {
    name: "premium",
    pools: premiumPools,
    gpus: { resource: "nvidia.com/gpu", count: 1 },
    tolerations: [gpuToleration],
  });
  const premiumNode = premium?.placed[0]?.node;
  if (premiumNode) {
    r.check(
      "the premium node is spot, of the spot pool, a g5/g6/g6e with an NVIDIA GPU and the GPU taint",
      label(premiumNode, "karpenter.sh/nodepool") === pool("premium-spot") &&
        label(premiumNode, "karpenter.sh/capacity-type") === "spot" &&
        ["g5", "g6", "g6e"].includes(label(premiumNode, "karpenter.k8s.aws/instance-family")) &&
        label(premiumNode, "karpenter.k8s.aws/instance-gpu-manufacturer") === "nvidia" &&
        Number(premiumNode.status?.allocatable?.["nvidia.com/gpu"] ?? 0) > 0 &&
        (premiumNode.spec?.taints ?? []).some((t) => t.key === "nvidia.com/gpu"),
      describeNode(premiumNode),
    );
  }

  // Where the catalog offers no spot GPU (a zone without spot capacity), premium falls back to on-demand.
  const noSpotZone = catalogZones.find((z) => !(gpuSpotZones as readonly string[]).includes(z)) as string;
  const fallback = await placeProbe(
    ctx,
    r,
    `a premium pod in ${noSpotZone}, where the catalog has no spot GPU, gets a node of the on-demand fallback pool`,
    {
      name: "premium-fallback",
      pools: premiumPools,
      zone: noSpotZone,
      gpus: { resource: "nvidia.com/gpu", count: 1 },
      tolerations: [gpuToleration],
    },
  );
  const fallbackNode = fallback?.placed[0]?.node;
  if (fallbackNode)
    r.check(
      `the fallback node is on-demand, of the on-demand pool, in ${noSpotZone}`,
      label(fallbackNode, "karpenter.sh/nodepool") === pool("premium-on-demand") &&
        label(fallbackNode, "karpenter.sh/capacity-type") === "on-demand" &&
        label(fallbackNode, "topology.kubernetes.io/zone") === noSpotZone,
      describeNode(fallbackNode),
    );
  return premiumNode;
};

/** Pods selecting an extra GPU pool get nodes of that pool, of its families only. */
const placeExtraPools = async (ctx: InstallContext, r: Recorder): Promise<void> => {
  for (const extra of extraPools) {
    const placed = await placeProbe(ctx, r, `a pod of the ${extra.probe} pool gets a node of that pool`, {
      name: extra.probe,
      pools: [extra.pool],
      gpus: { resource: "nvidia.com/gpu", count: 1 },
      tolerations: [gpuToleration, tolerate(extra.taint)],
    });
    const node = placed?.placed[0]?.node;
    if (node)
      r.check(
        `the ${extra.probe} node: pool ${extra.pool}, family ${extra.families.join("/")}, tainted ${extra.taint}`,
        label(node, "karpenter.sh/nodepool") === extra.pool &&
          (extra.families as readonly string[]).includes(label(node, "karpenter.k8s.aws/instance-family")) &&
          (node.spec?.taints ?? []).some((t) => t.key === extra.taint),
        describeNode(node),
      );
  }
};

/**
 * The h100 pool's limit is 16 GPUs: two p5.48xlarge (8 each). One pod of 1 GPU holds the first node; a pod of 8 needs
 * a second; the next pod of 8 would be a third node, beyond the limit: it stays Pending.
 */
/** A pod of one whole p5.48xlarge's GPUs (8 H100s) on the h100 pool. */
const eightH100s = (name: string) =>
  probeDeployment({
    name,
    pools: [pool("h100")],
    gpus: { resource: "nvidia.com/gpu", count: 8 },
    tolerations: [gpuToleration, tolerate("gpu")],
  });

const checkPoolLimit = async (ctx: InstallContext, r: Recorder): Promise<void> => {
  const { kube } = ctx.need();
  await r.step("a pod of 8 H100s gets the pool's second node (16 GPUs, its limit)", async () => {
    await kube.apply([eightH100s("h100-full")]);
    await waitPlaced(kube, "h100-full", { log: karpenterLog(ctx) });
  });
  await r.step(
    "a pod beyond the h100 pool's GPU limit stays Pending, with Karpenter's event naming the limit",
    async () => {
      await kube.apply([eightH100s("h100-over")]);
      let message = "";
      try {
        await until(
          "Karpenter's event on the pod beyond the limit",
          async () => {
            const [pod] = await probePods(kube, "h100-over");
            if (!pod) return false;
            const events = await kube.kubectl([
              "get",
              "events",
              "-n",
              probeNamespace,
              "--field-selector",
              `involvedObject.name=${pod.metadata.name}`,
              "-o",
              "jsonpath={range .items[*]}{.source.component}{' '}{.reason}{': '}{.message}{'\\n'}{end}",
            ]);
            message = events.split("\n").find((l) => /limit/i.test(l)) ?? "";
            return message !== "" && !pod.spec?.nodeName;
          },
          60_000,
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${await karpenterEvidence(kube, "h100-over", karpenterLog(ctx))}`);
      }
      const nodes = await poolNodes(kube, [pool("h100")]);
      r.note(`h100 over the limit: ${aboutOwnPool(message.trim())}; h100 nodes: ${nodes.map(describeNode).join(", ")}`);
      if (nodes.length !== 2) throw new Error(`expected the h100 pool's 2 nodes (16 GPUs), found ${nodes.length}`);
    },
  );
};

/** The premium pods go: the premium pools drain to zero after consolidateAfter (10s in nodepools-kwok.yaml). */
const drainPremium = async (ctx: InstallContext, r: Recorder): Promise<void> => {
  const { kube } = ctx.need();
  const t0 = Date.now();
  await r.step("with its pods gone, the premium pools drain to zero nodes after consolidateAfter", async () => {
    const premiumProbes = ["premium", "premium-fallback"];
    await kube.kubectl([
      "delete",
      "deployment",
      ...premiumProbes,
      "-n",
      probeNamespace,
      "--wait=false",
      "--ignore-not-found",
    ]);
    await until(
      "no premium pod left",
      async () => (await Promise.all(premiumProbes.map((p) => probePods(kube, p)))).every((pods) => pods.length === 0),
      60_000,
    );
    const gone = Date.now();
    try {
      await until("zero premium nodes", async () => (await poolNodes(kube, premiumPools)).length === 0, 120_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${await karpenterEvidence(kube, "premium", karpenterLog(ctx))}`);
    }
    r.figure("karpenter: last premium pod gone → zero premium nodes (s)", seconds(Date.now() - gone));
  });
  r.note(`premium drain, from the delete: ${seconds(Date.now() - t0).toFixed(1)}s`);
};

/** A spot reclaim, as Karpenter sees one: the NodeClaim is deleted; the node is drained and a new one launched. */
const reclaimNode = async (ctx: InstallContext, r: Recorder, standardNode: Named<Node>): Promise<void> => {
  const { kube } = ctx.need();
  await r.step("a deleted NodeClaim (a spot reclaim) is replaced, and its pod moves to the new node", async () => {
    const claim = await claimOf(ctx, standardNode);
    await kube.kubectl(["delete", "nodeclaim", claim, "--wait=false"]);
    const moved = await waitPlaced(kube, "standard", {
      log: karpenterLog(ctx),
      not: [standardNode.metadata.name],
      timeoutMs: 120_000,
    });
    await until(
      "the reclaimed node gone",
      async () => !(await kube.exists("node", standardNode.metadata.name)),
      60_000,
    );
    r.note(
      `reclaimed ${claim} (${standardNode.metadata.name}); the pod moved to ${describeNode(moved[0]?.node as Named<Node>)}`,
    );
  });
};

export const karpenter: InstallScenario = {
  id: "karpenter",
  title: "karpenter: the nodepools chart's NodePools get their nodes from Karpenter (kwok provider, the catalog)",
  run: async (ctx, r) => {
    const { kube, helm } = ctx.need();
    if (!ctx.embedded) {
      r.note("external cluster: its own Karpenter is not driven by this suite");
      return undefined;
    }
    const installed = await r.step(`nodepools installed as ${karpenterRelease} with the kwok node class`, () =>
      helm.install({
        release: karpenterRelease,
        chartDir: ctx.chartDir("nodepools"),
        namespace: "default",
        valuesFiles: [
          ctx.valuesFile(nodepoolsSiteValues),
          ctx.valuesFile(nodepoolsValues),
          ctx.valuesFile("nodepools-kwok.yaml"),
        ],
      }),
    );
    if (installed === undefined) return undefined;
    await checkPoolsReady(ctx, r);
    if (!(await kube.exists("namespace", probeNamespace)))
      await kube.create([{ apiVersion: "v1", kind: "Namespace", metadata: { name: probeNamespace } }]);

    const standardNode = await placeStandard(ctx, r);
    const premiumNode = await placePremium(ctx, r);
    await placeExtraPools(ctx, r);
    // A MIG pool's pods ask for MIG slices, which no EC2 instance type reports: only the chart's NodeOverlay for the
    // pool tells Karpenter that its nodes will have them.
    await placeMigPools(ctx, r);
    await checkPoolLimit(ctx, r);
    // Bad input: a NodePool no catalog instance satisfies (premium on p5e, which the catalog does not hold).
    await checkUnsatisfiablePool(ctx, r);

    // The premium pods go: the premium pools drain to zero after consolidateAfter (10s in nodepools-kwok.yaml).
    if (premiumNode) await drainPremium(ctx, r);
    // A spot reclaim, as Karpenter sees one: the NodeClaim is deleted; the node is drained and a new one launched.
    if (standardNode) await reclaimNode(ctx, r, standardNode);
    return undefined;
  },
};

/** The release whose only pool asks for a family the catalog lacks. */
const unsatisfiableRelease = "karp-p5e";

/**
 * A NodePool of the chart that no instance of the catalog satisfies: its pod stays Pending, and Karpenter's event on
 * it says that no instance type fits. The release is removed afterwards.
 */
const checkUnsatisfiablePool = async (ctx: InstallContext, r: Recorder): Promise<void> => {
  const { kube, helm } = ctx.need();
  const poolName = `${unsatisfiableRelease}-premium-spot`;
  await r.step(
    `a NodePool no catalog instance satisfies (p5e): Karpenter's NoCompatibleInstanceTypes event, its pod Pending`,
    async () => {
      await helm.install({
        release: unsatisfiableRelease,
        chartDir: ctx.chartDir("nodepools"),
        namespace: "default",
        valuesFiles: [
          ctx.valuesFile(nodepoolsSiteValues),
          ctx.valuesFile("nodepools-kwok.yaml"),
          ctx.valuesFile("nodepools-unsatisfiable.yaml"),
        ],
      });
      const name = "p5e";
      await kube.apply([
        probeDeployment({
          name,
          pools: [poolName],
          gpus: { resource: "nvidia.com/gpu", count: 1 },
          tolerations: [gpuToleration],
        }),
      ]);
      let said = "";
      try {
        await until(
          "Karpenter's NoCompatibleInstanceTypes event on the p5e NodePool, its pod Pending",
          async () => {
            const [pod] = await probePods(kube, name);
            if (!pod || pod.spec?.nodeName) return false;
            said = await kube.kubectl([
              "get",
              "events",
              "--all-namespaces",
              "--field-selector",
              `involvedObject.kind=NodePool,involvedObject.name=${poolName},reason=NoCompatibleInstanceTypes`,
              "-o",
              "jsonpath={.items[-1:].message}",
            ]);
            return said !== "";
          },
          60_000,
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${await karpenterEvidence(kube, name, karpenterLog(ctx))}`);
      }
      const [pod] = await probePods(kube, name);
      if (pod?.spec?.nodeName) throw new Error(`the p5e pod got node ${pod.spec.nodeName}`);
      r.note(`NodePool ${poolName}: NoCompatibleInstanceTypes: ${said}`);
      await kube.kubectl(["delete", "deployment", name, "-n", probeNamespace, "--wait=false"]);
      await helm.uninstall(unsatisfiableRelease, "default");
    },
  );
};

/** The release holding an H100 MIG pool (the seed pools' MIG pools are A100s): test/install/values. */
const h100MigRelease = "karp-mig";

/**
 * Pods asking for a MIG slice, each free to run on any pool of its GPU kind: Karpenter can launch for them only
 * through the chart's NodeOverlay of the pool whose layout makes that slice, so the pod lands on that pool's node.
 */
const migProbes = [
  {
    probe: "a100-mig",
    resource: "nvidia.com/mig-1g.10gb",
    pool: pool("a100-mig-1g-10gb"),
    family: "p4de",
    // Every A100 pool of the release: time-sliced (p4d) and the three MIG layouts (p4de).
    candidates: ["a100-shared", "a100-mig-1g-10gb", "a100-mig-2g-20gb", "a100-mig-3g-40gb"].map(pool),
  },
  {
    probe: "h100-mig",
    resource: "nvidia.com/mig-3g.40gb",
    pool: `${h100MigRelease}-h100-mig-3g-40gb`,
    family: "p5",
    // Both H100 pools: whole GPUs (p5, this release) and MIG 3g.40gb (p5, its own release).
    candidates: [pool("h100"), `${h100MigRelease}-h100-mig-3g-40gb`],
  },
] as const;

interface OverlayStatus {
  metadata: { name: string };
  spec: { capacity?: Record<string, string> };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

/**
 * The MIG pools' NodeOverlays, as Karpenter judged them (ValidationSucceeded), then one probe per GPU kind: each gets
 * an on-demand node of the MIG pool of its profile, of the pool's family, tainted for MIG.
 */
const placeMigPools = async (ctx: InstallContext, r: Recorder): Promise<void> => {
  const { kube, helm } = ctx.need();
  const installed = await r.step(`nodepools installed as ${h100MigRelease}: one H100 MIG pool (3g.40gb)`, () =>
    helm.install({
      release: h100MigRelease,
      chartDir: ctx.chartDir("nodepools"),
      namespace: "default",
      valuesFiles: [
        ctx.valuesFile(nodepoolsSiteValues),
        ctx.valuesFile("nodepools-kwok.yaml"),
        ctx.valuesFile("nodepools-h100-mig.yaml"),
      ],
    }),
  );
  if (installed === undefined) return;
  const migPools = migProbes.map((m) => m.pool);
  await r.step("Karpenter validated the MIG pools' NodeOverlays (the chart's, one per pool)", async () => {
    let overlays: OverlayStatus[] = [];
    const validated = (o: OverlayStatus) =>
      (o.status?.conditions ?? []).some((c) => c.type === "ValidationSucceeded" && c.status === "True");
    try {
      await until(
        "the MIG pools' NodeOverlays ValidationSucceeded",
        async () => {
          overlays = (
            await kube.list<OverlayStatus & { apiVersion: string; kind: string }>("nodeoverlays.karpenter.sh")
          ).filter((o) => migPools.includes(o.metadata.name));
          return overlays.length === migPools.length && overlays.every(validated);
        },
        60_000,
      );
    } catch (err) {
      const states = overlays.map((o) => `${o.metadata.name}: ${JSON.stringify(o.status?.conditions ?? [])}`);
      throw new Error(
        `${(err as Error).message}\n${states.join("\n")}\n${await karpenterEvidence(kube, "-", karpenterLog(ctx))}`,
      );
    }
    r.note(
      `NodeOverlays: ${overlays.map((o) => `${o.metadata.name} ${JSON.stringify(o.spec.capacity ?? {})}`).join(", ")}`,
    );
  });
  for (const mig of migProbes) {
    const placed = await placeProbe(
      ctx,
      r,
      `a pod asking for ${mig.resource}, free to use any of ${mig.candidates.join(", ")}, gets a node of ${mig.pool}`,
      {
        name: mig.probe,
        pools: [...mig.candidates],
        gpus: { resource: mig.resource, count: 1 },
        tolerations: [gpuToleration, tolerate("gpu")],
      },
    );
    const node = placed?.placed[0]?.node;
    if (!placed || !node) continue;
    r.figure(`karpenter: pending ${mig.probe} pod → node Ready (s)`, seconds(placed.ms));
    r.check(
      `the ${mig.probe} node: pool ${mig.pool} only, family ${mig.family}, on-demand, its MIG layout label, tainted gpu=mig`,
      label(node, "karpenter.sh/nodepool") === mig.pool &&
        label(node, "karpenter.k8s.aws/instance-family") === mig.family &&
        label(node, "karpenter.sh/capacity-type") === "on-demand" &&
        label(node, "nvidia.com/mig.config") === `all-${mig.resource.replace("nvidia.com/mig-", "")}` &&
        (node.spec?.taints ?? []).some((t) => t.key === "gpu" && t.value === "mig"),
      describeNode(node),
    );
  }
  await kube.kubectl(["delete", "deployment", ...migProbes.map((m) => m.probe), "-n", probeNamespace, "--wait=false"]);
  await helm.uninstall(h100MigRelease, "default");
};

/**
 * The part of Karpenter's scheduling message about the pod's own pool: it lists why every NodePool refused the pod,
 * and the other pools refuse it only for the pod's pool selector.
 */
const aboutOwnPool = (message: string): string =>
  message
    .replace(/^\S+ FailedScheduling: /, "")
    .split("; ")
    .filter((part) => !/^(Failed to schedule pod, )?incompatible requirements, key karpenter\.sh\/nodepool/.test(part))
    .join("; ");

/** The NodeClaim a node belongs to (its providerID is the NodeClaim's). */
const claimOf = async (ctx: InstallContext, node: Named<Node>): Promise<string> => {
  const { kube } = ctx.need();
  const claims = await kube.list<{
    apiVersion: string;
    kind: string;
    metadata: { name: string };
    status?: { nodeName?: string };
  }>("nodeclaims.karpenter.sh");
  const claim = claims.find((c) => c.status?.nodeName === node.metadata.name);
  if (!claim) throw new Error(`no NodeClaim for node ${node.metadata.name}`);
  return claim.metadata.name;
};
