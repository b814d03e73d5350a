import type { Helpers } from "../lib/engine/index.js";
import type { EC2NodeClass } from "../lib/k8s.js";
import { standardLabels } from "../lib/metadata.js";
import type { NodepoolsValues } from "./values.js";

/** Bottlerocket's OS volume holds only the OS (its default is 4Gi); a little headroom for its updates. */
const bottlerocketOsVolume = "8Gi";

/**
 * A `karpenter.k8s.aws/v1` EC2NodeClass: pinned AMI, the cluster's subnets and security groups by discovery tag,
 * IMDSv2 only and out of pods' reach (hop limit 1), and encrypted gp3 volumes. `volumeSize` sizes where images and
 * scratch space live: the root volume on AL2023; on Bottlerocket the data volume /dev/xvdb, next to a small OS volume.
 */
const ec2NodeClass = (h: Helpers, v: NodepoolsValues, name: string, volumeSize: string): EC2NodeClass => {
  const discovery = [{ tags: { "karpenter.sh/discovery": v.clusterName } }];
  const volume = (deviceName: string, size: string, rootVolume: boolean) => ({
    deviceName,
    rootVolume,
    ebs: { volumeSize: size, volumeType: "gp3" as const, encrypted: true, deleteOnTermination: true },
  });
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
      blockDeviceMappings: h.when(
        h.hasPrefix(v.amiAlias, "bottlerocket@"),
        [volume("/dev/xvda", bottlerocketOsVolume, true), volume("/dev/xvdb", volumeSize, false)],
        [volume("/dev/xvda", volumeSize, true)],
      ),
      tags: v.tags,
    },
  };
};

/** The node classes' names: one for the standard pool, one shared by every GPU pool. */
export const classNames = (h: Helpers) => ({ standard: `${h.release.name}-standard`, gpu: `${h.release.name}-gpu` });

/** Whether the pools use the chart's own EC2NodeClasses (the default), not a class of another provider. */
const ownNodeClasses = (v: NodepoolsValues, h: Helpers) => h.eq(v.nodeClass.kind, "EC2NodeClass");

/** A pool's nodeClassRef: the chart's EC2NodeClass for its kind of pool, or the one class `nodeClass` names. */
export const nodeClassRef = (v: NodepoolsValues, h: Helpers, pool: keyof ReturnType<typeof classNames>) => ({
  group: v.nodeClass.group,
  kind: v.nodeClass.kind,
  name: h.pick(ownNodeClasses(v, h), classNames(h)[pool], `${v.nodeClass.name}`),
});

export const nodeClasses = (v: NodepoolsValues, h: Helpers) => [
  h.when(
    h.and(ownNodeClasses(v, h), v.standard.enabled),
    ec2NodeClass(h, v, classNames(h).standard, v.standard.rootVolumeSize),
  ),
  h.when(
    h.and(ownNodeClasses(v, h), h.or(v.premium.enabled, h.isSet(v.extraGpuPools))),
    ec2NodeClass(h, v, classNames(h).gpu, v.premium.rootVolumeSize),
  ),
];
