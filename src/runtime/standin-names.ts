/** How the runtime suite names what stands in for a cloud service or a controller the lab does not run. */
export const runtimeStandIns = {
  gpu: "a GPU: the premium node is a CPU node advertising nvidia.com/gpu",
  modelPull: "the model-cache pull Jobs: the tiny model written into the node's cache by the test",
  efs: "EFS: hostPath volumes bound to the claims by the test",
  secrets: "External Secrets and AWS: the tenant's Secret written by the test (existingSecret)",
  spotReplacement: "a replacement spot node: the reclaimed premium node uncordoned by the test (Karpenter's move)",
} as const;
