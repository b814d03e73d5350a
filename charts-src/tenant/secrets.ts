import { tenantSecretPrefix } from "../lib/conventions.js";
import { tenantRoleArnHead, tenantRoleName } from "../lib/tenant-iam.js";
import type { Helpers } from "../lib/engine/index.js";
import type { EnvVar, ExternalSecret, SecretStore, ServiceAccount } from "../lib/k8s.js";
import { tenantNamespaceName } from "../lib/tenant-namespace.js";
import { names, namespaced } from "./identity.js";
import type { TenantValues } from "./values.js";

/**
 * The tenant's secrets, read from AWS Secrets Manager by External Secrets with the tenant's own IAM role: a
 * ServiceAccount carrying the role, a SecretStore in the tenant namespace that authenticates as it (never a
 * ClusterSecretStore, which would read with the platform's identity), and one ExternalSecret per secret, each under
 * the tenant's prefix llmcharts/tenants/<name>/. No secret value ever passes through the values.
 *
 * Without External Secrets (a lab, or a site with its own secret tooling), `secrets.existingSecret` names one Secret
 * holding every key; the pods read it and nothing else is rendered.
 */

export interface TenantSecret {
  /** Kubernetes Secret (and ExternalSecret) name. */
  secret: string;
  /** Key in the Secret: the environment variable it becomes. */
  key: string;
  /** Name under the tenant's prefix in Secrets Manager. */
  remote: string;
  /** When the pods read it (the values that make them), as the README states it. */
  neededWhen: string;
}

export const tenantSecrets = {
  webuiSecretKey: {
    secret: "openwebui-secret-key",
    key: "WEBUI_SECRET_KEY",
    remote: "webui-secret-key",
    neededWhen: "always (signs sessions; every replica must share it)",
  },
  databaseUrl: {
    secret: "openwebui-database-url",
    key: "DATABASE_URL",
    remote: "database-url",
    neededWhen: "`openwebui.database.type: postgres`",
  },
  redisUrl: {
    secret: "openwebui-redis-url",
    key: "REDIS_URL",
    remote: "redis-url",
    neededWhen: "`openwebui.redis.enabled` (also read as WEBSOCKET_REDIS_URL)",
  },
  openaiApiKey: {
    secret: "openwebui-openai-api-key",
    key: "OPENAI_API_KEY",
    remote: "openai-api-key",
    neededWhen: "`openwebui.openai.enabled`",
  },
  oidcClientSecret: {
    secret: "openwebui-oidc-client-secret",
    key: "OAUTH_CLIENT_SECRET",
    remote: "oidc-client-secret",
    neededWhen: "`openwebui.oidc.enabled`",
  },
  adminPassword: {
    secret: "openwebui-admin-password",
    key: "WEBUI_ADMIN_PASSWORD",
    remote: "admin-password",
    neededWhen: "`openwebui.admin.email` is set (the bootstrapped admin's password)",
  },
} as const satisfies Record<string, TenantSecret>;

/** External Secrets manages the tenant's secrets unless an existing Secret is named. */
const usesExternalSecrets = (v: TenantValues, h: Helpers) => h.not(h.isSet(v.secrets.existingSecret));

/** An environment variable read from one of the tenant's secrets (or from the existing Secret, same key). */
export const secretEnv = (v: TenantValues, h: Helpers, name: string, s: TenantSecret): EnvVar => ({
  name,
  valueFrom: {
    secretKeyRef: { name: h.when(usesExternalSecrets(v, h), s.secret, v.secrets.existingSecret), key: s.key },
  },
});

/** Stakater Reloader's annotation: a workload naming Secrets in it is rolled out when one of them changes. */
export const reloadOnSecretsAnnotation = "secret.reloader.stakater.com/reload";

/**
 * The Secrets OpenWebUI reads, comma-separated as Reloader's annotation takes them: the ones External Secrets
 * manages, each when the values make OpenWebUI read it (as in its env), or the one existing Secret.
 */
export const openwebuiSecretNames = (v: TenantValues, h: Helpers): string => {
  const o = v.openwebui;
  const s = tenantSecrets;
  const also = (cond: Parameters<Helpers["pick"]>[0], secret: TenantSecret) => h.pick(cond, `,${secret.secret}`, "");
  return h.pick(
    usesExternalSecrets(v, h),
    [
      s.webuiSecretKey.secret,
      also(h.eq(o.database.type, "postgres"), s.databaseUrl),
      also(o.redis.enabled, s.redisUrl),
      also(o.openai.enabled, s.openaiApiKey),
      also(o.oidc.enabled, s.oidcClientSecret),
      also(h.isSet(o.admin.email), s.adminPassword),
    ].join(""),
    v.secrets.existingSecret,
  );
};

const serviceAccount = (v: TenantValues, h: Helpers): ServiceAccount => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: namespaced(v, h, names.secretsReader, "secrets", {
    chart: { "eks.amazonaws.com/role-arn": v.secrets.roleArn },
  }),
  // Only External Secrets uses it, through the TokenRequest API; no pod mounts its token.
  automountServiceAccountToken: false,
});

const secretStore = (v: TenantValues, h: Helpers): SecretStore => ({
  apiVersion: "external-secrets.io/v1",
  kind: "SecretStore",
  metadata: namespaced(v, h, names.secretStore, "secrets"),
  spec: {
    provider: {
      aws: {
        service: "SecretsManager",
        region: v.secrets.region,
        auth: { jwt: { serviceAccountRef: { name: names.secretsReader } } },
      },
    },
  },
});

const externalSecret = (v: TenantValues, h: Helpers, s: TenantSecret): ExternalSecret => ({
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  metadata: namespaced(v, h, s.secret, "secrets"),
  spec: h.partial(
    "externalSecret.spec",
    (a) => ({
      refreshInterval: v.secrets.refreshInterval,
      secretStoreRef: { kind: "SecretStore", name: names.secretStore },
      target: { name: a.secret, creationPolicy: "Owner", deletionPolicy: "Retain" },
      data: [{ secretKey: a.key, remoteRef: { key: `${tenantSecretPrefix(v.tenant.name)}${a.remote}` } }],
    }),
    "One secret of the tenant: read with its own IAM role from its prefix in Secrets Manager; the Secret stays if the ExternalSecret goes.",
    { secret: s.secret, key: s.key, remote: s.remote },
  ),
});

/**
 * The role must be the tenant's own by name (`llmcharts-tenant-<name>`, what `llmcharts iam-policy` makes), so that
 * one tenant's values cannot name the role that reads another's secrets. A schema cannot compare two values; this does.
 */
const foreignRole = (v: TenantValues, h: Helpers) =>
  h.refuse(
    h.and(
      usesExternalSecrets(v, h),
      // Without a tenant name there is no role to compare with: the chart's required values name what is missing.
      h.isSet(v.tenant.name),
      h.isSet(v.secrets.roleArn),
      h.not(h.eq(h.replaceMatch(v.secrets.roleArn, tenantRoleArnHead, ""), v.tenant.name)),
    ),
    `at '/secrets/roleArn': ${v.secrets.roleArn} is not the role of tenant ${v.tenant.name}; name it ${tenantRoleName(v.tenant.name)} (under any IAM path): \`llmcharts iam-policy ${v.tenant.name}\` prints its policies, which read only ${tenantSecretPrefix(v.tenant.name)}*`,
  );

export const secretsTemplate = (v: TenantValues, h: Helpers) => {
  const o = v.openwebui;
  return [
    foreignRole(v, h),
    h.when(usesExternalSecrets(v, h), [
      serviceAccount(v, h),
      secretStore(v, h),
      externalSecret(v, h, tenantSecrets.webuiSecretKey),
      h.when(h.eq(o.database.type, "postgres"), externalSecret(v, h, tenantSecrets.databaseUrl)),
      h.when(o.redis.enabled, externalSecret(v, h, tenantSecrets.redisUrl)),
      h.when(o.openai.enabled, externalSecret(v, h, tenantSecrets.openaiApiKey)),
      h.when(o.oidc.enabled, externalSecret(v, h, tenantSecrets.oidcClientSecret)),
      h.when(h.isSet(o.admin.email), externalSecret(v, h, tenantSecrets.adminPassword)),
    ]),
  ];
};

/**
 * The post-install note's line on secrets, from the declaration above: the existing Secret's keys when one is named,
 * otherwise the Secrets Manager names and the role that reads them.
 */
export const secretsNote = (v: TenantValues, h: Helpers): string => {
  const { webuiSecretKey: required, ...optional } = tenantSecrets;
  const list = (field: "key" | "remote") =>
    `${required[field]} (and ${Object.values(optional)
      .map((s) => s[field])
      .join(", ")} when used)`;
  return h.pick(
    h.isSet(v.secrets.existingSecret),
    `Before the pods start, Secret ${v.secrets.existingSecret} in namespace ${tenantNamespaceName(v.tenant.name)} must hold the keys ${list("key")}.`,
    `Before the pods start, AWS Secrets Manager must hold ${tenantSecretPrefix(v.tenant.name)}${list("remote")}, readable by ${v.secrets.roleArn}.`,
  );
};

/** The README's secret contract, from the declaration above: what each mode of `secrets` needs, and who may read it. */
export const secretContract = (): string => {
  const rows = Object.values(tenantSecrets).map(
    (s) => `| \`${tenantSecretPrefix("<name>")}${s.remote}\` | \`${s.key}\` | ${s.neededWhen} |`,
  );
  return `
## The secrets a tenant needs

Every secret comes from one place, chosen by \`secrets\`: AWS Secrets Manager through External Secrets (the default),
or one existing Secret (\`secrets.existingSecret\`, e.g. in a lab) in the tenant's namespace \`tenant-<name>\`. A
secret the pods need and cannot find leaves them in \`CreateContainerConfigError\`.

| Secrets Manager name | Key of \`existingSecret\` | Needed when |
| --- | --- | --- |
${rows.join("\n")}

With External Secrets, the tenant's IAM role (\`secrets.roleArn\`, through IRSA) is assumed by the ServiceAccount
\`${names.secretsReader}\` of the tenant's namespace: its trust policy's subject is
\`system:serviceaccount:tenant-<name>:${names.secretsReader}\` (audience \`sts.amazonaws.com\`), and it allows
\`secretsmanager:GetSecretValue\` on \`arn:aws:secretsmanager:<region>:<account>:secret:${tenantSecretPrefix("<name>")}*\`
and nothing else, so that no tenant reads another's. The role is named \`${tenantRoleName("<name>")}\` (under any IAM
path; the chart refuses another name), and \`llmcharts iam-policy <name> --account <id> --oidc-provider <provider>\`
prints it with both policies as JSON, made from the same names as the chart's ServiceAccount and ExternalSecrets.
`;
};
