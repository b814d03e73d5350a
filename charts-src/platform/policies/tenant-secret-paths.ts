import { tenantSecretPrefix } from "../../lib/conventions.js";
import {
  clusterPolicy,
  enforce,
  inTenantNamespaces,
  json,
  namespaceTenantContext,
  namespaceTenantVariable,
  v,
} from "./kyverno.js";
import type { IsolationPolicy } from "./kyverno.js";

export const tenantSecretPathsName = "tenant-secret-paths";

const eso = "external-secrets.io";
export const secretStoreKind = `${eso}/v1/SecretStore`;
export const externalSecretKind = `${eso}/v1/ExternalSecret`;
export const pushSecretKind = `${eso}/v1alpha1/PushSecret`;

const spec = "request.object.spec";
const aws = `${spec}.provider.aws`;
/** Fields of an AWS provider that read as another identity (role chaining) or under another path (key prefix). */
const indirections = ["additionalRoles", "prefix", "role"];

/** The tenant's secret path, as a Kyverno value: the namespace's tenant is only known at admission. */
const tenantPrefix = tenantSecretPrefix(`{{ ${namespaceTenantVariable} }}`);
/** Every remote key and search path an ExternalSecret names (a search without a path counts as ""). */
const externalSecretKeys = `[${spec}.data[].remoteRef.key, ${spec}.dataFrom[?extract].extract.key, ${spec}.dataFrom[?find].[find.path || ''][]][]`;
const prefixContext = [namespaceTenantContext, { name: "secretPrefix", variable: { value: tenantPrefix } }];

/**
 * Rule 6: a tenant reads and writes only its own path in AWS Secrets Manager. Its SecretStores authenticate as a
 * ServiceAccount of their own namespace (whose IAM role is the tenant's), never with static keys, another role
 * or a key prefix; its ExternalSecrets and PushSecrets name only keys under its prefix and never use a
 * ClusterSecretStore (which would read with the platform's identity).
 */
export const tenantSecretPaths = (): IsolationPolicy =>
  clusterPolicy({
    name: tenantSecretPathsName,
    title: "Tenant secret paths",
    subjects: ["SecretStore", "ExternalSecret", "PushSecret"],
    description: `SecretStores in tenant namespaces use AWS Secrets Manager through the namespace's own ServiceAccount; ExternalSecrets and PushSecrets use only namespaced SecretStores and keys under ${tenantSecretPrefix("<tenant>")}.`,
    rules: [
      {
        name: "secret-store-is-aws-secrets-manager",
        match: inTenantNamespaces([secretStoreKind]),
        validate: enforce(
          "SecretStore {{ request.object.metadata.name }}: the only provider allowed in a tenant namespace is aws with service SecretsManager.",
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(`keys(${spec}.provider || ${json({})})`),
                    operator: "AnyNotIn",
                    value: ["aws"],
                    message: `provider {{ keys(${spec}.provider) }} is not aws`,
                  },
                  {
                    key: v(`${aws}.service || ''`),
                    operator: "NotEquals",
                    value: "SecretsManager",
                    message: `service "{{ ${aws}.service || '' }}" is not SecretsManager`,
                  },
                ],
              },
            },
          },
        ),
      },
      {
        name: "secret-store-authenticates-as-namespace-service-account",
        match: inTenantNamespaces([secretStoreKind]),
        validate: enforce(
          "SecretStore {{ request.object.metadata.name }}: authenticate with auth.jwt.serviceAccountRef naming a ServiceAccount of namespace {{ request.namespace }}; static credentials (auth.secretRef) are not allowed.",
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(`${aws}.auth.jwt.serviceAccountRef.name || ''`),
                    operator: "Equals",
                    value: "",
                    message: "auth.jwt.serviceAccountRef.name is missing",
                  },
                  {
                    key: v(`keys(${aws}.auth || ${json({})})`),
                    operator: "AnyIn",
                    value: ["secretRef"],
                    message: "auth.secretRef holds static credentials",
                  },
                  {
                    key: v(`${aws}.auth.jwt.serviceAccountRef.namespace || request.namespace`),
                    operator: "NotEquals",
                    value: v("request.namespace"),
                    message: `auth.jwt.serviceAccountRef.namespace is {{ ${aws}.auth.jwt.serviceAccountRef.namespace }}`,
                  },
                ],
              },
            },
          },
        ),
      },
      {
        name: "secret-store-has-no-indirection",
        match: inTenantNamespaces([secretStoreKind]),
        validate: enforce(
          `SecretStore {{ request.object.metadata.name }}: provider.aws may not set ${indirections.join(", ")}: they read as another IAM identity or shift every key out of the tenant's path.`,
          {
            deny: {
              conditions: { any: [{ key: v(`keys(${aws} || ${json({})})`), operator: "AnyIn", value: indirections }] },
            },
          },
        ),
      },
      {
        name: "external-secret-uses-namespaced-store",
        match: inTenantNamespaces([externalSecretKind]),
        validate: enforce(
          "ExternalSecret {{ request.object.metadata.name }}: tenant namespaces may use only their own SecretStores, never a ClusterSecretStore (in secretStoreRef or any sourceRef.storeRef).",
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(
                      `[${spec}.secretStoreRef.kind, ${spec}.data[].sourceRef.storeRef.kind, ${spec}.dataFrom[].sourceRef.storeRef.kind][] | [?@ != null]`,
                    ),
                    operator: "AnyIn",
                    value: ["ClusterSecretStore"],
                  },
                ],
              },
            },
          },
        ),
      },
      {
        name: "external-secret-keys-under-tenant-prefix",
        match: inTenantNamespaces([externalSecretKind]),
        context: prefixContext,
        validate: enforce(
          "ExternalSecret {{ request.object.metadata.name }}: every data[].remoteRef.key, dataFrom[].extract.key and dataFrom[].find.path must start with {{ secretPrefix }}.",
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(externalSecretKeys),
                    operator: "AnyNotIn",
                    value: [`${tenantPrefix}*`],
                    message: `keys and paths named: {{ ${externalSecretKeys} }}`,
                  },
                ],
              },
            },
          },
        ),
      },
      {
        name: "push-secret-stays-in-tenant",
        match: inTenantNamespaces([pushSecretKind]),
        context: prefixContext,
        validate: enforce(
          "PushSecret {{ request.object.metadata.name }}: push only through namespaced SecretStores and only to remote keys starting with {{ secretPrefix }}.",
          {
            deny: {
              conditions: {
                any: [
                  {
                    key: v(`${spec}.secretStoreRefs[].kind || ${json([])}`),
                    operator: "AnyIn",
                    value: ["ClusterSecretStore"],
                    message: "a secretStoreRef names a ClusterSecretStore",
                  },
                  {
                    key: v(`${spec}.data[].match.remoteRef.remoteKey || ${json([])}`),
                    operator: "AnyNotIn",
                    value: [`${tenantPrefix}*`],
                    message: `remote keys named: {{ ${spec}.data[].match.remoteRef.remoteKey }}`,
                  },
                ],
              },
            },
          },
        ),
      },
    ],
  });
