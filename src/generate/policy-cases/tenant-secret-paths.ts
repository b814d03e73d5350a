import { tenantSecretPrefix } from "../../../charts-src/lib/conventions.js";
import { tenantSecretPathsName } from "../../../charts-src/platform/policies/tenant-secret-paths.js";
import { acme, globex, type K8sObject, observability } from "./fixtures.js";
import type { PolicySuite } from "./types.js";

const isAwsSm = "secret-store-is-aws-secrets-manager";
const asServiceAccount = "secret-store-authenticates-as-namespace-service-account";
const noIndirection = "secret-store-has-no-indirection";
const namespacedStore = "external-secret-uses-namespaced-store";
const underPrefix = "external-secret-keys-under-tenant-prefix";
const pushInTenant = "push-secret-stays-in-tenant";

const storePasses = { [isAwsSm]: "pass", [asServiceAccount]: "pass", [noIndirection]: "pass" } as const;
const externalSecretPasses = { [namespacedStore]: "pass", [underPrefix]: "pass" } as const;

const awsProvider = (extra: Record<string, unknown> = {}, auth?: Record<string, unknown>) => ({
  aws: {
    service: "SecretsManager",
    region: "eu-west-1",
    auth: auth ?? { jwt: { serviceAccountRef: { name: "tenant-secrets" } } },
    ...extra,
  },
});

const secretStore = (name: string, namespace: string, provider: Record<string, unknown>): K8sObject => ({
  apiVersion: "external-secrets.io/v1",
  kind: "SecretStore",
  metadata: { name, namespace },
  spec: { provider },
});

const externalSecret = (name: string, namespace: string, spec: Record<string, unknown>): K8sObject => ({
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  metadata: { name, namespace },
  spec: {
    refreshInterval: "1h",
    secretStoreRef: { kind: "SecretStore", name: "tenant-secrets" },
    target: { name, creationPolicy: "Owner" },
    ...spec,
  },
});

const keys = (...remote: string[]) => ({
  data: remote.map((key, i) => ({ secretKey: `key${i}`, remoteRef: { key } })),
});

const pushSecret = (
  name: string,
  namespace: string,
  remoteKey: string,
  storeKind: "SecretStore" | "ClusterSecretStore" = "SecretStore",
): K8sObject => ({
  apiVersion: "external-secrets.io/v1alpha1",
  kind: "PushSecret",
  metadata: { name, namespace },
  spec: {
    refreshInterval: "1h",
    secretStoreRefs: [{ kind: storeKind, name: "tenant-secrets" }],
    selector: { secret: { name: "openwebui-generated" } },
    data: [{ match: { secretKey: "webui-secret-key", remoteRef: { remoteKey } } }],
  },
});

const acmePath = tenantSecretPrefix("acme");
const globexPath = tenantSecretPrefix("globex");

export const tenantSecretPathsSuite: PolicySuite = {
  policy: tenantSecretPathsName,
  cases: [
    {
      why: "the tenant chart's store: Secrets Manager as the tenant's ServiceAccount",
      resource: secretStore("acme-secrets", acme.name, awsProvider()),
      expect: storePasses,
    },
    {
      why: "naming its own namespace explicitly is fine",
      resource: secretStore(
        "acme-secrets-explicit",
        acme.name,
        awsProvider({}, { jwt: { serviceAccountRef: { name: "tenant-secrets", namespace: acme.name } } }),
      ),
      expect: storePasses,
    },
    {
      why: "static access keys in a Secret",
      resource: secretStore(
        "acme-static-keys",
        acme.name,
        awsProvider(
          {},
          {
            secretRef: {
              accessKeyIDSecretRef: { name: "aws", key: "id" },
              secretAccessKeySecretRef: { name: "aws", key: "secret" },
            },
          },
        ),
      ),
      expect: { [isAwsSm]: "pass", [asServiceAccount]: "fail", [noIndirection]: "pass" },
    },
    {
      why: "no auth: the store would read as the External Secrets controller, which reads every tenant",
      resource: secretStore("acme-controller-identity", acme.name, awsProvider({}, {})),
      expect: { [isAwsSm]: "pass", [asServiceAccount]: "fail", [noIndirection]: "pass" },
    },
    {
      why: "a ServiceAccount of another tenant's namespace",
      resource: secretStore(
        "acme-borrowed-identity",
        acme.name,
        awsProvider({}, { jwt: { serviceAccountRef: { name: "tenant-secrets", namespace: globex.name } } }),
      ),
      expect: { [isAwsSm]: "pass", [asServiceAccount]: "fail", [noIndirection]: "pass" },
    },
    {
      why: "Parameter Store instead of Secrets Manager",
      resource: secretStore("acme-parameter-store", acme.name, {
        aws: { ...awsProvider().aws, service: "ParameterStore" },
      }),
      expect: { [isAwsSm]: "fail", [asServiceAccount]: "pass", [noIndirection]: "pass" },
    },
    {
      why: "another provider altogether",
      resource: secretStore("acme-vault", acme.name, {
        vault: { server: "https://vault.example.com", auth: { kubernetes: { role: "acme", mountPath: "kubernetes" } } },
      }),
      expect: { [isAwsSm]: "fail", [asServiceAccount]: "fail", [noIndirection]: "pass" },
    },
    {
      why: "chaining into another IAM role",
      resource: secretStore(
        "acme-role-chain",
        acme.name,
        awsProvider({ role: "arn:aws:iam::111122223333:role/globex-secrets" }),
      ),
      expect: { [isAwsSm]: "pass", [asServiceAccount]: "pass", [noIndirection]: "fail" },
    },
    {
      why: "a store-wide key prefix would move every key out of the checked path",
      resource: secretStore("acme-prefixed", acme.name, awsProvider({ prefix: "llmcharts/tenants/" })),
      expect: { [isAwsSm]: "pass", [asServiceAccount]: "pass", [noIndirection]: "fail" },
    },
    {
      why: "OpenWebUI's secrets under the tenant's own path",
      resource: externalSecret(
        "acme-openwebui",
        acme.name,
        keys(`${acmePath}webui-secret-key`, `${acmePath}database-url`, `${acmePath}redis-url`),
      ),
      expect: externalSecretPasses,
    },
    {
      why: "extracting a JSON secret and finding by path, both under the tenant's path",
      resource: externalSecret("acme-oidc", acme.name, {
        dataFrom: [
          { extract: { key: `${acmePath}oidc` } },
          { find: { path: `${acmePath}openai/`, name: { regexp: ".*" } } },
        ],
      }),
      expect: externalSecretPasses,
    },
    {
      why: "another tenant's secret",
      resource: externalSecret(
        "acme-reads-globex",
        acme.name,
        keys(`${acmePath}database-url`, `${globexPath}openai-api-key`),
      ),
      expect: { [namespacedStore]: "pass", [underPrefix]: "fail" },
    },
    {
      why: "a tenant whose name starts with this one's: the trailing slash keeps them apart",
      resource: externalSecret("acme-reads-acmecorp", acme.name, {
        dataFrom: [{ extract: { key: `${tenantSecretPrefix("acmecorp")}db` } }],
      }),
      expect: { [namespacedStore]: "pass", [underPrefix]: "fail" },
    },
    {
      why: "find without a path searches everything the identity can list",
      resource: externalSecret("acme-find-everything", acme.name, {
        dataFrom: [{ find: { name: { regexp: "openai" } } }],
      }),
      expect: { [namespacedStore]: "pass", [underPrefix]: "fail" },
    },
    {
      why: "a ClusterSecretStore reads with the platform's identity",
      resource: externalSecret("acme-cluster-store", acme.name, {
        ...keys(`${acmePath}database-url`),
        secretStoreRef: { kind: "ClusterSecretStore", name: "platform" },
      }),
      expect: { [namespacedStore]: "fail", [underPrefix]: "pass" },
    },
    {
      why: "a ClusterSecretStore hidden in a per-entry sourceRef",
      resource: externalSecret("acme-cluster-store-sourceref", acme.name, {
        data: [
          {
            secretKey: "db",
            remoteRef: { key: `${acmePath}database-url` },
            sourceRef: { storeRef: { kind: "ClusterSecretStore", name: "platform" } },
          },
        ],
      }),
      expect: { [namespacedStore]: "fail", [underPrefix]: "pass" },
    },
    {
      why: "premium tenant reading its own path",
      resource: externalSecret("globex-openwebui", globex.name, keys(`${globexPath}webui-secret-key`)),
      expect: externalSecretPasses,
    },
    {
      why: "premium tenant reading a standard tenant's path",
      resource: externalSecret("globex-reads-acme", globex.name, keys(`${acmePath}webui-secret-key`)),
      expect: { [namespacedStore]: "pass", [underPrefix]: "fail" },
    },
    {
      why: "pushing a generated key to the tenant's own path",
      resource: pushSecret("acme-push-webui-key", acme.name, `${acmePath}webui-secret-key`),
      expect: { [pushInTenant]: "pass" },
    },
    {
      why: "pushing into another tenant's path",
      resource: pushSecret("acme-push-to-globex", acme.name, `${globexPath}webui-secret-key`),
      expect: { [pushInTenant]: "fail" },
    },
    {
      why: "pushing through a ClusterSecretStore",
      resource: pushSecret("acme-push-cluster-store", acme.name, `${acmePath}webui-secret-key`, "ClusterSecretStore"),
      expect: { [pushInTenant]: "fail" },
    },
    {
      why: "not a tenant namespace: left to the platform",
      resource: externalSecret("monitoring-grafana", observability.name, {
        ...keys("llmcharts/platform/grafana-admin"),
        secretStoreRef: { kind: "ClusterSecretStore", name: "platform" },
      }),
      expect: { [namespacedStore]: "skip", [underPrefix]: "skip" },
    },
  ],
};
