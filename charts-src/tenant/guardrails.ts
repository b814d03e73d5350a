import type { Helpers } from "../lib/engine/index.js";
import type { LimitRange, ResourceQuota } from "../lib/k8s.js";
import { namedPoolGpuResources } from "../lib/pools.js";
import { hasPremium, names, namespaced } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * What the tenant may consume: a ResourceQuota (compute, pods, claims, no load balancers or node ports, GPUs only on
 * a premium tier) and a LimitRange that gives defaults to containers that set no resources, so that the quota never
 * rejects them for lack of requests.
 */
export const resourceQuota = (v: TenantValues, h: Helpers): ResourceQuota => {
  const q = v.quota;
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: namespaced(v, h, names.quota, "guardrails"),
    spec: {
      hard: {
        "requests.cpu": `${q.requestsCpu}`,
        "limits.cpu": `${q.limitsCpu}`,
        "requests.memory": `${q.requestsMemoryGi}Gi`,
        "limits.memory": `${q.limitsMemoryGi}Gi`,
        pods: `${q.pods}`,
        persistentvolumeclaims: `${q.persistentVolumeClaims}`,
        "requests.storage": `${q.requestsStorageGi}Gi`,
        // Traffic enters through the shared ingress; a tenant never buys a cloud load balancer or opens node ports.
        "services.loadbalancers": "0",
        "services.nodeports": "0",
        // GPUs of the premium pool's kind only; every other GPU resource (whole GPUs or another MIG profile) is 0, so
        // nothing is left unbounded. The schema already pins the quota to 0 for a standard tier; this does not rely on it.
        ...namedPoolGpuResources(h, v.ollama.premium.pool, `${q.gpus}`, {
          prefix: "requests.",
          otherwise: "0",
          onlyIf: hasPremium(v, h),
        }),
      },
    },
  };
};

export const limitRange = (v: TenantValues, h: Helpers): LimitRange => ({
  apiVersion: "v1",
  kind: "LimitRange",
  metadata: namespaced(v, h, names.limits, "guardrails"),
  spec: {
    limits: [
      {
        type: "Container",
        defaultRequest: { cpu: v.limitRange.defaultRequestCpu, memory: v.limitRange.defaultRequestMemory },
        default: { cpu: v.limitRange.defaultCpu, memory: v.limitRange.defaultMemory },
      },
    ],
  },
});

export const guardrailsTemplate = (v: TenantValues, h: Helpers) => [resourceQuota(v, h), limitRange(v, h)];
