/**
 * Karpenter with its kwok cloud provider, as a host process: it watches pending pods, picks an instance type from its
 * catalog for a NodePool that fits them, and "launches" it by creating a NodeClaim and a Node (annotated
 * `kwok.x-k8s.io/node: fake`, so the cluster's kwok controller makes it Ready and runs its pods). It disrupts nodes
 * as it does on AWS: empty and underused ones after consolidateAfter, expired ones, deleted NodeClaims' nodes drained.
 *
 * The catalog is upstream's generic one unless the process is given `--instance-types-file-path` (extra args): the
 * install suite gives it the project's AWS catalog (charts-src/lib/instance-catalog.ts). Karpenter manages only the
 * NodePools whose node class is its provider's: the KWOKNodeClass `default` applied here. It runs with the NodeOverlay
 * feature gate on, so that the MIG pools' NodeOverlays (the nodepools chart's) add their slices to the instance types.
 */
import { existsSync } from "node:fs";
import { eventually } from "../../lib/wait.js";
import { crdSources } from "../../toolchain/pins.js";
import { requireBin } from "../../toolchain/tools.js";
import { httpProbe } from "../probe.js";
import type { ControllerContext } from "./context.js";
import { upstreamFiles } from "./upstream-files.js";

/**
 * Upstream ships Karpenter's RBAC only as Helm templates of its chart (no plain manifests in the module), so its
 * identity is a cluster administrator here: a static token naming its ServiceAccount, in system:masters.
 */
export const karpenterUser = { serviceAccount: "karpenter", namespace: "kube-system", groups: ["system:masters"] };

/** The kwok provider's node class every NodePool under test refers to (the nodepools chart's `nodeClass`). */
export const kwokNodeClass = { group: "karpenter.kwok.sh", kind: "KWOKNodeClass", name: "default" } as const;

export const startKarpenter = async (ctx: ControllerContext): Promise<void> => {
  // Without its catalog Karpenter logs an error and runs on with no instance type at all: refuse before it starts.
  const catalog = ctx
    .extraArgs("karpenter")
    .find((a) => a.startsWith("--instance-types-file-path="))
    ?.slice("--instance-types-file-path=".length);
  if (catalog !== undefined && !existsSync(catalog))
    throw new Error(`karpenter: --instance-types-file-path=${catalog}: no such file; give the instance catalog's path`);
  const crds = crdSources.find((s) => s.name === "karpenter-kwok");
  if (!crds) throw new Error("no Karpenter (kwok) CRD source is pinned (src/toolchain/pins.ts)");
  // The install suite applies every pinned CRD under this field manager too: the same owner, no conflict.
  await ctx.applyFiles(await upstreamFiles(crds.module, crds.version, crds.files), "llmcharts-crds");
  await ctx.crdsEstablished(["kwoknodeclasses.karpenter.kwok.sh"]);
  // Its CRD defaults the Ready condition: what makes the NodePools that refer to it Ready (no controller sets it).
  // Retried: right after its CRD is Established, kubectl's discovery may not know the kind yet.
  await eventually(
    () =>
      ctx.apply(
        [
          {
            apiVersion: `${kwokNodeClass.group}/v1alpha1`,
            kind: kwokNodeClass.kind,
            metadata: { name: kwokNodeClass.name },
            spec: {},
          },
        ],
        "llmcharts-controllers",
      ),
    30_000,
    1000,
  );
  const [probePort = 0, metricsPort = 0] = await ctx.ports(2);
  const kubeconfig = ctx.kubeconfig("karpenter");
  await ctx.start(
    "karpenter",
    requireBin("karpenter-kwok"),
    ["--disable-leader-election", ...ctx.extraArgs("karpenter")],
    {
      ...process.env,
      KUBECONFIG: kubeconfig,
      // Out of a pod there is no service-account namespace file; upstream's chart sets it from the pod's namespace.
      SYSTEM_NAMESPACE: karpenterUser.namespace,
      KUBERNETES_MIN_VERSION: "1.19.0-0",
      // Upstream's defaults are 8080 and 8081, too common to take on a shared host.
      METRICS_PORT: String(metricsPort),
      HEALTH_PROBE_PORT: String(probePort),
      LOG_LEVEL: "info",
      // The nodepools chart's MIG pools declare their slices in NodeOverlays, which Karpenter reads only with this gate
      // (off by default in v1.15.0: pkg/operator/options); the other gates keep their defaults.
      FEATURE_GATES: "NodeOverlay=true",
    },
  );
  await ctx.ready("karpenter", "karpenter /readyz", httpProbe(`http://127.0.0.1:${probePort}/readyz`), 90_000);
};
