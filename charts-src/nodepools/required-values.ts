import { type Helpers, type RequiredValue, refuseMissingValues } from "../lib/engine/index.js";
import type { NodepoolsValues } from "./values.js";

/**
 * What only the operator knows: the cluster and node role the chart's EC2NodeClasses name (another node class, such
 * as kwok's, reads neither), and the zones every pool launches in. A default here would render and launch no node.
 */
export const nodepoolsRequiredValues = (v: NodepoolsValues, h: Helpers): RequiredValue[] => {
  const ownNodeClasses = h.eq(v.nodeClass.kind, "EC2NodeClass");
  return [
    {
      pointer: "/clusterName",
      unset: h.and(ownNodeClasses, h.not(h.isSet(v.clusterName))),
      fix: "set it to the EKS cluster's name, the tag karpenter.sh/discovery=<name> of its subnets and security groups (--set clusterName=<name>)",
    },
    {
      pointer: "/nodeRole",
      unset: h.and(ownNodeClasses, h.not(h.isSet(v.nodeRole))),
      fix: "set it to the IAM role Karpenter's nodes run with, e.g. KarpenterNodeRole-<cluster> (--set nodeRole=<role>)",
    },
    {
      pointer: "/zones",
      unset: h.not(h.isSet(v.zones)),
      fix: "list the availability zones nodes may launch in, e.g. --set 'zones={us-east-1a,us-east-1b}'",
    },
  ];
};

export const requiredValuesTemplate = (v: NodepoolsValues, h: Helpers) => [
  refuseMissingValues(h, nodepoolsRequiredValues(v, h)),
];
