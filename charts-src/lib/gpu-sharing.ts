/**
 * How GPU nodes share their GPUs, declared once for the two charts that must agree on it: the nodepools chart labels
 * each GPU node with its mode, the platform chart ships one NVIDIA device-plugin configuration per mode.
 *
 * The link: the NVIDIA device plugin (with its config-manager sidecar) reads the node label
 * `nvidia.com/device-plugin.config` and loads the entry of that name from the ConfigMap it was given
 * (`config.name`); nodes without the label get `config.default`. The platform chart names its entries after the
 * modes below (and, for time-slicing, after the replica count: `time-slicing-3`), so a GPU node pool that sets
 * `nvidia.com/device-plugin.config` to one of `devicePluginConfigNames` gets exactly the sharing its
 * `llmcharts.io/gpu-sharing` label promises.
 */

/** Whole GPUs, CUDA time-slicing (replicas per GPU, no memory isolation), or MIG partitions (A100/H100 only). */
export const gpuSharingModes = ["none", "time-slicing", "mig"] as const;
export type GpuSharingMode = (typeof gpuSharingModes)[number];

/** The node label the NVIDIA device plugin's config-manager selects its configuration by (fixed in its chart). */
export const devicePluginConfigLabel = "nvidia.com/device-plugin.config";

/** The device-plugin configuration a node gets when it carries no `nvidia.com/device-plugin.config` label. */
export const defaultGpuSharingMode: GpuSharingMode = "none";

/** The entry for time-slicing with a pool's own replica count (the plain `time-slicing` entry has the platform's). */
export const timeSlicingConfigName = (replicas: number | string): string => `time-slicing-${replicas}`;
