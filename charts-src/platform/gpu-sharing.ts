import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { ConfigMap } from "../lib/k8s.js";
import { devicePluginConfigLabel, timeSlicingConfigName } from "../lib/gpu-sharing.js";
import { timeSlicingReplicaRange } from "../lib/pools.js";
import { platformLabels } from "./metadata.js";
import type { PlatformValues } from "./values.js";

/**
 * NVIDIA device-plugin configuration files (`version: v1`), one per GPU sharing mode, in one ConfigMap.
 *
 * How a node gets its entry: the nodepools chart labels every GPU node `llmcharts.io/gpu-sharing=<mode>`. The
 * device plugin does not read that label; its config-manager reads `nvidia.com/device-plugin.config=<entry>` and
 * loads that entry of the ConfigMap named by its chart's `config.name`. The entries here are named after the
 * modes (and time-slicing ones after their replica count, `time-slicing-3`), so a pool whose nodes carry the
 * entry's name (charts-src/lib/gpu-sharing.ts) gets the sharing it advertises. Install the device plugin with
 * `config.name=<configMapName>` and `config.default=none`: a node without the label shares nothing.
 */

/** Each GPU advertised `replicas` times. Pods share compute and memory with no isolation; asking for more than one
 * replica is refused, since it would not buy more of the GPU. */
const timeSlicing = (replicas: number | string): string =>
  [
    "version: v1",
    "flags:",
    "  migStrategy: none",
    "sharing:",
    "  timeSlicing:",
    "    renameByDefault: false",
    "    failRequestsGreaterThanOne: true",
    "    resources:",
    "      - name: nvidia.com/gpu",
    `        replicas: ${replicas}`,
    "",
  ].join("\n");

/** The replica counts a pool may choose (its `timeSlicingReplicas`), each with its own entry. */
const poolReplicaCounts = Array.from(
  { length: timeSlicingReplicaRange.maximum - timeSlicingReplicaRange.minimum + 1 },
  (_, i) => timeSlicingReplicaRange.minimum + i,
);

const configFiles = (v: PlatformValues): Record<string, string> => ({
  // Whole GPUs: one pod per GPU.
  none: ["version: v1", "flags:", "  migStrategy: none", ""].join("\n"),
  // Pools that leave the count to the platform.
  "time-slicing": timeSlicing(v.gpuSharing.timeSlicingReplicas),
  ...Object.fromEntries(poolReplicaCounts.map((n) => [timeSlicingConfigName(n), timeSlicing(n)])),
  // MIG partitions (made by the GPU's MIG manager, not here): `mixed` advertises nvidia.com/mig-<profile>, the
  // resource name pods of a MIG pool ask for; `single` advertises them as nvidia.com/gpu.
  mig: ["version: v1", "flags:", `  migStrategy: ${v.gpuSharing.migStrategy}`, ""].join("\n"),
});

export const devicePluginConfig = (v: PlatformValues, h: Helpers) => [
  h.when(v.gpuSharing.enabled, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: v.gpuSharing.configMapName,
      namespace: v.gpuSharing.namespace,
      labels: platformLabels(h, "gpu-sharing"),
      annotations: {
        "llmcharts.io/selected-by": `node label ${devicePluginConfigLabel}, set to the value of ${labels.gpuSharing}`,
      },
    },
    data: configFiles(v),
  } satisfies ConfigMap),
];
