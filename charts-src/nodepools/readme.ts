import type { TroubleshootingEntry } from "../lib/engine/index.js";
import { migConfigLabel, migProfiles, migSlices, seedGpuPools } from "../lib/pools.js";
import { migInstanceTypeNames, migNodeGpus } from "./mig-node-overlays.js";

/** README sections after the parameter table: spot interruptions, the seed pools, and upgrading. */
export const nodepoolsReadme = `
## Install order and spot interruptions

1. Karpenter's controller (its chart), with **\`settings.interruptionQueue\`** set to the name of the cluster's SQS
   interruption queue (Karpenter's CloudFormation names it after the cluster, with EventBridge rules for spot
   interruption warnings, rebalance recommendations, instance state changes and AWS Health events). The queue is a
   controller setting: a NodePool cannot carry it, so this chart cannot set it for you. Without it, Karpenter never
   hears of a spot interruption: the node disappears after the two-minute notice without being cordoned or drained,
   and its pods fail instead of moving. Do not also run aws-node-termination-handler in queue mode.
2. This chart (it needs Karpenter's CRDs).
3. The platform chart: its alerts \`LLMSpotInterruptionsHigh\` (interruption warnings received) and
   \`LLMNodesDrainedByInterruption\` (nodes Karpenter drained and deleted because of one, per NodePool) read
   Karpenter's metrics. Both count what arrives through the queue: without it neither can ever fire.

\`terminationGracePeriod\` bounds a drain: on spot pools keep it under the two-minute notice, so that pods are evicted
(and PodDisruptionBudgets honoured) before AWS reclaims the instance. Disruption budgets (\`budget\`,
\`scheduledBudgets\`) limit only voluntary disruption (consolidation, drift, expiry); an interruption never waits.

## The node class (EC2NodeClass, or another provider's)

Every pool refers to a node class (\`nodeClassRef\`). By default these are the chart's own EC2NodeClasses: one for the
standard pool, one for the GPU pools. Karpenter never lets a NodePool's node class group or kind change after it is
created, and each Karpenter provider manages only the NodePools whose class is its own (its kwok provider silently
ignores a pool that names an EC2NodeClass). So the class is chosen at install time, with \`nodeClass\`: for a test
cluster run by Karpenter's kwok provider,

\`\`\`yaml
nodeClass: { group: karpenter.kwok.sh, kind: KWOKNodeClass, name: default }
\`\`\`

makes every pool refer to that class, and the chart renders no EC2NodeClass (the class named must exist). The pools'
requirements stay AWS's (\`karpenter.k8s.aws/instance-family\` and the rest): the provider's instance catalog must
carry those labels. The install suite runs the chart this way (\`test/install/values/nodepools-kwok.yaml\`), with the
catalog of \`charts-src/lib/instance-catalog.ts\`.

## Seed GPU pools

The design's pools besides premium are declared once in \`charts-src/lib/pools.ts\` and as fixtures
(\`fixtures/good/seed-*.yaml\`) to copy into \`extraGpuPools\`: ${seedGpuPools.map((p) => `\`${p.name}\``).join(", ")}.
Each carries a \`gpu=<kind>\` taint next to \`nvidia.com/gpu\`; a pod that targets the pool tolerates both and asks for
\`nvidia.com/gpu\`, or \`nvidia.com/mig-<profile>\` on a MIG pool. MIG pools label their nodes
\`${migConfigLabel}=all-<profile>\` for the NVIDIA MIG manager (GPU operator, AL2023 nodes; Bottlerocket partitions
through its own settings), other GPU pools \`all-disabled\`.

No EC2 instance type reports MIG slices: the NVIDIA device plugin advertises \`nvidia.com/mig-<profile>\` only once the
MIG manager has cut a running node's GPUs, so Karpenter, which launches a node only for an instance type whose
resources fit the pending pod, would never launch one for a MIG pod. The chart therefore renders a Karpenter
\`NodeOverlay\` (\`karpenter.sh/v1alpha1\`) per MIG pool: it selects the pool's NodePool (\`karpenter.sh/nodepool\`)
and the ${migNodeGpus}-GPU instance types of the MIG families (\`node.kubernetes.io/instance-type\`: ${migInstanceTypeNames.join(", ")}) and adds the
slices the pool's layout makes, GPUs × slices per GPU (${migProfiles.map((p) => `\`${p}\` ${migSlices(p, migNodeGpus)}`).join(", ")}).
Karpenter reads overlays only with its **\`NodeOverlay\` feature gate** on: in Karpenter's chart
\`settings.featureGates.nodeOverlay: true\` (the controller's \`--feature-gates NodeOverlay=true\`, environment
\`FEATURE_GATES\`). On a Karpenter that lacks the NodeOverlay API, \`nodeOverlays.enabled: false\` leaves them out (and
MIG pools get no node from Karpenter).

## Upgrading from 0.1.x

- MIG pools now need \`migProfile\` and the 80 GB GPU families \`p4de\` or \`p5\` (the profiles are 80 GB ones); a
  \`${migConfigLabel}\` you set in \`labels\` is replaced by the profile's layout.
- Time-sliced pools may set \`timeSlicingReplicas\`; their nodes then select the device-plugin config
  \`time-slicing-<n>\`, which needs platform 0.2.0.
- On Bottlerocket, \`rootVolumeSize\` now sizes the data volume \`/dev/xvdb\` (images, logs) and the OS volume is 8Gi:
  the EC2NodeClass changes, so Karpenter replaces Bottlerocket nodes (drift) after the upgrade.
- The standard pool's default families include \`m5\`; new values \`labels\`, \`taints\`, \`instanceSizes\`,
  \`terminationGracePeriod\` and \`disruption.scheduledBudgets\` default to what 0.1.x rendered.

## As a dependency of an umbrella chart

The chart can be a dependency of a site's own chart: \`enabled\` is accepted for the dependency's
\`condition: nodepools.enabled\`, and \`global.imageRegistry\` and \`global.imagePullSecrets\` are accepted (the chart
runs no image, so they change nothing). Any other \`global\` key is refused rather than silently ignored.
`;

/** The pools' first failures: what the operator sees, the command that shows why, the fix. */
export const nodepoolsTroubleshooting: TroubleshootingEntry[] = [
  {
    failure: "Pods stay Pending",
    symptom: "Tenant pods stay `Pending` and Karpenter launches no node: no NodeClaim appears.",
    commands: [
      "kubectl get nodepools,nodeclaims",
      "kubectl describe nodepool pools-standard   # <release>-standard: its Ready condition and events",
      "kubectl get ec2nodeclasses -o wide",
      "kubectl -n karpenter logs deploy/karpenter --tail=100 | grep -iE 'error|could not'   # where Karpenter runs",
    ],
    fix:
      "A node class not Ready: `clusterName` must be the cluster's name as its subnets' and security groups' " +
      "discovery tag `karpenter.sh/discovery` spells it, and `nodeRole` the IAM role of its nodes (the defaults " +
      "name no real cluster). No offering: `zones` must be zones of the cluster's region, and the pool's families " +
      "and sizes must exist there. A pool at its limit (`standard.cpuLimit`, `standard.memoryLimit`): Karpenter's event " +
      "on the pod says so; raise it.",
  },
  {
    failure: "Premium does not wake",
    symptom:
      "A tenant's premium Ollama is scaled up by KEDA, but its pod stays `Pending`: no GPU node is launched for it.",
    commands: [
      "kubectl get nodeclaims -L karpenter.sh/nodepool   # pools-premium-spot, pools-premium-on-demand",
      "kubectl get events -A --field-selector reason=FailedScheduling | grep ollama-premium",
      "kubectl -n karpenter logs deploy/karpenter --tail=100 | grep -i premium",
    ],
    fix:
      "No spot GPU capacity in `zones`: with `premium.onDemandFallback` an on-demand GPU node launches instead; " +
      "otherwise widen `premium.instanceFamilies` or `zones`. The account's GPU " +
      'quota (EC2 "Running On-Demand G and VT instances", and the spot one) at zero: Karpenter logs ' +
      "`InsufficientInstanceCapacity` or `VcpuLimitExceeded`; ask AWS to raise it. The GPU pool at its limit: " +
      "raise `premium.gpuLimit`.",
  },
];
