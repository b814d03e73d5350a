/** NetworkPolicy rules every chart's pods share. */
import type { NetworkPolicyEgressRule } from "./k8s.js";

/** Egress to the cluster DNS: the kube-dns pods of kube-system, on port 53 over UDP and TCP. */
export const clusterDnsEgress = (): NetworkPolicyEgressRule => ({
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
});
