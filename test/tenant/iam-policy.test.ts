/**
 * A tenant's IAM role for its secrets (`llmcharts iam-policy TENANT`), read against the tenant chart's own rendering:
 * the permissions policy lets the role read every secret the chart's ExternalSecrets name and no other tenant's, and
 * the trust policy lets in only the ServiceAccount the chart's SecretStore authenticates as. Moto cannot enforce a
 * policy scoped to secret ARNs (controllers.md §6), so the documents are checked here, with IAM's own wildcard rules.
 */
import { describe, expect, test } from "vitest";
import { ValuesRefused } from "../../charts-src/lib/engine/index.js";
import type { ExternalSecret, SecretStore, ServiceAccount } from "../../charts-src/lib/k8s.js";
import { tenantIam, tenantRoleName } from "../../charts-src/lib/tenant-iam.js";
import { tenantSecrets } from "../../charts-src/tenant/secrets.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { run } from "../../src/lib/run.js";
import { ofKind } from "../rendered.js";
import { render } from "./render.js";

const opts = {
  account: "123456789012",
  oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B7",
  region: "us-east-1",
};

/** IAM's wildcards in a Resource: `*` any run of characters, `?` one; everything else literal. */
const iamMatches = (pattern: string, arn: string): boolean =>
  new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
      .join("")}$`,
  ).test(arn);

/** The ARN Secrets Manager gives a secret of this name: six random characters after a dash. */
const secretArn = (name: string, account = opts.account) =>
  `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-AbC123`;

const allows = (iam: ReturnType<typeof tenantIam>, action: string, arn: string): boolean =>
  iam.permissionsPolicy.Statement.some(
    (s) =>
      s.Effect === "Allow" &&
      [s.Action].flat().includes(action) &&
      [s.Resource ?? []].flat().some((r) => iamMatches(r, arn)),
  );

const withEveryTenantSecret = (name: string) => ({
  tenant: { name },
  exposure: { host: "chat.example.com" },
  secrets: { roleArn: `arn:aws:iam::${opts.account}:role/${tenantRoleName(name)}` },
  ollama: { modelCache: { volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" } },
  openwebui: {
    database: { type: "postgres", cidrs: ["10.40.16.0/24"] },
    redis: { enabled: true, cidrs: ["10.40.32.0/24"] },
    openai: { enabled: true, cidrs: ["0.0.0.0/0"] },
    oidc: {
      enabled: true,
      providerUrl: "https://login.example.com/.well-known/openid-configuration",
      clientId: "chat",
      cidrs: ["0.0.0.0/0"],
    },
    admin: { email: "admin@example.com" },
  },
});

describe("the permissions policy, against the chart's ExternalSecrets", () => {
  const acme = tenantIam("acme", opts);
  const good = loadFixtures(process.cwd(), "tenant").filter((f) => f.kind === "good");

  test("reads every secret the chart's ExternalSecrets name, in every good fixture, and only with GetSecretValue", () => {
    const checked: string[] = [];
    for (const fixture of good) {
      const objects = render(fixture.values);
      const tenant = String(ofKind(objects, "Namespace")[0]?.metadata.name.replace(/^tenant-/, "") ?? "example");
      const iam = tenantIam(tenant, opts);
      for (const es of ofKind<ExternalSecret>(objects, "ExternalSecret"))
        for (const d of es.spec?.data ?? []) {
          const arn = secretArn(d.remoteRef.key);
          expect(allows(iam, "secretsmanager:GetSecretValue", arn), `${fixture.name}: ${arn}`).toBe(true);
          checked.push(d.remoteRef.key);
        }
    }
    expect(checked.length).toBeGreaterThan(good.length);
    expect(acme.permissionsPolicy.Statement.flatMap((s) => [s.Action].flat())).toEqual([
      "secretsmanager:GetSecretValue",
    ]);
  });

  test("covers each secret the chart declares, when every one is in use", () => {
    const objects = render(withEveryTenantSecret("acme"));
    const keys = ofKind<ExternalSecret>(objects, "ExternalSecret").flatMap((es) =>
      (es.spec?.data ?? []).map((d) => d.remoteRef.key),
    );
    expect(keys.sort()).toEqual(
      Object.values(tenantSecrets)
        .map((s) => `llmcharts/tenants/acme/${s.remote}`)
        .sort(),
    );
    for (const key of keys) expect(allows(acme, "secretsmanager:GetSecretValue", secretArn(key))).toBe(true);
  });

  test("reads no other tenant's secret, not even one whose name starts with the tenant's (acme-corp)", () => {
    for (const other of ["globex", "acme-corp", "acmex"]) {
      const objects = render(withEveryTenantSecret(other));
      for (const es of ofKind<ExternalSecret>(objects, "ExternalSecret"))
        for (const d of es.spec?.data ?? [])
          expect(allows(acme, "secretsmanager:GetSecretValue", secretArn(d.remoteRef.key)), d.remoteRef.key).toBe(
            false,
          );
    }
    expect(allows(acme, "secretsmanager:GetSecretValue", secretArn("llmcharts/tenants/acme-secret"))).toBe(false);
    expect(allows(acme, "secretsmanager:GetSecretValue", secretArn("llmcharts/platform/grafana-admin"))).toBe(false);
  });

  test("reads nothing in another account, nor writes or lists", () => {
    expect(
      allows(acme, "secretsmanager:GetSecretValue", secretArn("llmcharts/tenants/acme/database-url", "210987654321")),
    ).toBe(false);
    const arn = secretArn("llmcharts/tenants/acme/database-url");
    for (const action of ["secretsmanager:PutSecretValue", "secretsmanager:ListSecrets", "secretsmanager:*"])
      expect(allows(acme, action, arn), action).toBe(false);
  });
});

describe("the trust policy, against the chart's ServiceAccount and SecretStore", () => {
  const objects = render(withEveryTenantSecret("acme"));
  const iam = tenantIam("acme", opts);
  const [trust] = iam.trustPolicy.Statement;

  test("lets in only the ServiceAccount the SecretStore authenticates as, with IRSA's audience", () => {
    const store = ofKind<SecretStore>(objects, "SecretStore")[0];
    const saName = store?.spec?.provider?.aws?.auth?.jwt?.serviceAccountRef?.name;
    const sa = ofKind<ServiceAccount>(objects, "ServiceAccount").find((s) => s.metadata.name === saName);
    expect(sa, `ServiceAccount ${saName}`).toBeDefined();
    expect(iam.subject).toBe(`system:serviceaccount:${sa?.metadata.namespace}:${saName}`);
    expect(trust?.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust?.Principal).toEqual({ Federated: `arn:aws:iam::123456789012:oidc-provider/${opts.oidcProvider}` });
    expect(trust?.Condition).toEqual({
      StringEquals: { [`${opts.oidcProvider}:sub`]: iam.subject, [`${opts.oidcProvider}:aud`]: "sts.amazonaws.com" },
    });
  });

  test("is the role the ServiceAccount's annotation names, when the values follow the tenant's naming", () => {
    const sa = ofKind<ServiceAccount>(objects, "ServiceAccount").find((s) => s.metadata.name === "secrets-reader");
    expect(sa?.metadata.annotations?.["eks.amazonaws.com/role-arn"]).toBe(iam.roleArn);
  });
});

describe("the tenant chart's role ARN, against the role's naming", () => {
  const withRole = (roleArn: string) => ({ ...withEveryTenantSecret("acme"), secrets: { roleArn } });

  test.each([
    ["another tenant's role", "arn:aws:iam::123456789012:role/llmcharts-tenant-globex"],
    ["a role whose name only starts with the tenant's", "arn:aws:iam::123456789012:role/llmcharts-tenant-acme-corp"],
    ["a role named otherwise", "arn:aws:iam::123456789012:role/acme-secrets"],
  ])("refuses %s, naming the key and the role to create", (_, roleArn) => {
    expect(() => render(withRole(roleArn))).toThrow(ValuesRefused);
    expect(() => render(withRole(roleArn))).toThrow(
      `at '/secrets/roleArn': ${roleArn} is not the role of tenant acme; name it llmcharts-tenant-acme`,
    );
  });

  test("takes the tenant's own role, under an IAM path or in another partition", () => {
    for (const roleArn of [
      "arn:aws:iam::123456789012:role/tenants/llmcharts-tenant-acme",
      "arn:aws-us-gov:iam::123456789012:role/llmcharts-tenant-acme",
    ])
      expect(
        ofKind<ServiceAccount>(render(withRole(roleArn)), "ServiceAccount").map((s) => s.metadata.annotations),
      ).toContainEqual({
        "eks.amazonaws.com/role-arn": roleArn,
      });
  });

  test("asks nothing of the role when an existing Secret holds the keys", () => {
    const values = {
      ...withEveryTenantSecret("acme"),
      secrets: { existingSecret: "acme-keys", roleArn: "arn:aws:iam::123456789012:role/other" },
    };
    expect(ofKind<ExternalSecret>(render(values), "ExternalSecret")).toEqual([]);
  });
});

describe("llmcharts iam-policy", () => {
  const cli = (args: string[]) => run(process.execPath, ["bin/llmcharts.js", "iam-policy", ...args]);

  test("prints the role, its permissions and its trust policy as JSON", async () => {
    const res = await cli(["acme", "--account", opts.account, "--oidc-provider", `https://${opts.oidcProvider}`]);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(tenantIam("acme", { ...opts, region: "*" }));
  });

  test.each([
    [["Acme", "--account", opts.account, "--oidc-provider", opts.oidcProvider], /tenant name "Acme".*\/tenant\/name/],
    [["acme", "--account", "12345", "--oidc-provider", opts.oidcProvider], /account "12345": give the 12-digit/],
    [
      ["acme", "--account", opts.account, "--oidc-provider", opts.oidcProvider, "--region", "Ohio"],
      /region "Ohio": give an AWS region/,
    ],
  ])("refuses %j naming the value and the fix", async (args, message) => {
    const res = await cli(args);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});
