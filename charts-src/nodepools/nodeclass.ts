import type { Helpers } from "../lib/engine/index.js";
import type { EC2NodeClass } from "../lib/k8s.js";
import { standardLabels } from "../lib/metadata.js";
import type { NodepoolsValues } from "./values.js";

/**
 * A `karpenter.k8s.aws/v1` EC2NodeClass: pinned AMI, the cluster's subnets and security groups by discovery tag,
 * IMDSv2 only and out of pods' reach (hop limit 1), and an encrypted gp3 root volume.
 */
export const ec2NodeClass = (h: Helpers, v: NodepoolsValues, name: string, rootVolumeSize: string): EC2NodeClass => {
  const discovery = [{ tags: { "karpenter.sh/discovery": v.clusterName } }];
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name, labels: standardLabels(h, "nodepools", "node-class") },
    spec: {
      role: v.nodeRole,
      amiSelectorTerms: [{ alias: v.amiAlias }],
      subnetSelectorTerms: discovery,
      securityGroupSelectorTerms: discovery,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: 1,
        httpTokens: "required",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          rootVolume: true,
          ebs: { volumeSize: rootVolumeSize, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
        },
      ],
      tags: v.tags,
    },
  };
};
