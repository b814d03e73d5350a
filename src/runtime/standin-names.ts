/** How the runtime suite names what stands in for a cloud service or a controller the lab does not run. */
export const runtimeStandIns = {
  gpu: "a GPU: the premium node is a CPU node advertising nvidia.com/gpu",
  efs: "EFS: node directories (the model cache, which the pull Jobs fill; the data volumes, bound by the test)",
  secrets: "External Secrets and AWS: the tenant's Secret written by the test (existingSecret)",
  spotReplacement: "a replacement spot node: the reclaimed premium node uncordoned by the test (Karpenter's move)",
} as const;
