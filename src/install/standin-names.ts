/** How the install suite names what it does by hand for a controller or cloud service the cluster lacks. */
export const installStandIns = {
  karpenter:
    "Karpenter: kwok nodes made by the test from the NodePools of release pools (Karpenter makes release karp's)",
  kubelet: "kubelets: kwok's",
  gpu: "GPUs: nvidia.com/gpu capacity advertised by kwok nodes",
  aws: "AWS: none (ExternalSecrets, EC2NodeClasses and EFS volumes admitted, never acted on)",
  provisioner: "a CSI provisioner (EFS, EBS): PersistentVolumes bound to the claims by the test",
  kedaFleetStatus:
    "KEDA on the Argo CD fleet: its ScaledObjects' Ready condition written by the test (KEDA watches only the install tenants: on kwok no wake-up proxy answers /queue, so KEDA would hold premium on its fallback, Fallback True, which Argo CD reads as Degraded)",
  ingress: "an ingress controller: Ingress addresses written by the test",
  testPods: "a kubelet: helm test Pods set Succeeded by the test",
  snapshotJob:
    "a kubelet running a snapshot Job: its pod's kubectl commands run by the test with a token of the Job's ServiceAccount (no snapshot controller: the VolumeSnapshot is never ready)",
  readme:
    "the chart READMEs' oci://ghcr.io/llmcharts/charts: a local registry (TLS, our CA); their release key's fingerprint: the test key's",
} as const;
