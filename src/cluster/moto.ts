/**
 * The Secrets Manager side of moto, as a suite puts a tenant's secrets there: each call names the account it acts in
 * (moto's `x-moto-account-id`), which is where External Secrets then reads them, with the web-identity credentials of
 * the role whose ARN names that account. Moto checks no signature (IAM enforcement is off, controllers.md §6); the
 * Authorization header only carries the credential scope moto routes by.
 */

export interface MotoSecrets {
  /** Creates a secret holding `value` in `account`. */
  create: (account: string, name: string, value: string) => Promise<void>;
  /** Stores a new current value of an existing secret (a rotation). */
  rotate: (account: string, name: string, value: string) => Promise<void>;
  /** The current value, or undefined when `account` has no such secret. */
  read: (account: string, name: string) => Promise<string | undefined>;
}

export const motoSecrets = (endpoint: string, region = "us-east-1"): MotoSecrets => {
  const call = async (account: string, action: string, body: object) => {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `secretsmanager.${action}`,
        Authorization: `AWS4-HMAC-SHA256 Credential=AKIAMOTOSUITE/20260101/${region}/secretsmanager/aws4_request, SignedHeaders=host, Signature=0`,
        "x-moto-account-id": account,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text };
  };
  const must = async (account: string, action: string, body: object) => {
    const res = await call(account, action, body);
    if (res.status !== 200) throw new Error(`moto ${action} in account ${account}: HTTP ${res.status}: ${res.body}`);
    return JSON.parse(res.body) as Record<string, unknown>;
  };
  return {
    create: async (account, name, value) => {
      await must(account, "CreateSecret", { Name: name, SecretString: value });
    },
    rotate: async (account, name, value) => {
      await must(account, "PutSecretValue", { SecretId: name, SecretString: value });
    },
    read: async (account, name) => {
      const res = await call(account, "GetSecretValue", { SecretId: name });
      if (res.body.includes("ResourceNotFoundException")) return undefined;
      if (res.status !== 200)
        throw new Error(`moto GetSecretValue in account ${account}: HTTP ${res.status}: ${res.body}`);
      return (JSON.parse(res.body) as { SecretString?: string }).SecretString;
    },
  };
};
