/** PromQL shared by the platform's alerts and dashboards, over kube-state-metrics' series. */

/** Series of pods that ask for a GPU or a MIG slice of one: in tenant namespaces, premium Ollama only. */
export const gpuPods =
  'max by (namespace, pod) (kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}) > 0';
