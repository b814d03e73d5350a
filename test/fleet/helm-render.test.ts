import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { charts } from "../../charts-src/index.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { chartDir, helms, helmTemplate } from "../../src/validate/helm.js";
import { renderers, renderMany } from "../../src/validate/helm-render.js";

const root = process.cwd();
const lines = (text: string) => text.trim().split("\n").sort();
const work = mkdtempSync(join(tmpdir(), "llmcharts-helm-render-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Our renderers stand in for `helm template` in validate: for every fixture they must print Helm's very bytes, and
// refuse what Helm refuses with Helm's own message.
describe.each(Object.keys(charts))("helm-render on the %s chart", (chart) => {
  test.each([0, 1])(
    "prints what helm template prints for every fixture, and refuses what it refuses (helm %#: 4, 3)",
    async (i) => {
      const fixtures = loadFixtures(root, chart);
      const helm = helms()[i] as { exe: string };
      const renderer = renderers()[i] as { exe: string };
      const outcomes = await renderMany(
        renderer.exe,
        chartDir(root, chart),
        fixtures.map((f) => f.path),
        join(work, chart, String(i)),
      );
      for (const [j, f] of fixtures.entries()) {
        const cli = await helmTemplate(helm.exe, { chartDir: chartDir(root, chart), valuesFile: f.path });
        const ours = outcomes[j];
        if (cli.exitCode === 0) {
          expect(readFileSync(ours?.file ?? "", "utf8"), f.name).toBe(cli.stdout);
          // The objects the later rungs read: the rendering's documents, as YAML 1.1 reads them (Kubernetes' YAML).
          expect(JSON.parse(readFileSync(ours?.objects ?? "", "utf8")), f.name).toEqual(
            parseAllDocuments(cli.stdout, { version: "1.1" })
              .map((d) => d.toJS())
              .filter(Boolean),
          );
        }
        // The same error lines (Helm orders the sub-errors of a failed allOf differently from one run to the next);
        // Helm's coalesce warnings on stderr are not part of the error.
        else
          expect(lines(`Error: ${ours?.error}`), f.name).toEqual(
            lines(cli.stderr.split("\n\nUse --debug")[0] ?? "").filter((l) => !/warning: destination for/.test(l)),
          );
      }
    },
  );
});

// Validate asks Helm 3 only whether each file renders: with --check-only the renderer writes nothing and gives the
// same verdicts, and the same errors, as when it writes them.
test.each([0, 1])(
  "helm-render --check-only writes nothing and says what the full run says (helm %#: 4, 3)",
  async (i) => {
    const fixtures = loadFixtures(root, "tenant");
    const renderer = renderers()[i] as { exe: string };
    const render = (dir: string, checkOnly: boolean) =>
      renderMany(
        renderer.exe,
        chartDir(root, "tenant"),
        fixtures.map((f) => f.path),
        join(work, dir),
        { checkOnly },
      );
    const [full, checked] = [await render(`full-${i}`, false), await render(`check-${i}`, true)];
    expect(readdirSync(join(work, `check-${i}`))).toEqual([]);
    // Errors compared line by line: Helm orders the sub-errors of a failed allOf differently from one run to the next.
    const verdicts = (os: typeof full) => os.map((o) => (o.error === undefined ? undefined : lines(o.error)));
    expect(verdicts(checked)).toEqual(verdicts(full));
    expect(full.filter((o) => o.error === undefined).length).toBeGreaterThan(0);
    expect(full.filter((o) => o.error !== undefined).length).toBeGreaterThan(0);
  },
);
