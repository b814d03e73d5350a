/**
 * Scenario 6, Argo CD parity: each chart rendered the way Argo CD renders it (the server's version and API versions,
 * CRDs included, test hooks left out), applied server-side as Argo CD's controller, in sync afterwards, and a second
 * render byte-identical. And bad input: a chart the server refuses stops at the dry run, before Helm runs.
 */
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DryRunError, type ReleaseSpec } from "./helm.js";
import { toList } from "./kube.js";
import { isHook, parseManifests } from "./manifests.js";
import type { ScenarioResult } from "./recorder.js";
import { clusterReleaseNamespace, platformRelease, type TenantRelease } from "./releases.js";
import type { InstallRun } from "./scenarios.js";
import { provisionClaims } from "./standins.js";

/** 6: Argo CD's rendering (server's version and API versions, CRDs included), applied server-side, stable. */
export const argoParityScenario = async (run: InstallRun): Promise<ScenarioResult> => {
  const r = run.scenario("6", "Argo CD parity: render as Argo CD, apply server-side, render again");
  const { kube, helm } = run.need();
  const kubeVersion = await kube.serverVersion();
  const apiVersions = await kube.apiVersions();
  const argoArgs = [
    "--kube-version",
    kubeVersion,
    ...apiVersions.flatMap((a) => ["--api-versions", a]),
    "--include-crds",
  ];
  r.note(
    `helm template --kube-version ${kubeVersion} --api-versions (${apiVersions.length} from kubectl api-versions) --include-crds`,
  );
  const std = run.tenants.find((t) => t.tier === "standard") as TenantRelease;
  const releases: ReleaseSpec[] = [
    { release: "argo-pools", chartDir: run.chartDir("nodepools"), namespace: clusterReleaseNamespace },
    ...(run.hasChart("platform")
      ? [{ release: platformRelease, chartDir: run.chartDir("platform"), namespace: clusterReleaseNamespace }]
      : []),
    {
      release: "argo-tenant",
      chartDir: run.chartDir("tenant"),
      namespace: "tenant-argo-parity",
      valuesFiles: [std.valuesFile],
      set: { "tenant.name": "argo-parity" },
    },
  ];
  for (const s of releases) {
    const chart = s.chartDir.split("/").pop();
    const first = await helm.template(s, argoArgs);
    const second = await helm.template(s, argoArgs);
    r.check(`${chart}: a second render is byte-identical`, first === second, `${first.length} bytes`);
    // Argo CD ignores Helm test hooks; other hooks would become sync hooks.
    const objects = parseManifests(first).filter(
      (o) => !(isHook(o) && /test/.test(o.metadata.annotations?.["helm.sh/hook"] ?? "")),
    );
    if (run.embedded) await provisionClaims(kube, objects);
    const applyArgs = ["--server-side", "--field-manager=argocd-controller", "--force-conflicts", "-f", "-"];
    const applied = await kube.raw(["apply", ...applyArgs], toList(objects));
    r.check(
      `${chart}: Argo CD's rendering applies server-side (${objects.length} objects)`,
      applied.exitCode === 0,
      applied.stderr.trim(),
    );
    const diff = await kube.raw(["diff", ...applyArgs], toList(objects));
    r.check(
      `${chart}: in sync after apply (kubectl diff --server-side shows nothing)`,
      diff.exitCode === 0,
      diff.exitCode === 1 ? diff.stdout.split("\n").slice(0, 40).join("\n") : diff.stderr.trim(),
    );
  }
  return r.result();
};

/** A chart the server refuses (a CEL rule of Karpenter's NodePool CRD) stops at the dry run, before Helm runs. */
export const badInputScenario = async (run: InstallRun): Promise<ScenarioResult> => {
  const r = run.scenario("bad-input", "a chart that fails the server-side dry run is not installed");
  const { kube, helm } = run.need();
  const dir = join(run.opts.workDir, "broken-nodepools");
  cpSync(run.chartDir("nodepools"), dir, { recursive: true });
  writeFileSync(
    join(dir, "templates", "broken.yaml"),
    [
      "# Deliberately broken: Karpenter reserves the karpenter.sh label domain (a CEL rule only the server checks).",
      "apiVersion: karpenter.sh/v1",
      "kind: NodePool",
      "metadata:",
      "  name: {{ .Release.Name }}-broken",
      "spec:",
      "  template:",
      "    metadata:",
      "      labels:",
      "        karpenter.sh/nodepool: hijacked",
      "    spec:",
      "      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: broken}",
      "      requirements: []",
      "",
    ].join("\n"),
  );
  let error: unknown;
  try {
    await helm.install({ release: "broken", chartDir: dir, namespace: clusterReleaseNamespace });
  } catch (err) {
    error = err;
  }
  r.check(
    "the install stops at the dry run with the server's message",
    error instanceof DryRunError &&
      /label "karpenter\.sh\/nodepool" is restricted|label domain "karpenter\.sh" is restricted/.test(error.message),
    error instanceof Error ? error.message : "installed",
  );
  r.check("no release was created", !(await helm.list(clusterReleaseNamespace)).some((rel) => rel.name === "broken"));
  const leaked = (await kube.list("nodepools.karpenter.sh")).filter((p) => p.metadata.name.startsWith("broken-"));
  r.check("no object of it was created", leaked.length === 0, leaked.map((p) => p.metadata.name).join(", "));
  return r.result();
};
