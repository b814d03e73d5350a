/** Bad input: a chart the server refuses (a CEL rule of Karpenter's NodePool CRD) stops at the dry run, before Helm runs. */
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { InstallScenario } from "../context.js";
import { DryRunError } from "../../harness/helm.js";
import { clusterReleaseNamespace, nodepoolsSiteValues } from "../releases.js";

export const badInput: InstallScenario = {
  id: "bad-input",
  title: "bad input: a chart the server refuses stops at the dry run with the server's message",
  run: async (ctx, r) => {
    const { kube, helm } = ctx.need();
    const dir = join(ctx.opts.workDir, "broken-nodepools");
    cpSync(ctx.chartDir("nodepools"), dir, { recursive: true });
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
      await helm.install({
        release: "broken",
        chartDir: dir,
        namespace: clusterReleaseNamespace,
        valuesFiles: [ctx.valuesFile(nodepoolsSiteValues)],
      });
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
  },
};
