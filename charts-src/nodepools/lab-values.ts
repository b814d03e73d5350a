import type { ShippedValues } from "../lib/engine/index.js";
import { catalogZones } from "../lib/instance-catalog.js";
import type { NodepoolsValues } from "./values.js";

/** The pools on a lab whose nodes Karpenter's kwok provider simulates (the install suite's karpenter scenario). */
export const nodepoolsLabValues: ShippedValues<NodepoolsValues> = {
  name: "lab",
  header: [
    'The one-node lab of the project\'s README.md ("Lab: one node, no cloud services") does not install this chart:',
    "it has no Karpenter, and its node is labelled by hand. These values are for a lab that runs Karpenter with its",
    "kwok provider (npx llmcharts cluster up --controllers karpenter), whose simulated nodes the pools then launch:",
    "every pool refers to the provider's node class, and no EC2NodeClass is rendered.",
  ],
  values: {
    nodeClass: { group: "karpenter.kwok.sh", kind: "KWOKNodeClass", name: "default" },
    clusterName: "lab",
    // The zones Karpenter's kwok provider offers capacity in (the project's instance catalog).
    zones: [...catalogZones],
  },
};
