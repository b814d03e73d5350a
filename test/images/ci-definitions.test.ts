/**
 * What fleet repositories run: the GitHub Action (action.yml) and the pre-commit hooks (.pre-commit-hooks.yaml) name
 * the image `publish` pushes to the project's registry, and a command the image's CLI accepts and runs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { validatorImage, validatorRef } from "../../src/images/validator.js";
import { run } from "../../src/lib/run.js";

const repo = join(import.meta.dirname, "..", "..");
/** Where the project publishes (README: helm install … oci://ghcr.io/llmcharts/charts/<chart>). */
const projectRegistry = "oci://ghcr.io/llmcharts/charts";
const published = validatorRef(projectRegistry);

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; image: string; args: string[] };
}
interface Hook {
  id: string;
  language: string;
  entry: string;
  args?: string[];
  pass_filenames?: boolean;
}
const action = parse(readFileSync(join(repo, "action.yml"), "utf8")) as Action;
const hooks = parse(readFileSync(join(repo, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];

/** A fleet repository's checkout: a site layer, two tenants on one host (one failure), a values file at the top. */
const fleetRepo = mkdtempSync(join(tmpdir(), "llmcharts-ci-definitions-"));
const fixtures = join(repo, "test", "fleet", "fixtures");
cpSync(join(fixtures, "duplicate-host"), join(fleetRepo, "tenants"), { recursive: true });
cpSync(join(fixtures, "duplicate-host", "lyra", "values.yaml"), join(fleetRepo, "values-lyra.yaml"));
afterAll(() => rmSync(fleetRepo, { recursive: true, force: true }));

/** The image's entrypoint is the llmcharts CLI: the repository's, from the fleet repository's root. */
const asTheImageRunsIt = (args: string[]) =>
  run(process.execPath, [join(repo, "bin", "llmcharts.js"), ...args], { cwd: fleetRepo });

describe("the GitHub Action and the pre-commit hooks", { timeout: 120_000 }, () => {
  test("the image's entrypoint is the llmcharts CLI", () => {
    expect(validatorImage.config.entrypoint).toEqual(["/usr/bin/node", "/opt/llmcharts/bin/llmcharts.js"]);
  });

  test("the action runs the image publish pushes, at the package's version", () => {
    expect(published).toBe(`ghcr.io/llmcharts/charts/validator:${validatorImage.version}`);
    expect(action.runs).toMatchObject({ using: "docker", image: `docker://${published}` });
  });

  test("the action's command, with its inputs' defaults, checks the fleet and annotates the failing line", async () => {
    const args = action.runs.args.map((a) =>
      a.replace(/^\$\{\{ inputs\.([\w-]+) \}\}$/, (_, name: string) => action.inputs[name]?.default ?? ""),
    );
    expect(args).toEqual(["validate", "--chart", "tenant", "--fleet", "tenants/", "--format", "github"]);
    const res = await asTheImageRunsIt(args);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toMatch(/^::error file=tenants\/vega\/values\.yaml,line=\d+,/m);
  });

  test("every hook runs the image publish pushes, with a command it accepts", async () => {
    expect(hooks.map((h) => h.id)).toEqual(["llmcharts-fleet", "llmcharts-values"]);
    const files: Record<string, string[]> = { "llmcharts-fleet": [], "llmcharts-values": ["values-lyra.yaml"] };
    const exitCodes: Record<string, number> = {};
    for (const hook of hooks) {
      const [image, ...entryArgs] = hook.entry.split(" ");
      expect(hook.language).toBe("docker_image");
      expect(image).toBe(published);
      // pre-commit appends the hook's args, then (unless pass_filenames is false) the changed files.
      const args = [
        ...entryArgs,
        ...(hook.args ?? []),
        ...(hook.pass_filenames === false ? [] : (files[hook.id] ?? [])),
      ];
      const res = await asTheImageRunsIt(args);
      exitCodes[hook.id] = res.exitCode;
    }
    // The fleet's two tenants share a host; lyra's file alone is fine.
    expect(exitCodes).toEqual({ "llmcharts-fleet": 1, "llmcharts-values": 0 });
  });

  test("the README shows a fleet repository using both, at the published version", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    expect(readme).toContain(`uses: llmcharts/llmcharts@v${validatorImage.version}`);
    expect(readme).toContain(`rev: v${validatorImage.version}`);
    expect(readme).toContain("- id: llmcharts-fleet");
    expect(readme).toContain(`docker run --rm -v "$PWD:/work" ${published}`);
  });
});
