import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { CheckResult } from "../../src/validate/report.js";
import { formatResults } from "../../src/validate/formats.js";
import { validate } from "../../src/validate/validate.js";
import { expectFullyChecked } from "./fully-checked.js";

const root = process.cwd();
const fixtures = join("test", "fleet", "fixtures");
const fleet = (name: string, nodepools?: string, platform?: string) =>
  validate({ root, chart: "tenant", fleet: join(fixtures, name), nodepools, platform });
const failures = (rs: CheckResult[]) => rs.filter((r) => !r.ok);
const path = (...parts: string[]) => join(fixtures, ...parts);

describe("validate --fleet", () => {
  test("of same-named files in different folders, reports exactly the bad one's path, and checks each of the others", async () => {
    const rs = await fleet("same-file-name");
    const bad = path("same-file-name", "south", "values.yaml");
    expect(failures(rs).map((r) => [r.fixture, r.check])).toEqual([[bad, "ajv"]]);
    expect(failures(rs)[0]?.message).toContain("/tenant/tier");
    for (const ok of ["north", "west"]) expectFullyChecked(rs, path("same-file-name", ok, "values.yaml"));
  });

  test("reports two tenants that take one name once, with both paths and what they share", async () => {
    const rs = await fleet("duplicate-tenant-name");
    for (const team of ["team-a", "team-b"]) expectFullyChecked(rs, path("duplicate-tenant-name", team, "values.yaml"));
    const [collision, ...more] = failures(rs);
    expect(more).toEqual([]);
    expect(collision?.rung).toBe("fleet");
    expect(collision?.fixture).toBe(path("duplicate-tenant-name", "team-b", "values.yaml"));
    expect(collision?.message).toContain(path("duplicate-tenant-name", "team-a", "values.yaml"));
    for (const shared of ["tenant name orion", "namespace tenant-orion", "secret path llmcharts/tenants/orion/"])
      expect(collision?.message).toContain(shared);
    expect(collision?.message).toContain("tenant.name");
  });

  test("reports two tenants on one host, naming the host and the field", async () => {
    const [collision, ...more] = failures(await fleet("duplicate-host"));
    expect(more).toEqual([]);
    expect(collision?.message).toMatch(/duplicate-host\/lyra\/values\.yaml: both claim host ai\.shared\.example\.com/);
    expect(collision?.fixture).toBe(path("duplicate-host", "vega", "values.yaml"));
    expect(collision?.message).toContain("exposure.host");
  });

  test("refuses two tenants reading their secrets through one IAM role: it is neither's own", async () => {
    // Each tenant's role is named for it (llmcharts-tenant-<name>), so a role two tenants share is refused in each.
    const refused = failures(await fleet("shared-secret-role"));
    const tenants = ["altair", "deneb"];
    expect([...new Set(refused.map((r) => r.fixture))].sort()).toEqual(
      tenants.map((t) => path("shared-secret-role", t, "values.yaml")),
    );
    for (const t of tenants)
      for (const r of refused.filter((f) => f.fixture === path("shared-secret-role", t, "values.yaml"))) {
        expect(r.message).toContain(
          `at '/secrets/roleArn': arn:aws:iam::210987654321:role/llmcharts-tenants is not the role of tenant ${t}`,
        );
        expect(r.message).toContain(`name it llmcharts-tenant-${t}`);
      }
  });

  test("holds the premium tenants' GPU quotas against the GPU pools of the nodepools values file", async () => {
    const small = path("gpu-capacity", "nodepools-small.yaml");
    const [over, ...more] = failures(await fleet("gpu-capacity/tenants", small));
    expect(more).toEqual([]);
    expect(over?.fixture).toBe(small);
    expect(over?.message).toContain("quotas of nvidia.com/gpu add up to 14");
    expect(over?.message).toContain("offer at most 12");
    expect(over?.message).toContain(path("gpu-capacity", "tenants", "atlas", "values.yaml"));
    const large = await fleet("gpu-capacity/tenants", path("gpu-capacity", "nodepools-large.yaml"));
    expect(failures(large)).toEqual([]);
    expect(large.filter((r) => r.check === "GPU quotas fit the pools")).toHaveLength(1);
  });

  test("holds MIG slice quotas against the MIG pools of their profile, and each tenant's pool must exist", async () => {
    const whole = path("gpu-capacity-mig", "nodepools-whole-gpus.yaml");
    const rs = failures(await fleet("gpu-capacity-mig/tenants", whole));
    expect(rs.map((r) => [r.fixture, r.check])).toEqual([
      [path("gpu-capacity-mig", "tenants", "orion", "values.yaml"), "GPU pools exist"],
      [path("gpu-capacity-mig", "tenants", "pavo", "values.yaml"), "GPU pools exist"],
      [whole, "GPU quotas fit the pools"],
    ]);
    expect(rs[0]?.message).toBe(
      `ollama.premium.pool a100-mig-3g-40gb names no premium pool of ${whole} (it declares premium): declare a100-mig-3g-40gb in its extraGpuPools, or choose one of those`,
    );
    expect(rs[2]?.message).toContain("quotas of nvidia.com/mig-3g.40gb add up to 8");
    expect(rs[2]?.message).toContain("no pool offers it");
    const [tooFew, ...others] = failures(
      await fleet("gpu-capacity-mig/tenants", path("gpu-capacity-mig", "nodepools-mig-2.yaml")),
    );
    expect(others).toEqual([]);
    expect(tooFew?.message).toContain("offer at most 4 (fixture-a100-mig-3g-40gb 4)");
    const enough = await fleet("gpu-capacity-mig/tenants", path("gpu-capacity-mig", "nodepools-mig-4.yaml"));
    expect(failures(enough)).toEqual([]);
    expect(enough.filter((r) => r.rung === "fleet").map((r) => r.check)).toEqual([
      "unique tenants",
      "GPU pools exist",
      "GPU quotas fit the pools",
    ]);
  });

  test("holds each tenant's models against the platform's catalog, in the tier that reads each, naming file, key and model, and its Ollama against the pull Jobs'", async () => {
    const catalog = path("model-catalog", "platform-values.yaml");
    const tenant = (name: string) => path("model-catalog", "tenants", name, "values.yaml");
    const all = failures(await fleet("model-catalog/tenants", undefined, catalog));
    const rs = all.filter((r) => r.check === "models in the catalog");
    expect(rs.map((r) => [r.fixture, r.check, /^at '([^']+)': (\S+)/.exec(r.message ?? "")?.slice(1)])).toEqual([
      // Premium only: embeddings come from premium Ollama, and the catalog pulls the model for standard only.
      [tenant("mensa"), "models in the catalog", ["/openwebui/rag/embeddingModel", "nomic-embed-text:v1.5"]],
      [tenant("norma"), "models in the catalog", ["/ollama/standard/model", "mistral:7b"]],
      [tenant("norma"), "models in the catalog", ["/ollama/premium/model", "llama3.1:70b"]],
    ]);
    expect(rs[0]?.message).toBe(
      `at '/openwebui/rag/embeddingModel': nomic-embed-text:v1.5 is not in the premium catalog of ${catalog} (modelCache.models lists it for standard only, and each tier's Ollama reads only its own): add { name: nomic-embed-text, tag: v1.5, tier: premium } there, or set openwebui.rag.embeddingModel to a model it lists for premium (llama3.3:70b)`,
    );
    // CI annotations land on the line of the key that names the model.
    const github = formatResults(rs, "github", { summary: "", version: "0" }).split("\n");
    expect(github[1]).toMatch(new RegExp(`^::error file=${tenant("norma")},line=17,`));
    // The pull Jobs are pinned to another Ollama than every tenant runs: each tenant is told, on its image tag.
    const versions = all.filter((r) => r.check === "one Ollama version");
    expect(versions.map((r) => r.fixture)).toEqual(["lyra", "mensa", "norma"].map(tenant));
    expect(versions[0]?.message).toBe(
      `at '/ollama/image/tag': Ollama 0.24.0 reads a cache that the platform's pull Jobs write with Ollama 0.23.0 (modelCache.image.tag of ${catalog}): run one version on both sides, so that the cache is written as the tenants read it`,
    );
    expect(all).toHaveLength(rs.length + versions.length);
    const complete = await fleet(
      "model-catalog/tenants",
      undefined,
      path("model-catalog", "platform-values-complete.yaml"),
    );
    expect(failures(complete)).toEqual([]);
    expect(complete.filter((r) => r.rung === "fleet").map((r) => r.check)).toEqual([
      "unique tenants",
      "models in the catalog",
      "one Ollama version",
    ]);
  });

  test("a malformed file stops nothing else: each bad file is named once with the field and the fix", async () => {
    const rs = await fleet("malformed");
    expect(failures(rs).map((r) => [r.fixture, r.check])).toEqual([
      [path("malformed", "broken-yaml", "values.yaml"), "yaml"],
      [path("malformed", "typo", "values.yaml"), "ajv"],
    ]);
    expect(failures(rs)[0]?.message).toMatch(/not valid YAML: .*line 5.*fix the syntax/);
    expect(failures(rs)[1]?.message).toMatch(
      /unknown key "openwebuii"; (did you mean "openwebui"\? )?allowed keys: .*openwebui/,
    );
    expectFullyChecked(rs, path("malformed", "healthy", "values.yaml"));
  });

  const empty = mkdtempSync(join(tmpdir(), "llmcharts-empty-fleet-"));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  test("bad input is an error before any work: an empty or missing fleet folder, a nodepools or platform file the chart refuses", async () => {
    await expect(validate({ root, fleet: empty })).rejects.toThrow(/holds no values files/);
    await expect(validate({ root, fleet: join(empty, "nowhere") })).rejects.toThrow(/no such folder/);
    await expect(validate({ root, chart: "platform", fleet: join(fixtures, "malformed") })).rejects.toThrow(
      /use --chart tenant/,
    );
    const notNodepools = path("gpu-capacity", "tenants", "cetus", "values.yaml");
    await expect(fleet("gpu-capacity/tenants", notNodepools)).rejects.toThrow(
      `--nodepools ${notNodepools}: the nodepools chart refuses it`,
    );
    await expect(validate({ root, nodepools: notNodepools })).rejects.toThrow(/give the tenants too/);
    await expect(fleet("gpu-capacity/tenants", undefined, notNodepools)).rejects.toThrow(
      `--platform ${notNodepools}: the platform chart refuses it`,
    );
    await expect(validate({ root, platform: path("model-catalog", "platform-values.yaml") })).rejects.toThrow(
      /give the tenants too/,
    );
  });
});
