import type { Helpers } from "../lib/engine/index.js";
import { instanceTypesOf } from "../lib/instance-catalog.js";
import type { NodeOverlay } from "../lib/k8s.js";
import { standardLabels } from "../lib/metadata.js";
import { migProfiles, migResource, migSlices } from "../lib/pools.js";
import { migFamilies, type NodepoolsValues } from "./values.js";

/**
 * The MIG-capable instance types of the catalog (p4de.24xlarge, p5.48xlarge), named in each overlay: an overlay states
 * one slice count, so they must share one GPU count (8), and a type sold with another needs an overlay of its own.
 * Named by type, not by `karpenter.k8s.aws/instance-gpu-count`: a provider that does not put that label on its
 * instance types themselves (the kwok one) would match no type at all.
 */
const migInstanceTypes = instanceTypesOf(migFamilies);
export const migInstanceTypeNames = migInstanceTypes.map((t) => t.name);
export const migNodeGpus = ((): number => {
  const counts = [...new Set(migInstanceTypes.map((t) => t.gpus))];
  if (counts.length !== 1 || counts[0] === undefined)
    throw new Error(
      `instance catalog: the MIG families ${migFamilies.join(", ")} come in GPU counts [${counts.join(", ")}]; ` +
        "charts-src/nodepools/mig-node-overlays.ts renders one NodeOverlay per pool for a single count",
    );
  return counts[0];
})();

/**
 * One Karpenter NodeOverlay per MIG pool: no EC2 instance type reports `nvidia.com/mig-<profile>` (the device plugin
 * advertises the slices only once the MIG manager has cut a running node's GPUs), so without it Karpenter finds no
 * instance type for a MIG pod and launches nothing. The overlay adds the slices the pool's layout makes (GPUs × slices
 * per GPU) to the pool's MIG-capable instance types, in Karpenter's scheduling simulation only.
 */
export const migNodeOverlays = (v: NodepoolsValues, h: Helpers) =>
  h.each(v.extraGpuPools, (pool) =>
    h.when(
      // The schema requires a profile of every MIG pool; naming them here tells the template one capacity key is set.
      h.and(
        v.nodeOverlays.enabled,
        h.eq(pool.gpuSharing, "mig"),
        h.or(...migProfiles.map((p) => h.eq(pool.migProfile, p))),
      ),
      h.comment<NodeOverlay>(
        "Karpenter reads the slices from here only with its NodeOverlay feature gate on (see the README)",
        {
          apiVersion: "karpenter.sh/v1alpha1",
          kind: "NodeOverlay",
          metadata: {
            name: `${h.release.name}-${pool.name}`,
            labels: standardLabels(h, "nodepools", "mig-overlay"),
          },
          spec: {
            requirements: [
              { key: "karpenter.sh/nodepool", operator: "In", values: [`${h.release.name}-${pool.name}`] },
              { key: "node.kubernetes.io/instance-type", operator: "In", values: migInstanceTypeNames },
            ],
            // One key per profile, present only for the pool's own: the keys stay static for the template.
            capacity: Object.fromEntries(
              migProfiles.map((profile) => [
                migResource(profile),
                h.when(h.eq(pool.migProfile, profile), String(migSlices(profile, migNodeGpus))),
              ]),
            ),
          },
        },
      ),
    ),
  );
