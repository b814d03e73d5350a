/**
 * The CLI as an operator meets it: from a directory outside the repository, on their own files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { controllerNames } from "../../src/cluster/controllers/index.js";
import { run } from "../../src/lib/run.js";
import { newTenantValues } from "../../src/scaffold/tenant.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { byId, findAll, parseXml } from "../xml.js";

const root = join(import.meta.dirname, "..", "..");
const elsewhere = mkdtempSync(join(tmpdir(), "llmcharts-cli-"));
const llmcharts = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  run(process.execPath, [join(root, "bin", "llmcharts.js"), ...args], { cwd: elsewhere, env });
const checkTenant = valuesChecker(charts.tenant as NonNullable<(typeof charts)["tenant"]>);

afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

describe("llmcharts CLI", { timeout: 180_000 }, () => {
  it("--version prints the package's version", async () => {
    const out = await llmcharts(["--version"]);
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(out.exitCode).toBe(0);
    expect(out.stdout.trim()).toBe(version);
  });

  it("--help lists the commands by what they are for, with examples", async () => {
    const out = await llmcharts(["--help"]);
    expect(out.exitCode).toBe(0);
    const under = (heading: string) =>
      (out.stdout.split(`${heading}\n`)[1] ?? "")
        .split("\n\n")[0]
        ?.split("\n")
        .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
        .filter(Boolean);
    expect(under("Authoring:")).toEqual(["generate", "new", "iam-policy"]);
    expect(under("Proving:")).toEqual(["validate", "cluster", "test-install", "images", "test-runtime"]);
    expect(under("Release:")).toEqual(["package", "publish"]);
    expect(under("Toolchain:")).toEqual(["doctor", "tools"]);
    expect(out.stdout).toMatch(/Examples:\n {2}\$ llmcharts validate -f my-tenant\.yaml/);
  });

  it("refuses a value not among an option's choices with exit code 2, naming the allowed values, before any work", async () => {
    for (const [args, allowed] of [
      [["validate", "--chart", "gold"], "nodepools, tenant, platform"],
      [["new", "tenant", "acme", "--tier", "gold"], "standard, premium, both"],
      [["doctor", "--group", "gold"], "static, cluster, runtime, audit, all"],
      [["tools", "install", "--group", "gold"], "static, cluster, runtime, audit, all"],
      [["package", "--chart", "gold"], "nodepools, tenant, platform"],
      [["publish", "--registry", "oci://127.0.0.1:1/x", "--chart", "gold"], "nodepools, tenant, platform"],
      [["cluster", "up", "--controllers", "gold"], controllerNames.join(", ")],
    ] as const) {
      const out = await llmcharts([...args]);
      expect(out.exitCode, args.join(" ")).toBe(2);
      expect(out.stderr, args.join(" ")).toContain(`argument 'gold' is invalid. Allowed choices are ${allowed}.`);
      expect(out.stdout, args.join(" ")).toBe("");
    }
  });

  describe("new tenant", () => {
    it("writes a values file whose placeholders fail validation, naming each field, until filled in", async () => {
      const out = await llmcharts(["new", "tenant", "acme", "--tier", "both"]);
      expect(out.exitCode, out.stderr).toBe(0);
      const file = join(elsewhere, "acme.yaml");
      const values = parse(readFileSync(file, "utf8"));
      expect(values.tenant).toEqual({ name: "acme", tier: "both", costCentre: "unassigned" });
      const errors = checkTenant(values);
      expect(errors.map((e) => /at '([^']+)'/.exec(e)?.[1])).toEqual([
        "/secrets/roleArn",
        "/exposure/host",
        "/ollama/modelCache/volumeHandle",
      ]);
      expect(errors.every((e) => e.includes('"REPLACE-ME"'))).toBe(true);
      values.secrets.roleArn = "arn:aws:iam::123456789012:role/llmcharts-tenant-acme";
      values.exposure.host = "chat.acme.example.com";
      values.ollama.modelCache.volumeHandle = "fs-0123456789abcdef0::fsap-0123456789abcdef0";
      expect(checkTenant(values)).toEqual([]);
    });

    it("gives a premium tenant the GPU quota its tier needs", () => {
      const values = parse(newTenantValues("gpu-lab", "premium").text);
      expect(checkTenant(values).filter((e) => e.includes("/quota"))).toEqual([]);
      expect(values.quota.gpus).toBeGreaterThan(0);
    });

    it("refuses to overwrite a file, a bad name and a bad tier, writing nothing", async () => {
      writeFileSync(join(elsewhere, "taken.yaml"), "mine\n");
      const taken = await llmcharts(["new", "tenant", "taken"]);
      expect(taken.exitCode).toBe(1);
      expect(taken.stderr).toMatch(/taken\.yaml already exists; pass --out FILE/);
      expect(readFileSync(join(elsewhere, "taken.yaml"), "utf8")).toBe("mine\n");
      const badName = await llmcharts(["new", "tenant", "Acme_Corp"]);
      expect(badName.exitCode).toBe(2);
      expect(badName.stderr).toMatch(/tenant name "Acme_Corp": .*lower-case letters, digits and dashes/);
      expect(existsSync(join(elsewhere, "Acme_Corp.yaml"))).toBe(false);
      const badTier = await llmcharts(["new", "tenant", "gold-co", "--tier", "gold"]);
      expect(badTier.exitCode).toBe(2);
      expect(badTier.stderr).toMatch(/argument 'gold' is invalid. Allowed choices are standard, premium, both/);
      expect(existsSync(join(elsewhere, "gold-co.yaml"))).toBe(false);
    });
  });

  describe("validate a user's file outside the repository", () => {
    const typo = join(elsewhere, "typo.yaml");
    writeFileSync(typo, "tenant:\n  name: acme\n  teir: premium\n");

    it("finds the chart from the package, answers a typo with the nearest key, and prints the error once", async () => {
      const out = await llmcharts(["validate", "-f", typo]);
      expect(out.exitCode).toBe(1);
      const said = `${out.stdout}\n${out.stderr}`;
      const lines = said.split("\n").filter((l) => l.includes('unknown key "teir"'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /FAIL tenant \S*\/typo\.yaml \[values: ajv\] at '\/tenant': unknown key "teir"; did you mean "tier"\?/,
      );
      expect(out.stdout.trim().split("\n").at(-1)).toMatch(/^\d+ passed, 1 failed$/);
    });

    it("prints only JSON on stdout with --json, and GitHub annotations on the failing line with --format github", async () => {
      const json = await llmcharts(["validate", "-f", typo, "--json"]);
      expect(json.exitCode).toBe(1);
      const parsed = JSON.parse(json.stdout) as { results: { ok: boolean; message?: string }[]; summary: string };
      const failedMessages = parsed.results.filter((r) => !r.ok).map((r) => r.message);
      expect(failedMessages).toHaveLength(1);
      expect(failedMessages[0]).toMatch(/^at '\/tenant': unknown key "teir"; did you mean "tier"\?/);
      expect(parsed.summary).toMatch(/^\d+ passed, 1 failed$/);
      const github = await llmcharts(["validate", "-f", typo, "--format", "github"]);
      expect(github.exitCode).toBe(1);
      expect(github.stdout.trim()).toMatch(
        new RegExp(`^::error file=${typo.replace(/[/.]/g, "\\$&")},line=3,title=llmcharts tenant values%3A ajv::`),
      );
      expect(github.stderr.trim().split("\n").at(-1)).toMatch(/^\d+ passed, 1 failed$/);
    });

    it("answers a usage error (a missing file, an empty fleet, an unknown format) once, with exit code 2", async () => {
      const empty = mkdtempSync(join(elsewhere, "fleet-"));
      for (const [args, said] of [
        [["validate", "-f", join(elsewhere, "missing.yaml")], /-f \S*missing\.yaml: no such file/],
        [["validate", "--fleet", empty], /the folder holds no values files/],
        [
          ["validate", "-f", typo, "--format", "xml"],
          /argument 'xml' is invalid. Allowed choices are text, json, junit, github, sarif/,
        ],
      ] as const) {
        const out = await llmcharts([...args]);
        expect(out.exitCode, args.join(" ")).toBe(2);
        expect(out.stderr.match(new RegExp(said.source, "g")), args.join(" ")).toHaveLength(1);
        expect(out.stdout).toBe("");
      }
    });

    it("reports the values errors and names the rungs a missing tool stopped, with the command that installs it", async () => {
      const emptyCache = mkdtempSync(join(tmpdir(), "llmcharts-nocache-"));
      try {
        const out = await llmcharts(["validate", "-f", typo], { ...process.env, LLMCHARTS_CACHE: emptyCache });
        expect(out.exitCode).toBe(1);
        expect(out.stdout).toMatch(/did you mean "tier"/);
        expect(out.stdout).toMatch(
          /FAIL tenant - \[manifests: not run\] helm-render is not installed .*run: npx llmcharts tools install helm-render/,
        );
        expect(out.stdout.trim().split("\n").at(-1)).toMatch(
          /^0 passed, 3 failed; could not run: manifests, policies \(run: npx llmcharts tools install helm-render kyverno-apply\)$/,
        );
      } finally {
        rmSync(emptyCache, { recursive: true, force: true });
      }
    });
  });

  describe("validate --fleet --report", () => {
    const fleet = join(root, "test", "fleet", "fixtures", "gpu-capacity");

    it("writes the fleet's verdicts and its GPU quotas against the pools as one page, the same bytes every run", async () => {
      const pages = [];
      for (const name of ["first.html", "second.html"]) {
        const report = join(elsewhere, name);
        const args = [
          "validate",
          "--fleet",
          join(fleet, "tenants"),
          "--nodepools",
          join(fleet, "nodepools-small.yaml"),
        ];
        const out = await llmcharts([...args, "--report", report, "--json"]);
        expect(out.exitCode, out.stderr).toBe(1);
        expect(JSON.parse(out.stdout).summary).toMatch(/1 failed$/);
        expect(out.stderr).toContain(`wrote ${report}`);
        pages.push(readFileSync(report, "utf8"));
      }
      expect(pages[1]).toBe(pages[0]);
      const page = parseXml(pages[0] as string);
      const rows = findAll(byId(page, "verdicts") as ReturnType<typeof parseXml>, (n) => n.tag === "tr").slice(1);
      expect(rows.map((r) => r.children[0]?.text)).toEqual([
        "atlas/values.yaml",
        "boreas/values.yaml",
        "cetus/values.yaml",
      ]);
      expect(rows.flatMap((r) => r.children.slice(1).map((c) => c.attrs.class))).not.toContain("fail");
      const [bars] = findAll(page, (n) => n.tag === "svg");
      expect(bars?.text).toContain("14 asked of 12 (2 over the limit)");
    });

    it("refuses test-install --report when the isolation scenario does not run, before starting anything", async () => {
      const out = await llmcharts(["test-install", "--only", "2,6", "--report", join(elsewhere, "isolation.svg")]);
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(/--report draws what the isolation scenario finds: add 4 to --only/);
      expect(existsSync(join(elsewhere, "isolation.svg"))).toBe(false);
    });

    it("refuses --report without a fleet, with exit code 2", async () => {
      const out = await llmcharts(["validate", "--chart", "tenant", "--report", join(elsewhere, "x.html")]);
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(/--report draws a fleet: give the folder of tenant values files with --fleet DIR/);
    });
  });
});
