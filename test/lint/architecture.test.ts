/**
 * The architecture is lint rules (biome `noRestrictedImports`, one override per part in biome.json), so `npm run
 * lint` refuses an import across a boundary. Each case places one import in a probe file of a part, in a scratch copy
 * of the tree holding only biome.json and the probes, and runs the project's biome on it: a forbidden import must
 * fail with its part's message, and the allowed import beside it (the control) must pass.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/lib/run.js";

const root = join(import.meta.dirname, "..", "..");

interface ImportCase {
  /** The probe file, as a path in the repository. */
  file: string;
  from: string;
  /** The part's message when the import is forbidden; undefined when it is allowed. */
  refused?: RegExp;
}

const cases: ImportCase[] = [
  { file: "charts-src/lib/engine/probe.ts", from: "../../tenant/values.js", refused: /the engine knows no chart/ },
  { file: "charts-src/lib/engine/probe.ts", from: "../conventions.js", refused: /the engine knows no chart/ },
  { file: "charts-src/lib/engine/probe.ts", from: "../k8s.js" },
  { file: "charts-src/lib/engine/probe.ts", from: "./tokens.js" },
  { file: "charts-src/lib/probe.ts", from: "../platform/values.js", refused: /it knows no chart/ },
  { file: "charts-src/lib/probe.ts", from: "./engine/index.js" },
  { file: "charts-src/tenant/probe.ts", from: "../platform/chart.js", refused: /nothing of the platform chart/ },
  { file: "charts-src/tenant/probe.ts", from: "../../src/cli.js", refused: /know nothing of the CLI/ },
  { file: "charts-src/tenant/probe.ts", from: "../lib/conventions.js" },
  { file: "charts-src/tenant/probe.ts", from: "../nodepools/node-labels.js" },
  { file: "charts-src/platform/probe.ts", from: "../tenant/values.js", refused: /knows no other chart/ },
  { file: "charts-src/platform/probe.ts", from: "../../test/policies/render.js", refused: /nothing of the CLI, tests/ },
  { file: "charts-src/nodepools/probe.ts", from: "../platform/values.js", refused: /knows no other chart/ },
  { file: "src/lib/probe.ts", from: "../toolchain/pins.js", refused: /knows no other part of src/ },
  { file: "src/toolchain/probe.ts", from: "../harness/kube.js", refused: /the toolchain knows only src\/lib/ },
  { file: "src/toolchain/probe.ts", from: "../lib/run.js" },
  { file: "src/toolchain/probe.ts", from: "../images/catalog.js", refused: /the toolchain knows only src\/lib/ },
  { file: "src/images/probe.ts", from: "../node/node.js", refused: /the image builds know only/ },
  { file: "src/images/probe.ts", from: "../runtime/context.js", refused: /the image builds know only/ },
  { file: "src/images/probe.ts", from: "../toolchain/tools.js" },
  { file: "src/node/probe.ts", from: "../runtime/context.js", refused: /a real node knows only/ },
  { file: "src/node/probe.ts", from: "../cluster/index.js", refused: /a real node knows only/ },
  {
    file: "src/node/probe.ts",
    from: "../../charts-src/tenant/values.js",
    refused: /a real node reads no chart's source/,
  },
  { file: "src/node/probe.ts", from: "../../charts-src/nodepools/node-labels.js" },
  { file: "src/node/probe.ts", from: "../images/build.js" },
  { file: "src/cluster/probe.ts", from: "../validate/validate.js", refused: /the embedded cluster knows only/ },
  { file: "src/cluster/probe.ts", from: "../runtime/context.js", refused: /the embedded cluster knows only/ },
  { file: "src/cluster/probe.ts", from: "../node/node.js" },
  { file: "src/generate/probe.ts", from: "../harness/kube.js", refused: /generation knows only/ },
  { file: "src/validate/probe.ts", from: "../cluster/index.js", refused: /needs no cluster/ },
  { file: "src/release/probe.ts", from: "../harness/kube.js", refused: /release packages and publishes/ },
  { file: "src/release/probe.ts", from: "../runtime/context.js", refused: /release packages and publishes/ },
  { file: "src/release/probe.ts", from: "../cluster/processes.js" },
  { file: "src/release/probe.ts", from: "../generate/generate.js" },
  { file: "src/scaffold/probe.ts", from: "../toolchain/tools.js", refused: /the tenant scaffold is the values model/ },
  { file: "src/scaffold/probe.ts", from: "../validate/rung-values.js" },
  { file: "src/cdk8s/probe.ts", from: "../toolchain/tools.js", refused: /no tools, no cluster/ },
  { file: "src/cdk8s/probe.ts", from: "../runtime/context.js", refused: /no tools, no cluster/ },
  { file: "src/cdk8s/probe.ts", from: "../validate/rung-values.js" },
  { file: "src/runtime/probe.ts", from: "../generate/generate.js", refused: /the runtime suite knows only/ },
  {
    file: "src/runtime/scenarios/probe.ts",
    from: "../../validate/validate.js",
    refused: /the runtime suite knows only/,
  },
  { file: "src/runtime/probe.ts", from: "../../charts-src/tenant/values.js", refused: /reads no chart's source/ },
  { file: "src/runtime/probe.ts", from: "../../charts-src/lib/k8s.js" },
  { file: "src/runtime/probe.ts", from: "../harness/kube.js" },
  { file: "src/runtime/scenarios/probe.ts", from: "../../node/lab-nodes.js" },
  { file: "src/install/probe.ts", from: "../../charts-src/tenant/values.js", refused: /reads no chart's source/ },
  { file: "src/install/probe.ts", from: "../../charts-src/lib/pools.js" },
  { file: "src/install/probe.ts", from: "../../charts-src/lib/k8s.js" },
  { file: "src/install/probe.ts", from: "../../test/install/values.js", refused: /nothing of tests/ },
  { file: "src/install/scenarios/probe.ts", from: "../../generate/generate.js", refused: /install knows only/ },
  { file: "src/install/probe.ts", from: "../runtime/context.js", refused: /install knows only/ },
  { file: "src/install/scenarios/probe.ts", from: "../../release/publish.js" },
  { file: "src/harness/probe.ts", from: "../install/context.js", refused: /the test harness .* knows only/ },
  { file: "src/harness/probe.ts", from: "../runtime/context.js", refused: /the test harness .* knows only/ },
  {
    file: "src/harness/probe.ts",
    from: "../../charts-src/tenant/values.js",
    refused: /the test harness reads no chart/,
  },
  { file: "src/harness/probe.ts", from: "../cluster/index.js" },
  { file: "src/harness/probe.ts", from: "../../charts-src/lib/k8s.js" },
  { file: "src/install/probe.ts", from: "../harness/suite.js" },
  {
    file: "src/install/context.ts",
    from: "./scenarios/admission.js",
    refused: /the install context knows no scenario/,
  },
];

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

/** Each case in a probe file of its own, named after its place in the list (a rule for one file: that file). */
const probes = cases.map((c, i) => ({ ...c, probe: c.file.replace(/probe\.ts$/, `probe${i}.ts`) }));

const scratch = mkdtempSync(join(tmpdir(), "llmcharts-lint-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Lints every probe at once with the project's biome and configuration; the import diagnostics of each probe. */
const lint = async (): Promise<Map<string, Diagnostic[]>> => {
  writeFileSync(join(scratch, "biome.json"), readFileSync(join(root, "biome.json")));
  for (const p of probes) {
    mkdirSync(dirname(join(scratch, p.probe)), { recursive: true });
    writeFileSync(join(scratch, p.probe), `import type { Probe } from "${p.from}";\n\nexport type Probed = Probe;\n`);
  }
  const res = await run(join(root, "node_modules", ".bin", "biome"), ["lint", "--reporter=json", "."], {
    cwd: scratch,
  });
  const report = JSON.parse(res.stdout) as { diagnostics: Diagnostic[] };
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of report.diagnostics.filter((d) => d.category === "lint/style/noRestrictedImports"))
    byFile.set(d.location.path, [...(byFile.get(d.location.path) ?? []), d]);
  return byFile;
};

describe("the architecture as lint rules", async () => {
  const diagnostics = await lint();
  const messages = (probe: string) => (diagnostics.get(probe) ?? []).map((d) => d.message);

  it.each(probes.filter((p) => p.refused))("$file may not import $from", ({ probe, refused }) => {
    expect(messages(probe)).toEqual([expect.stringMatching(refused as RegExp)]);
  });

  it.each(probes.filter((p) => !p.refused))("$file may import $from", ({ probe }) => {
    expect(messages(probe)).toEqual([]);
  });
});
