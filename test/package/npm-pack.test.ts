/**
 * The package used outside this repository: `npm pack`, then the tarball unpacked into a temporary project's
 * node_modules beside exactly the production dependencies the lockfile resolves (linked from this checkout: no
 * registry at test time), and `npx llmcharts` run there on the operator's own files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { run, runStep } from "../../src/lib/run.js";
import { isolatedHelmEnv } from "../../src/release/package.js";

const root = join(import.meta.dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "llmcharts-consumer-"));
const modules = join(project, "node_modules");
const npx = (args: string[]) =>
  run("npx", ["--no-install", "llmcharts", ...args], {
    cwd: project,
    env: { ...process.env, ...isolatedHelmEnv(join(project, ".helm")), npm_config_update_notifier: "false" },
  });

beforeAll(async () => {
  await runStep("npm pack", "npm", ["pack", "--pack-destination", project], { cwd: root });
  const tarball = readdirSync(project).find((f) => f.endsWith(".tgz")) as string;
  mkdirSync(join(modules, ".bin"), { recursive: true });
  await runStep("unpack", "tar", ["-xzf", join(project, tarball), "-C", project]);
  await runStep("place", "mv", [join(project, "package"), join(modules, "llmcharts")]);
  // The production dependency closure, as npm would install it (top-level packages; nested ones come along).
  const ls = await runStep("npm ls", "npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: root });
  for (const path of ls.stdout.split("\n").slice(1).filter(Boolean)) {
    const rel = relative(join(root, "node_modules"), path);
    if (rel.startsWith("..") || rel.includes("node_modules")) continue;
    mkdirSync(dirname(join(modules, rel)), { recursive: true });
    symlinkSync(path, join(modules, rel));
  }
  symlinkSync("../llmcharts/bin/llmcharts.js", join(modules, ".bin", "llmcharts"));
  writeFileSync(join(project, "package.json"), '{ "name": "operator", "private": true }\n');
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("npx llmcharts from a packed tarball", { timeout: 240_000 }, () => {
  it("ships no tests and no scripts, only what the CLI needs", () => {
    const shipped = readdirSync(join(modules, "llmcharts")).sort();
    expect(shipped).toEqual(
      [
        "CHANGELOG.md",
        // The release's public keys: the READMEs show their fingerprints, and package --sign checks against them.
        "KEYS",
        "README.md",
        // The alerts' promtool suites: generated beside the charts, run by validate.
        "alert-tests",
        "assets",
        "bin",
        "charts-src",
        "generated",
        "package.json",
        "policies",
        "schemas",
        "src",
        // Our Go renderer's source: the installer builds helm-render from it.
        "tools",
      ].sort(),
    );
  });

  it("runs generate --check against its own generated charts", async () => {
    const out = await npx(["generate", "--check"]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/generated files are current: 0 changed/);
  });

  it("writes a new tenant, which validate refuses until filled in and then passes on every rung", async () => {
    const created = await npx(["new", "tenant", "acme"]);
    expect(created.exitCode, created.stderr).toBe(0);
    const refused = await npx(["validate", "-f", "acme.yaml"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(/at '\/secrets\/roleArn': "REPLACE-ME" must match pattern/);
    const values = parse(readFileSync(join(project, "acme.yaml"), "utf8"));
    values.secrets.roleArn = "arn:aws:iam::123456789012:role/llmcharts-tenant-acme";
    values.exposure.host = "chat.acme.example.com";
    values.ollama.modelCache.volumeHandle = "fs-0123456789abcdef0::fsap-0123456789abcdef0";
    writeFileSync(join(project, "acme.yaml"), stringify(values));
    const passed = await npx(["validate", "-f", "acme.yaml"]);
    expect(passed.exitCode, passed.stdout).toBe(0);
    expect(passed.stdout.trim().split("\n").at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it("packages every chart into the operator's folder", async () => {
    const out = await npx(["package", "--out", "dist"]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(readdirSync(join(project, "dist")).sort()).toEqual(
      Object.values(charts)
        .map((c) => `${c.name}-${c.version}.tgz`)
        .sort(),
    );
  });
});
