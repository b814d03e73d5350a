import { type Static, Type } from "@sinclair/typebox";
import { gpuSharingModes } from "../lib/gpu-sharing.js";
import {
  choice,
  choices,
  dnsLabel,
  duration,
  labelMap,
  quantity,
  rule,
  strictObject,
  taint,
} from "../lib/values-shapes.js";

/** EC2 instance families a standard (CPU) pool may use: general purpose, compute and memory optimised. */
const cpuFamily = Type.String({
  pattern: "^[mcr][0-9]+[a-z]*$",
  description: "An m, c or r instance family, e.g. m7i.",
});

/** EC2 GPU instance families with NVIDIA GPUs that Ollama serves well. */
export const gpuFamilies = ["g5", "g6", "g6e", "p4d", "p4de", "p5", "p5e", "p5en"] as const;

/** GPU families whose GPUs (A100, H100, H200) can be partitioned with MIG. */
export const migFamilies = ["p4d", "p4de", "p5", "p5e", "p5en"] as const;

const capacityTypes = ["spot", "on-demand"] as const;

const rootVolume = (def: string) =>
  Type.String({
    description: "Size of the encrypted gp3 root volume (images and any scratch space live here).",
    default: def,
    pattern: "^[0-9]+(Gi|Ti)$",
  });

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
  });

const extraGpuPool = Type.Object(
  {
    name: dnsLabel("Pool name; becomes part of the NodePool name and the node label llmcharts.io/pool."),
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
    gpuSharing: choice(
      gpuSharingModes,
      "How pods share a GPU: whole GPUs, time-slicing, or MIG partitions (configured by the platform chart).",
    ),
    gpuLimit: Type.Integer({
      description: "Most GPUs this pool may hold at once (caps spend).",
      minimum: 1,
      maximum: 512,
    }),
    labels: Type.Optional(labelMap("Extra node labels workloads select on.")),
    taints: Type.Optional(Type.Array(taint, { description: "Extra taints besides the GPU taint." })),
  },
  {
    additionalProperties: false,
    description: "An extra GPU pool.",
    allOf: [
      rule(
        { properties: { gpuSharing: { const: "mig" } }, required: ["gpuSharing"] },
        { properties: { instanceFamilies: { items: { enum: [...migFamilies] } } } },
      ),
    ],
  },
);

export const nodepoolsValues = strictObject("Values of the nodepools chart.", {
  clusterName: Type.String({
    description:
      "EKS cluster name: subnets and security groups are selected by the tag karpenter.sh/discovery=<clusterName>.",
    default: "llm-saas",
    pattern: "^[A-Za-z][-A-Za-z0-9_]{0,99}$",
  }),
  nodeRole: Type.String({
    description: "IAM role the nodes run with (its instance profile is managed by Karpenter).",
    default: "KarpenterNodeRole-llm-saas",
    pattern: "^[\\w+=,.@-]{1,64}$",
  }),
  amiAlias: Type.String({
    description:
      "AMI alias, pinned to a release so nodes change only when you change it (al2023@latest would drift every node on each AMI release).",
    default: "al2023@v20251117",
    pattern: "^(al2023|bottlerocket)@v[0-9][0-9.]*$",
  }),
  zones: Type.Array(Type.String({ pattern: "^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$" }), {
    description: "Availability zones nodes may launch in.",
    default: ["us-east-1a", "us-east-1b", "us-east-1c"],
    minItems: 1,
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
      default: ["m7i", "m6i", "c7i", "c6i", "r7i", "r6i"],
      minItems: 1,
      uniqueItems: true,
    }),
    capacityTypes: choices(capacityTypes, "Capacity types; with both, Karpenter prefers spot.", ["on-demand", "spot"]),
    cpuLimit: quantity("Most vCPUs the pool may hold at once.", "1000"),
    memoryLimit: quantity("Most memory the pool may hold at once.", "4000Gi"),
    expireAfter: duration("Nodes are replaced after this age (Never to keep them).", "720h", true),
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
  extraGpuPools: Type.Array(extraGpuPool, {
    description:
      "Extra GPU pools (A100 time-sliced, A100 MIG, H100 fine-tuning, ...), each with its own labels and taints.",
    default: [],
    maxItems: 20,
  }),
});

export type NodepoolsValues = Static<typeof nodepoolsValues>;
