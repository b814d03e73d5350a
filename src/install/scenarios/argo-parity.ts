/**
 * Scenario 6, Argo CD parity: each chart rendered the way Argo CD renders it (the server's version and API versions,
 * CRDs included, test hooks left out), applied server-side as Argo CD's controller, in sync afterwards, and a second
 * render byte-identical.
 */
import type { ReleaseSpec } from "../helm.js";
import { toList } from "../kube.js";
import { isHook, parseManifests } from "../manifests.js";
import { clusterReleaseNamespace, platformRelease, type TenantRelease } from "../releases.js";
import type { Scenario } from "../context.js";
import { provisionClaims } from "../standins.js";

export const argoParity: Scenario = {
  id: "6",
  title: "Argo CD parity: rendered as Argo CD renders, applied server-side, in sync, byte-identical",
  run: async (ctx, r) => {
    const { kube, helm } = ctx.need();
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
    const std = ctx.tenants.find((t) => t.tier === "standard") as TenantRelease;
    const releases: ReleaseSpec[] = [
      { release: "argo-pools", chartDir: ctx.chartDir("nodepools"), namespace: clusterReleaseNamespace },
      ...(ctx.hasChart("platform")
        ? [{ release: platformRelease, chartDir: ctx.chartDir("platform"), namespace: clusterReleaseNamespace }]
        : []),
      {
        release: "argo-tenant",
        chartDir: ctx.chartDir("tenant"),
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
      if (ctx.embedded) await provisionClaims(kube, objects);
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
  },
};
