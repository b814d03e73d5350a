/**
 * A tenant's IAM role for its secrets, as AWS needs it created: the role's name, its permissions policy (read the
 * secrets under the tenant's prefix in Secrets Manager, nothing else) and its trust policy (assumed only by the
 * tenant's `secrets-reader` ServiceAccount, through the cluster's OIDC provider: IRSA). Made from the same names the
 * tenant chart renders its ServiceAccount and ExternalSecrets with (tenantSecretPrefix, tenantObjectNames), so the
 * role and the chart cannot drift apart. `llmcharts iam-policy TENANT` prints it.
 */
import { tenantSecretPrefix } from "./conventions.js";
import { tenantNamespaceName, tenantObjectNames } from "./tenant-namespace.js";

/** What every tenant's role name starts with; the tenant's name follows. */
export const tenantRolePrefix = "llmcharts-tenant-";

/** The IAM role name a tenant's values must name (`secrets.roleArn`, optionally under an IAM path). */
export const tenantRoleName = (tenant: string): string => `${tenantRolePrefix}${tenant}`;

/**
 * A role ARN up to the tenant's name, whatever its partition, account and IAM path (RE2 and JavaScript alike): what
 * is left once it is cut from `secrets.roleArn` must be the tenant's name.
 */
export const tenantRoleArnHead = `^arn:[-a-z]+:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*${tenantRolePrefix}`;

/** The audience External Secrets asks the API server's TokenRequest for, and IRSA's trust condition checks. */
export const irsaAudience = "sts.amazonaws.com";

/** What External Secrets calls to read a secret by name; nothing that lists, describes or writes. */
export const tenantSecretActions = ["secretsmanager:GetSecretValue"] as const;

export interface TenantIamOptions {
  /** The AWS account holding the tenant's secrets and role (12 digits). */
  account: string;
  /** The cluster's IAM OIDC provider, as IAM names it: `oidc.eks.<region>.amazonaws.com/id/<ID>`. */
  oidcProvider: string;
  /** The secrets' region, or `*` for any. */
  region?: string;
  /** The AWS partition (`aws`, `aws-cn`, `aws-us-gov`). */
  partition?: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface TenantIam {
  tenant: string;
  roleName: string;
  roleArn: string;
  /** The ServiceAccount that assumes the role: `system:serviceaccount:<namespace>:<name>`. */
  subject: string;
  permissionsPolicy: PolicyDocument;
  trustPolicy: PolicyDocument;
}

const accountPattern = /^[0-9]{12}$/;
const oidcPattern = /^[a-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/;
const regionPattern = /^(\*|[a-z]{2}(-[a-z]+)+-[0-9])$/;

/** The tenant's role and policies; a bad account, provider or region is refused naming it and what is expected. */
export const tenantIam = (tenant: string, opts: TenantIamOptions): TenantIam => {
  const { account, region = "*", partition = "aws" } = opts;
  const oidcProvider = opts.oidcProvider.replace(/^https:\/\//, "");
  if (!accountPattern.test(account))
    throw new Error(`account "${account}": give the 12-digit AWS account ID that holds the tenant's secrets`);
  if (!oidcPattern.test(oidcProvider))
    throw new Error(
      `OIDC provider "${opts.oidcProvider}": give the cluster's IAM OIDC provider, e.g. oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE`,
    );
  if (!regionPattern.test(region)) throw new Error(`region "${region}": give an AWS region such as us-east-1, or *`);
  const roleName = tenantRoleName(tenant);
  const subject = `system:serviceaccount:${tenantNamespaceName(tenant)}:${tenantObjectNames.secretsReader}`;
  return {
    tenant,
    roleName,
    roleArn: `arn:${partition}:iam::${account}:role/${roleName}`,
    subject,
    permissionsPolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadOwnSecrets",
          Effect: "Allow",
          Action: [...tenantSecretActions],
          Resource: `arn:${partition}:secretsmanager:${region}:${account}:secret:${tenantSecretPrefix(tenant)}*`,
        },
      ],
    },
    trustPolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TenantSecretsReader",
          Effect: "Allow",
          Principal: { Federated: `arn:${partition}:iam::${account}:oidc-provider/${oidcProvider}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${oidcProvider}:sub`]: subject, [`${oidcProvider}:aud`]: irsaAudience },
          },
        },
      ],
    },
  };
};
