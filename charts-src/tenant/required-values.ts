import { type Helpers, type RequiredValue, refuseMissingValues } from "../lib/engine/index.js";
import type { TenantValues } from "./values.js";

/**
 * What only the operator knows: who the tenant is, the host its users open, and where its secrets and models come
 * from (each only where the chart reads it). An example default would render a tenant that nobody can reach.
 */
export const tenantRequiredValues = (v: TenantValues, h: Helpers): RequiredValue[] => [
  {
    pointer: "/tenant/name",
    unset: h.not(h.isSet(v.tenant.name)),
    fix: "set it to the tenant's name, unique in the cluster; its namespace is tenant-<name> (--set tenant.name=<name>)",
  },
  {
    pointer: "/exposure/host",
    unset: h.not(h.isSet(v.exposure.host)),
    fix: "set it to the host name the tenant's users open, e.g. chat.acme.example.com (--set exposure.host=<host>)",
  },
  {
    pointer: "/secrets/roleArn",
    unset: h.and(h.not(h.isSet(v.secrets.existingSecret)), h.not(h.isSet(v.secrets.roleArn))),
    fix: "set it to the tenant's IAM role, which may read llmcharts/tenants/<name>/* in Secrets Manager, or name a Secret of the tenant namespace holding the keys in secrets.existingSecret",
  },
  {
    pointer: "/ollama/modelCache/volumeHandle",
    unset: h.and(h.eq(v.ollama.modelCache.source, "efs"), h.not(h.isSet(v.ollama.modelCache.volumeHandle))),
    fix: "set it to the platform's model cache, <file-system-id>::<access-point-id> (the platform chart's modelCache.fileSystemId and accessPointId), or use source hostPath on a one-node lab",
  },
];

export const requiredValuesTemplate = (v: TenantValues, h: Helpers) => [
  refuseMissingValues(h, tenantRequiredValues(v, h)),
];
