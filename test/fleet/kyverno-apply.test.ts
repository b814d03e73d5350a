import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import type { ExternalSecret, NetworkPolicy } from "../../charts-src/lib/k8s.js";
import { run } from "../../src/lib/run.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { commandFor, sharedRuns } from "../../src/validate/kyverno-apply.js";
import { runEach } from "../../src/validate/kyverno-each.js";
import { type Rendering, renderFixtures } from "../../src/validate/renderings.js";
import { policyFiles } from "../../src/validate/rung-policies.js";
import { loadBalancer, privileged, tampered, unlabelled } from "./tampered.js";

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "llmcharts-kyverno-apply-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What a command said, as validate reads it. */
const said = (o: { stdout: string; stderr: string; exitCode: number }) => ({
  stdout: o.stdout,
  stderr: o.stderr,
  exitCode: o.exitCode,
});

// validate's shared runs go through kyverno-apply (tools/kyverno-apply: Kyverno's command line with each policy's
// autogen rules computed once, and many commands in one process). It must say exactly what upstream's `kyverno apply`
// says, run for run: on every fixture of every chart, on tenants that break policies (workloads through autogen, a
// Service, a Namespace, the tenant-aware policies), in shared runs and in a rendering's run of its own.
test("kyverno-apply says what upstream's kyverno apply says, byte for byte, on every shared run of the fixtures", async () => {
  const fixtures = Object.keys(charts).flatMap((chart) => loadFixtures(root, chart).filter((f) => f.kind === "good"));
  const { renderings } = await renderFixtures(root, fixtures, join(work, "renderings"));
  const tenants = renderings.filter((r) => r.fixture.chart === "tenant");
  const platform = renderings.find((r) => r.fixture.chart === "platform") as Rendering;
  const [workload, service, namespace, netpol, secret] = tenants as Rendering[];
  const broken = [
    tampered(workload as Rendering, privileged),
    tampered(service as Rendering, loadBalancer),
    tampered(namespace as Rendering, unlabelled),
    tampered(netpol as Rendering, (o) => {
      if (o.kind === "NetworkPolicy" && o.metadata?.name === "openwebui")
        (o as NetworkPolicy).spec?.ingress?.[0]?.from?.push({
          namespaceSelector: { matchLabels: { "llmcharts.io/tenant": "someone-else" } },
        });
    }),
    tampered(secret as Rendering, (o) => {
      if (o.kind === "ExternalSecret")
        for (const d of (o as ExternalSecret).spec?.data ?? []) d.remoteRef.key = "llmcharts/tenants/someone-else/x";
    }),
  ];
  const policies = policyFiles(root);
  const commands = [
    ...sharedRuns(policies, [...renderings, ...broken]),
    // A rendering alone: its tenant is a global value, not one per resource.
    ...sharedRuns(policies, [broken[3] as Rendering, platform], 1),
  ]
    .map(commandFor)
    .filter((c) => c.count > 0);
  const kyverno = requireBin("kyverno");
  const kyvernoApply = requireBin("kyverno-apply");
  const upstream = [];
  for (const c of commands) upstream.push(said(await run(kyverno, c.args)));
  // The runs must cover failures, not only passes.
  expect(upstream.filter((o) => /fail: [1-9]/.test(o.stdout)).length).toBeGreaterThanOrEqual(4);
  expect(upstream.some((o) => /tenant-pod-hardening -> resource .*Deployment/.test(o.stdout))).toBe(true);
  const alone = [];
  for (const c of commands) alone.push(said(await run(kyvernoApply, c.args)));
  expect(alone).toEqual(upstream);
  expect((await runEach(kyvernoApply, commands)).map(said)).toEqual(upstream);
});

// A line `each` cannot read stops it with a message, and every command after it is reported failed, not passed.
test("kyverno-apply each refuses a line that is not a JSON list of arguments", async () => {
  const out = await run(requireBin("kyverno-apply"), ["each"], { input: '["version"]\nnot json\n["version"]\n' });
  const lines = out.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0] as string).stdout).toMatch(/Version: v1\.17\.2/);
  expect(out.exitCode).toBe(2);
  expect(out.stderr).toMatch(/not a JSON array of arguments/);
});
