import { type Static, Type } from "@sinclair/typebox";
import { poolTargetFields, timeSlicingReplicaRange } from "../lib/pools.js";
import {
  choice,
  choices,
  duration,
  labelMap,
  quantity,
  rule,
  strictObject,
  taint,
  umbrellaValues,
} from "../lib/values-shapes.js";

/** EC2 instance families a standard (CPU) pool may use: general purpose, compute and memory optimised. */
const cpuFamily = Type.String({
  pattern: "^[mcr][0-9]+[a-z]*$",
  description: "An m, c or r instance family, e.g. m7i.",
});

/** EC2 GPU instance families with NVIDIA GPUs that Ollama serves well. */
export const gpuFamilies = ["g5", "g6", "g6e", "p4d", "p4de", "p5", "p5e", "p5en"] as const;

/** GPU families with 80 GB GPUs (A100 80 GB, H100) that the MIG profiles of charts-src/lib/pools.ts cut up. */
export const migFamilies = ["p4de", "p5"] as const;

/** H100/H200 families: time-slicing beyond 3 pods per GPU starves each of them. */
const h100Families = ["p5", "p5e", "p5en"] as const;

const capacityTypes = ["spot", "on-demand"] as const;

const rootVolume = (def: string) =>
  Type.String({
    description:
      "Size of the encrypted gp3 volume images and scratch space live on: the root volume on AL2023, the data volume /dev/xvdb on Bottlerocket (whose OS volume stays small).",
    default: def,
    pattern: "^[0-9]+(Gi|Ti)$",
  });

const terminationGracePeriod = Type.Optional(
  Type.String({
    description:
      "Longest a node of this pool drains (pods evicted, PDBs honoured) before Karpenter deletes it anyway, e.g. 90s; left out, a drain waits for every pod. On spot pools keep it under the two-minute interruption notice.",
    pattern: "^([0-9]+(s|m|h))+$",
  }),
);

const nodeLabels = (what: string) => labelMap(`Extra node labels of the ${what} (e.g. workload-type: control).`);

const nodeTaints = (what: string) =>
  Type.Array(taint, {
    description: `Extra taints on the ${what}'s nodes; pods that run there tolerate each (charts-src/lib/pools.ts).`,
    default: [],
    maxItems: 10,
  });

/** A budget that applies only in a time window, e.g. no consolidation during business hours. */
const scheduledBudget = Type.Object(
  {
    nodes: Type.String({
      description: 'Most nodes disrupted at once during the window, as a count or a percentage ("0" to freeze).',
      pattern: "^((100|[0-9]{1,2})%|[0-9]+)$",
    }),
    schedule: Type.String({
      description: "When the window opens: a cron expression in UTC (5 fields) or a macro such as @daily.",
      pattern: "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|([-0-9*/,a-zA-Z]+ ){4}[-0-9*/,a-zA-Z]+)$",
    }),
    duration: Type.String({
      description: "How long the window stays open (hours and minutes).",
      pattern: "^([0-9]+(m|h))+$",
    }),
    reasons: Type.Optional(
      Type.Array(choice(["Underutilized", "Empty", "Drifted"], "A disruption reason."), {
        description: "Reasons the window limits; left out, all of them.",
        minItems: 1,
        uniqueItems: true,
      }),
    ),
  },
  { additionalProperties: false, description: "A disruption budget for a time window." },
);

const disruption = (policy: "WhenEmpty" | "WhenEmptyOrUnderutilized", after: string) =>
  strictObject("When Karpenter may remove or replace nodes of this pool.", {
    consolidationPolicy: choice(
      ["WhenEmpty", "WhenEmptyOrUnderutilized"],
      "WhenEmpty removes only idle nodes; WhenEmptyOrUnderutilized also repacks busy ones.",
      policy,
    ),
    consolidateAfter: duration("How long a node stays empty (or underused) before Karpenter removes it.", after, true),
    budget: Type.String({
      description: "Most nodes of this pool disrupted at once, as a count or a percentage.",
      default: "10%",
      pattern: "^((100|[0-9]{1,2})%|[0-9]+)$",
    }),
    scheduledBudgets: Type.Array(scheduledBudget, {
      description:
        'Budgets for time windows on top of budget (the most restrictive active one wins), e.g. nodes "0" during business hours so spot drains and consolidation stay off peak.',
      default: [],
      maxItems: 10,
    }),
  });

const extraGpuPool = Type.Object(
  {
    ...poolTargetFields,
    purpose: Type.String({ description: "What the pool is for, shown as an annotation.", maxLength: 200 }),
    instanceFamilies: Type.Array(choice(gpuFamilies, "A GPU instance family."), {
      description: "GPU instance families this pool may launch.",
      minItems: 1,
      uniqueItems: true,
    }),
    capacityTypes: Type.Array(choice(capacityTypes, "spot or on-demand."), {
      description: "Capacity types; with both, Karpenter prefers spot and falls back to on-demand.",
      minItems: 1,
      uniqueItems: true,
    }),
    timeSlicingReplicas: Type.Optional(
      Type.Integer({
        description:
          "Pods sharing one GPU (gpuSharing time-slicing only): 2-4 on A100s, 2-3 on H100s. Left out, the platform chart's gpuSharing.timeSlicingReplicas applies.",
        ...timeSlicingReplicaRange,
      }),
    ),
    gpuLimit: Type.Integer({
      description: "Most GPUs this pool may hold at once (caps spend).",
      minimum: 1,
      maximum: 512,
    }),
    terminationGracePeriod,
    labels: Type.Optional(labelMap("Extra node labels workloads select on.")),
  },
  {
    additionalProperties: false,
    description: "An extra GPU pool.",
    allOf: [
      rule(
        { properties: { gpuSharing: { const: "mig" } }, required: ["gpuSharing"] },
        { properties: { instanceFamilies: { items: { enum: [...migFamilies] } } }, required: ["migProfile"] },
      ),
      // Each setting belongs to one sharing mode: a MIG profile on a time-sliced pool would be silently ignored.
      rule({ required: ["migProfile"] }, { properties: { gpuSharing: { const: "mig" } } }),
      rule({ required: ["timeSlicingReplicas"] }, { properties: { gpuSharing: { const: "time-slicing" } } }),
      rule(
        { properties: { instanceFamilies: { contains: { enum: [...h100Families] } } }, required: ["instanceFamilies"] },
        { properties: { timeSlicingReplicas: { maximum: 3 } } },
      ),
    ],
  },
);

/** The node class every pool refers to: the chart's own EC2NodeClasses, or another cloud provider's class. */
const nodeClass = strictObject(
  "The node class the pools' nodes are made from (their nodeClassRef, which Karpenter never lets change). The default is the chart's own EC2NodeClasses (one for the standard pool, one for the GPU pools). Another kind, e.g. {group: karpenter.kwok.sh, kind: KWOKNodeClass, name: default} for Karpenter's kwok provider, makes every pool refer to that class by name, and the chart renders no EC2NodeClass (a Karpenter provider manages only the NodePools whose class is its own).",
  {
    group: Type.String({
      description: "API group of the node class.",
      default: "karpenter.k8s.aws",
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$",
    }),
    kind: Type.String({
      description: "Kind of the node class.",
      default: "EC2NodeClass",
      pattern: "^[A-Z][A-Za-z0-9]{0,62}$",
    }),
    name: Type.Optional(
      Type.String({
        description:
          "Name of an existing node class every pool uses; only with a kind other than EC2NodeClass (the chart names its own).",
        pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        maxLength: 253,
      }),
    ),
  },
  {
    allOf: [
      // The chart's EC2NodeClasses are AWS's: a kind of that name in another group is a typo, not a class.
      rule(
        { properties: { kind: { const: "EC2NodeClass" } } },
        { properties: { group: { const: "karpenter.k8s.aws" } } },
      ),
      rule({ not: { properties: { kind: { const: "EC2NodeClass" } } } }, { required: ["name"] }),
      rule({ required: ["name"] }, { properties: { kind: { not: { const: "EC2NodeClass" } } } }),
    ],
  },
);

export const nodepoolsValues = strictObject("Values of the nodepools chart.", {
  nodeClass,
  // No image: Karpenter's nodes boot the AMI their EC2NodeClass selects.
  ...umbrellaValues(undefined),
  clusterName: Type.String({
    description:
      "EKS cluster name: subnets and security groups are selected by the tag karpenter.sh/discovery=<clusterName>. Required with the chart's EC2NodeClasses (no default: a wrong name launches no node, silently).",
    default: "",
    pattern: "^([A-Za-z][-A-Za-z0-9_]{0,99})?$",
  }),
  nodeRole: Type.String({
    description:
      "IAM role the nodes run with (its instance profile is managed by Karpenter), e.g. KarpenterNodeRole-<cluster>. Required with the chart's EC2NodeClasses.",
    default: "",
    pattern: "^([\\w+=,.@-]{1,64})?$",
  }),
  amiAlias: Type.String({
    description:
      "AMI alias, pinned to a release so nodes change only when you change it (al2023@latest would drift every node on each AMI release).",
    default: "al2023@v20251117",
    pattern: "^(al2023|bottlerocket)@v[0-9][0-9.]*$",
  }),
  zones: Type.Array(Type.String({ pattern: "^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$" }), {
    description:
      "Availability zones nodes may launch in, e.g. [us-east-1a, us-east-1b]; required (they are your region's).",
    default: [],
    uniqueItems: true,
  }),
  tags: Type.Unsafe<Record<string, string>>({
    type: "object",
    description:
      "Extra EC2 tags on every node, e.g. for cost allocation (Karpenter's and EKS's own tag keys are reserved).",
    default: {},
    propertyNames: { pattern: "^[\\w .:/=+@-]{1,128}$" },
    // A false schema per reserved prefix, so that ajv and Helm both name the offending key's own path.
    patternProperties: { "^(kubernetes\\.io/cluster/|karpenter\\.|eks:|aws:)": false },
    additionalProperties: { type: "string", maxLength: 256 },
  }),
  standard: strictObject("The standard tier's CPU pool (OpenWebUI and small models).", {
    enabled: Type.Boolean({ description: "Create the standard CPU pool.", default: true }),
    instanceFamilies: Type.Array(cpuFamily, {
      description: "Instance families (m, c and r only).",
      default: ["m7i", "m6i", "m5", "c7i", "c6i", "r7i", "r6i"],
      minItems: 1,
      uniqueItems: true,
    }),
    capacityTypes: choices(capacityTypes, "Capacity types; with both, Karpenter prefers spot.", ["on-demand", "spot"]),
    cpuLimit: quantity("Most vCPUs the pool may hold at once.", "1000"),
    memoryLimit: quantity("Most memory the pool may hold at once.", "4000Gi"),
    expireAfter: duration("Nodes are replaced after this age (Never to keep them).", "720h", true),
    instanceSizes: Type.Array(Type.String({ pattern: "^(metal|(|[0-9]+x)large|medium|small|micro|nano)$" }), {
      description:
        "Instance sizes (karpenter.k8s.aws/instance-size), e.g. [2xlarge, 4xlarge] for the design's m5.2xlarge/m5.4xlarge; empty for any size.",
      default: [],
      uniqueItems: true,
    }),
    labels: nodeLabels("standard pool"),
    taints: nodeTaints("standard pool"),
    terminationGracePeriod,
    rootVolumeSize: rootVolume("100Gi"),
    disruption: disruption("WhenEmptyOrUnderutilized", "1m"),
  }),
  premium: strictObject(
    "The premium tier's GPU pools (large models): spot first, on-demand as fallback.",
    {
      enabled: Type.Boolean({ description: "Create the premium GPU pools.", default: true }),
      instanceFamilies: Type.Array(choice(gpuFamilies, "A GPU instance family."), {
        description: "GPU instance families.",
        default: ["g5", "g6", "g6e"],
        minItems: 1,
        uniqueItems: true,
      }),
      gpuMemoryAboveMiB: Type.Integer({
        description:
          "Only instances whose GPUs have more memory than this (MiB, e.g. 40000 for a 70B model); 0 for any.",
        default: 0,
        minimum: 0,
        maximum: 1048576,
      }),
      spot: Type.Boolean({ description: "Create the spot GPU pool (tried first).", default: true }),
      onDemandFallback: Type.Boolean({
        description: "Create the on-demand GPU pool used when spot capacity is short.",
        default: true,
      }),
      gpuLimit: Type.Integer({
        description: "Most GPUs each premium pool may hold (caps spend).",
        default: 16,
        minimum: 1,
        maximum: 1024,
      }),
      cpuLimit: quantity("Most vCPUs each premium pool may hold.", "1000"),
      memoryLimit: quantity("Most memory each premium pool may hold.", "8000Gi"),
      expireAfter: duration("Nodes are replaced after this age (Never to keep them).", "168h", true),
      labels: nodeLabels("premium pools"),
      taints: nodeTaints("premium pools"),
      terminationGracePeriod,
      rootVolumeSize: rootVolume("300Gi"),
      disruption: disruption("WhenEmpty", "5m"),
    },
    {
      // An enabled premium tier needs somewhere to run: with spot off, the on-demand pool must be on.
      allOf: [
        rule(
          { properties: { enabled: { const: true }, spot: { const: false } } },
          { properties: { onDemandFallback: { const: true } } },
        ),
      ],
    },
  ),
  nodeOverlays: strictObject(
    "Karpenter NodeOverlays the chart renders. Karpenter applies them only with its NodeOverlay feature gate on (its chart's settings.featureGates.nodeOverlay: true, i.e. --feature-gates NodeOverlay=true).",
    {
      enabled: Type.Boolean({
        description:
          "Render one NodeOverlay per MIG pool (extraGpuPools with gpuSharing mig), adding the pool's MIG slices (GPUs × slices per GPU of migProfile) to its instance types: no EC2 instance type reports nvidia.com/mig-<profile>, so without it Karpenter launches no node for a MIG pod. Turn it off only for a Karpenter without the NodeOverlay API (its CRD karpenter.sh/v1alpha1); MIG pools then get no node from Karpenter.",
        default: true,
      }),
    },
  ),
  extraGpuPools: Type.Array(extraGpuPool, {
    description:
      "Extra GPU pools (A100 time-sliced, A100 MIG, H100 fine-tuning, ...), each with its own labels and taints; charts-src/lib/pools.ts lists the design's seed pools.",
    default: [],
    maxItems: 20,
  }),
});

export type NodepoolsValues = Static<typeof nodepoolsValues>;
