import { labels } from "../../../charts-src/lib/conventions.js";
import { migResource, poolPlacement, seedGpuPools } from "../../../charts-src/lib/pools.js";
import { noCrossTenantNetpolName } from "../../../charts-src/platform/policies/no-cross-tenant-netpol.js";
import { type PolicySettings, plainHelpers } from "../../../charts-src/platform/policies/settings.js";
import { tenantPodHardeningName } from "../../../charts-src/platform/policies/tenant-pod-hardening.js";
import { tierNodeIsolationName } from "../../../charts-src/platform/policies/tier-node-isolation.js";
import { gpuOnlyPremium, gpuPinned, hardening, premiumPod, standardPod, tierIsolation } from "./admission.js";
import type { Container } from "../../../charts-src/lib/k8s.js";
import { acme, globex, type K8sObject, ollamaContainer, pod } from "./fixtures.js";
import type { AdmissionSuite, PolicySuite } from "./types.js";

/**
 * A site that differs from every default: images only through its ECR pull-through cache and its own registry,
 * traffic into tenants through an Envoy Gateway data plane, Prometheus in `observability`, a Linkerd control plane,
 * a control pool for standard work and the design's extra GPU pools. Each case passes or fails because of these
 * settings, so a setting that stopped reaching the policies would fail its suite.
 */
const ecrMirror = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/";
const migPool = seedGpuPools.find((p) => p.gpuSharing === "mig");
if (!migPool?.migProfile) throw new Error("the seed pools have no MIG pool");

export const siteSettings: PolicySettings = {
  allowedRegistries: [ecrMirror, "registry.example.com/llm/"],
  sharedNamespaces: {
    dns: "kube-system",
    monitoring: "observability",
    ingress: ["envoy-gateway-system"],
    mesh: ["linkerd"],
    keda: "keda-system",
  },
  pools: { standard: ["standard", "control"], premium: ["premium", ...seedGpuPools.map((p) => p.name)] },
};

const mirrored = (container: Container): Container => ({
  ...container,
  image: `${ecrMirror}${(container.image ?? "").replace(/^docker\.io\//, "")}`,
});

const registries = "images-from-allowed-registries";
const hardeningRules = ["no-host-namespaces", "no-host-path-volumes", "no-privileged-containers", registries];
const hardeningExpect = (registryResult: "pass" | "fail") =>
  Object.fromEntries(hardeningRules.map((rule) => [rule, rule === registries ? registryResult : "pass"] as const));

const stayInTenant = "namespace-selectors-stay-in-tenant";
const namePeers = "rules-name-their-peers";
const ingressFrom = (name: string, namespaces: string[]): K8sObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: acme.name },
  spec: {
    podSelector: { matchLabels: { [labels.component]: "openwebui" } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: namespaces }],
            },
          },
        ],
        ports: [{ port: 8080 }],
      },
    ],
  },
});

const offPremium = "premium-nodes-only-for-premium-tenants";

/** A premium tenant's Ollama on the MIG pool, placed as charts-src/lib/pools.ts derives it from the pool. */
const migOllama = {
  containers: [
    mirrored(
      ollamaContainer({
        requests: { cpu: "4", memory: "16Gi", [migResource(migPool.migProfile)]: "1" },
        limits: { memory: "16Gi", [migResource(migPool.migProfile)]: "1" },
      }),
    ),
  ],
  ...poolPlacement(plainHelpers, { name: migPool.name, nodeTier: "premium", taints: migPool.taints }),
};

export const siteSuites: PolicySuite[] = [
  {
    policy: tenantPodHardeningName,
    dir: `${tenantPodHardeningName}-site`,
    settings: siteSettings,
    cases: [
      {
        why: "site: Ollama pulled through the ECR pull-through cache",
        resource: pod("acme-ollama-ecr", acme.name, { containers: [mirrored(ollamaContainer())] }),
        expect: hardeningExpect("pass"),
      },
      {
        why: "site: Docker Hub directly, which the default settings allow and this site does not",
        resource: pod("acme-ollama-docker-hub", acme.name, { containers: [ollamaContainer()] }),
        expect: hardeningExpect("fail"),
      },
      {
        why: "site: a lookalike repository next to the mirror's prefix",
        resource: pod("acme-ollama-lookalike", acme.name, {
          containers: [{ ...ollamaContainer(), image: `${ecrMirror.replace(/\/$/, "")}-evil/ollama/ollama:0.6.8` }],
        }),
        expect: hardeningExpect("fail"),
      },
    ],
  },
  {
    policy: noCrossTenantNetpolName,
    dir: `${noCrossTenantNetpolName}-site`,
    settings: siteSettings,
    cases: [
      {
        why: "site: ingress from the Gateway data plane's namespace",
        resource: ingressFrom("acme-allow-gateway", ["envoy-gateway-system"]),
        expect: { [stayInTenant]: "pass", [namePeers]: "pass" },
      },
      {
        why: "site: ingress from the mesh control plane and the site's Prometheus",
        resource: ingressFrom("acme-allow-mesh-and-prometheus", ["linkerd", "observability"]),
        expect: { [stayInTenant]: "pass", [namePeers]: "pass" },
      },
      {
        why: "site: ingress-nginx, shared by default but not at this site",
        resource: ingressFrom("acme-allow-ingress-nginx", ["ingress-nginx"]),
        expect: { [stayInTenant]: "fail", [namePeers]: "pass" },
      },
    ],
  },
  {
    policy: tierNodeIsolationName,
    dir: `${tierNodeIsolationName}-site`,
    settings: siteSettings,
    cases: [
      {
        why: "site: a standard tenant on the site's control pool (a standard pool by the settings)",
        resource: pod("acme-ollama-control", acme.name, {
          containers: [ollamaContainer()],
          nodeSelector: { [labels.pool]: "control" },
        }),
        expect: { [offPremium]: "pass" },
      },
      {
        why: "site: a standard tenant selecting the MIG pool",
        resource: pod("acme-ollama-mig-pool", acme.name, {
          containers: [ollamaContainer()],
          nodeSelector: { [labels.pool]: migPool.name },
        }),
        expect: { [offPremium]: "fail" },
      },
    ],
  },
];

/** The native admission policies with the site's settings: MIG slices for premium tenants only. */
export const siteAdmissionSuites: AdmissionSuite[] = [
  {
    dir: "admission-site",
    settings: siteSettings,
    cases: [
      {
        why: "site: premium Ollama on the MIG pool asking for a MIG slice, placed from the pool's declaration",
        resource: pod("globex-ollama-mig", globex.name, migOllama, "ollama-premium"),
        expect: premiumPod(),
      },
      {
        why: "site: the same pod in a standard tenant: no MIG slice outside premium tiers",
        resource: pod("acme-ollama-mig", acme.name, migOllama),
        expect: standardPod({ [gpuOnlyPremium]: "fail", [tierIsolation]: "fail", [gpuPinned]: "skip" }),
      },
      {
        why: "site: a standard tenant selecting the MIG pool by nodeSelector (it is not a standard pool)",
        resource: pod("acme-ollama-mig-selector", acme.name, {
          containers: [mirrored(ollamaContainer())],
          nodeSelector: { [labels.pool]: migPool.name },
        }),
        expect: standardPod({ [tierIsolation]: "fail" }),
      },
      {
        why: "site: a standard tenant on the control pool, image from the site's registry",
        resource: pod("acme-ollama-control", acme.name, {
          containers: [{ ...ollamaContainer(), image: "registry.example.com/llm/ollama:0.6.8" }],
          nodeSelector: { [labels.pool]: "control" },
        }),
        expect: standardPod(),
      },
      {
        why: "site: Docker Hub directly",
        resource: pod("acme-ollama-docker-hub", acme.name, { containers: [ollamaContainer()] }),
        expect: standardPod({ [hardening]: "fail" }),
      },
    ],
  },
];
