/**
 * The labels of the real node: those of a node Karpenter launches for the nodepools chart's standard pool, so the
 * tenant chart's own affinity puts OpenWebUI and standard Ollama on it.
 */
import { poolNodeLabels, standardPool } from "../../charts-src/nodepools/node-labels.js";

export const standardNodeLabels = (): Record<string, string> => ({
  ...poolNodeLabels(standardPool, "standard"),
  "karpenter.sh/nodepool": standardPool,
  "karpenter.sh/capacity-type": "on-demand",
  "topology.kubernetes.io/zone": "zone-a",
  "topology.kubernetes.io/region": "zone",
  "node.kubernetes.io/instance-type": "m7i.8xlarge",
});
