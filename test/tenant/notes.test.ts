/**
 * The post-install notes Helm prints (`helm install`, rendered by Helm itself): they name what the values use (the
 * existing Secret's keys, or Secrets Manager and the tenant's role), never "readable by ." with an empty role, and
 * `helm test` with the release's namespace.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tenantSecrets } from "../../charts-src/tenant/secrets.js";
import { run } from "../../src/lib/run.js";
import { requireBin } from "../../src/toolchain/tools.js";

const root = join(import.meta.dirname, "..", "..");
const fixture = (name: string) => join(root, "charts-src", "tenant", "fixtures", "good", `${name}.yaml`);

const notes = async (valuesFile: string): Promise<string> => {
  const chart = join(root, "generated", "tenant");
  const res = await run(requireBin("helm"), [
    "install",
    "acme",
    chart,
    "--namespace",
    "tenants",
    "--dry-run=client",
    "-f",
    valuesFile,
  ]);
  expect(res.exitCode, res.stderr).toBe(0);
  return res.stdout.slice(res.stdout.indexOf("NOTES:"));
};

describe("the tenant's post-install notes", () => {
  it("with an existing Secret, name that Secret and every key the pods read from it", async () => {
    const text = await notes(fixture("lab-one-node"));
    expect(text).toMatch(/Secret \S+ in namespace tenant-\S+ must hold the keys WEBUI_SECRET_KEY/);
    for (const s of Object.values(tenantSecrets)) expect(text).toContain(s.key);
    expect(text).not.toContain("Secrets Manager");
    expect(text).not.toMatch(/readable by \.?\s*$/m);
  });

  it("with External Secrets, name each Secrets Manager secret and the tenant's role", async () => {
    const text = await notes(fixture("both-enterprise-ha"));
    expect(text).toMatch(/AWS Secrets Manager must hold llmcharts\/tenants\/[a-z0-9-]+\/webui-secret-key/);
    for (const s of Object.values(tenantSecrets)) expect(text).toContain(s.remote);
    expect(text).toMatch(/readable by arn:aws:iam::\d+:role\/\S+\./);
  });

  it("show helm test with the release's namespace", async () => {
    expect(await notes(fixture("lab-one-node"))).toContain("helm test acme --namespace tenants");
  });
});
