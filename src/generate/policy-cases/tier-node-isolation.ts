import { labels } from "../../../charts-src/lib/conventions.js";
import { tierNodeIsolationName } from "../../../charts-src/platform/policies/tier-node-isolation.js";
import {
  acme,
  deployment,
  globex,
  gpuToleration,
  initech,
  observability,
  ollamaContainer,
  oneGpu,
  openWebUiPod,
  pod,
  preferNodeLabel,
  requireNodeLabel,
} from "./fixtures.js";
import type { PolicySuite } from "./types.js";

const offPremium = "premium-nodes-only-for-premium-tenants";

const standardOllama = { containers: [ollamaContainer()], affinity: requireNodeLabel(labels.nodeTier, ["standard"]) };
const premiumOllama = {
  containers: [ollamaContainer(oneGpu)],
  tolerations: [gpuToleration],
  affinity: requireNodeLabel(labels.nodeTier, ["premium"]),
};

export const tierNodeIsolationSuite: PolicySuite = {
  policy: tierNodeIsolationName,
  cases: [
    {
      why: "standard tenant: Ollama pinned to standard nodes",
      resource: pod("acme-ollama", acme.name, standardOllama),
      expect: { [offPremium]: "pass" },
    },
    {
      why: "standard tenant: OpenWebUI with no node selection at all",
      resource: openWebUiPod("acme-openwebui", acme.name),
      expect: { [offPremium]: "pass" },
    },
    {
      why: "standard tenant: selecting the standard pool by name",
      resource: pod("acme-ollama-pool", acme.name, {
        containers: [ollamaContainer()],
        nodeSelector: { [labels.pool]: "standard" },
      }),
      expect: { [offPremium]: "pass" },
    },
    {
      why: "standard tenant: nodeSelector on premium nodes",
      resource: pod("acme-ollama-on-premium", acme.name, {
        containers: [ollamaContainer()],
        nodeSelector: { [labels.nodeTier]: "premium" },
      }),
      expect: { [offPremium]: "fail" },
    },
    {
      why: "standard tenant: merely preferring premium nodes is targeting them too",
      resource: pod("acme-ollama-prefers-premium", acme.name, {
        containers: [ollamaContainer()],
        affinity: preferNodeLabel(labels.nodeTier, ["premium"]),
      }),
      expect: { [offPremium]: "fail" },
    },
    {
      why: "standard tenant: selecting the premium pool by name",
      resource: pod("acme-ollama-premium-pool", acme.name, {
        containers: [ollamaContainer()],
        affinity: requireNodeLabel(labels.pool, ["premium"]),
      }),
      expect: { [offPremium]: "fail" },
    },
    {
      why: "standard tenant: a pool the platform does not know could be on any tier",
      resource: pod("acme-ollama-h100-pool", acme.name, {
        containers: [ollamaContainer()],
        nodeSelector: { [labels.pool]: "h100" },
      }),
      expect: { [offPremium]: "fail" },
    },
    {
      why: "standard tenant: NotIn [standard] is a roundabout way to reach premium nodes",
      resource: pod("acme-ollama-not-standard", acme.name, {
        containers: [ollamaContainer()],
        affinity: requireNodeLabel(labels.nodeTier, ["standard"], "NotIn"),
      }),
      expect: { [offPremium]: "fail" },
    },
    {
      why: "standard tenant: a node tier that does not exist is not one of its tiers either",
      resource: pod("acme-ollama-gpu-tier", acme.name, {
        containers: [ollamaContainer()],
        nodeSelector: { [labels.nodeTier]: "gpu" },
      }),
      expect: { [offPremium]: "fail" },
    },
    {
      why: "standard tenant: a Deployment selecting premium nodes (autogen)",
      resource: deployment("acme-ollama-premium-deploy", acme.name, {
        containers: [ollamaContainer()],
        nodeSelector: { [labels.nodeTier]: "premium" },
      }),
      expect: { [offPremium]: "fail" },
    },
    {
      why: "premium tenant: GPU Ollama pinned to premium nodes",
      resource: pod("globex-ollama", globex.name, premiumOllama, "ollama-premium"),
      expect: { [offPremium]: "skip" },
    },
    {
      why: "premium tenant: a Deployment pinned to premium nodes (autogen)",
      resource: deployment("globex-ollama-deploy", globex.name, premiumOllama),
      expect: { [offPremium]: "skip" },
    },
    {
      why: "premium tenant: standard nodes are shared ground, open to every tenant",
      resource: pod("globex-ollama-on-standard", globex.name, standardOllama),
      expect: { [offPremium]: "skip" },
    },
    {
      why: "premium tenant: its OpenWebUI on the standard pool (where every front end runs)",
      resource: openWebUiPod("globex-openwebui-standard-pool", globex.name, {
        nodeSelector: { [labels.pool]: "standard" },
      }),
      expect: { [offPremium]: "skip" },
    },
    {
      why: "tenant on both tiers: may use either tier, and any pool",
      resource: pod("initech-ollama-standard", initech.name, {
        containers: [ollamaContainer()],
        nodeSelector: { [labels.pool]: "h100" },
        affinity: requireNodeLabel(labels.nodeTier, ["standard", "premium"]),
      }),
      expect: { [offPremium]: "skip" },
    },
    {
      why: "not a tenant namespace: left to the platform",
      resource: pod("monitoring-exporter", observability.name, {
        containers: [ollamaContainer()],
        nodeSelector: { [labels.nodeTier]: "premium" },
      }),
      expect: { [offPremium]: "skip" },
    },
  ],
};
