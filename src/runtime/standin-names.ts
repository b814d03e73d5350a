/** How the runtime suite names what stands in for a cloud service or a controller the lab does not run. */
export const runtimeStandIns = {
  gpu: "a GPU: the premium node is a CPU node advertising nvidia.com/gpu",
  efs: "EFS: node directories (the model cache, which the pull Jobs fill; the data volumes, bound by the test)",
  secrets: "External Secrets and AWS: the tenant's Secret written by the test (existingSecret)",
  aws: "AWS for External Secrets: moto as Secrets Manager and STS (it checks neither the web-identity token nor ARN-scoped policies)",
  internet:
    "the internet, for the README's lab: its images built here from the same versions and loaded on the node under their upstream names (Debian's busybox 1.35 as busybox 1.37), its models the tiny model under their names in the lab's registry",
  monitoringStack:
    "kube-prometheus-stack and prometheus-blackbox-exporter: their Prometheus, Alertmanager, exporter and ServiceMonitor written by the test (the Prometheus Operator runs them, kube-state-metrics runs from upstream's manifests, on images built here)",
  ingressChart:
    "Traefik's chart: its Deployment, Service, IngressClass and binding written by the test (upstream's ClusterRole, the build here), and the users' DNS (each lab host resolved to its Service)",
  outage: "a tenant's outage: its OpenWebUI scaled to zero by the test, then back",
  logsBackend: "Loki: the pinned collector as a host process on the node's address, writing what it receives to a file",
  logsOutage: "the log backend's outage: the host receiver stopped by the test",
  tracesBackend:
    "Tempo: the pinned collector as a gateway in the monitoring namespace (written by the test, as the platform README suggests), forwarding to the host's receiver",
  spotReplacement: "a replacement spot node: the reclaimed premium node uncordoned by the test (Karpenter's move)",
} as const;
