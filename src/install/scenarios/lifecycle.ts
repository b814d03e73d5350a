/**
 * Scenario 5: the previous chart version (from git history, or the documented fallback) upgraded to the current one,
 * `helm test` after install and upgrade, rollback, uninstall (the tenant's Namespace, data claim and the user's own
 * objects kept), and a reinstall that adopts what was kept. nodepools goes through the same with a real git version.
 */
import type { ReleaseSpec } from "../../harness/helm.js";
import { previousChart } from "../history.js";
import type { ConfigMap, Namespace, PersistentVolumeClaim, Secret } from "../../../charts-src/lib/k8s.js";
import type { Recorder } from "../../harness/recorder.js";
import {
  clusterReleaseNamespace,
  lifecycleValues,
  nodepoolsSiteValues,
  type TenantRelease,
  tenantOf,
} from "../releases.js";
import type { InstallContext, InstallScenario } from "../context.js";
import { installStandIns } from "../standin-names.js";
import { completeTestPods } from "../standins.js";
import { waitAvailable } from "../../harness/workloads.js";

/** Runs `helm test` (on kwok, with the kubelet stand-in completing its Pods); checks they ran on standard nodes. */
const helmTest = async (ctx: InstallContext, r: Recorder, t: TenantRelease, when: string): Promise<void> => {
  const { kube, helm } = ctx.need();
  const test = helm.test(t.release, t.namespace, "60s");
  const completed = ctx.embedded ? await completeTestPods(kube, t.namespace, test) : [];
  const res = await test;
  const nodes = await kube.list("nodes");
  const tierOf = (node: string) =>
    nodes.find((n) => n.metadata.name === node)?.metadata.labels?.["llmcharts.io/node-tier"];
  r.check(
    `helm test ${t.release} after ${when}: test Pod admitted, run on a standard node, Succeeded`,
    res.exitCode === 0 &&
      (!ctx.embedded || (completed.length > 0 && completed.every((p) => tierOf(p.node) === "standard"))),
    res.exitCode === 0
      ? completed.map((p) => `${p.name} on ${p.node}`).join(", ") || "no test Pod"
      : (res.stderr || res.stdout).trim(),
  );
  if (completed.some((p) => p.byStandIn)) {
    r.standIn(installStandIns.testPods);
    r.note(
      `helm test ${t.release} after ${when}: kwok's pod-complete stage did not finish the bare test Pod (it matches only Pods owned by a Job); the kubelet stand-in set it Succeeded once it ran on ${completed.map((p) => p.node).join(", ")}`,
    );
  }
};

export const lifecycle: InstallScenario = {
  id: "5",
  title: "life cycle: previous version, upgrade, helm test, rollback, uninstall keeps data, reinstall",
  run: async (ctx, r) => {
    const { kube, helm } = ctx.need();

    // nodepools: a real previous version from git history when there is one.
    const prevPools = await previousChart(ctx.opts.root, "nodepools", ctx.opts.workDir);
    r.note(
      `nodepools previous: ${prevPools.version} (${prevPools.source}${prevPools.commit ? ` ${prevPools.commit.slice(0, 7)}` : ""}) → current ${prevPools.currentVersion}`,
    );
    const poolsSpec = (dir: string): ReleaseSpec => ({
      release: "pools-cycle",
      chartDir: dir,
      namespace: clusterReleaseNamespace,
      valuesFiles: [ctx.valuesFile(nodepoolsSiteValues)],
    });
    if (await r.step(`nodepools ${prevPools.version} installed`, () => helm.install(poolsSpec(prevPools.dir)))) {
      await r.step(`nodepools upgraded to ${prevPools.currentVersion}`, () =>
        helm.upgrade(poolsSpec(ctx.chartDir("nodepools"))),
      );
      await r.step("nodepools rolled back to revision 1", () =>
        helm.rollback("pools-cycle", clusterReleaseNamespace, 1),
      );
      const hist = await helm.history("pools-cycle", clusterReleaseNamespace);
      r.check(
        "nodepools history: install, upgrade, rollback",
        hist.map((h) => h.chart).join(",") ===
          [
            `nodepools-${prevPools.version}`,
            `nodepools-${prevPools.currentVersion}`,
            `nodepools-${prevPools.version}`,
          ].join(","),
        hist.map((h) => `${h.revision} ${h.chart} ${h.status}`).join(", "),
      );
      await r.step("nodepools uninstalled", () => helm.uninstall("pools-cycle", clusterReleaseNamespace));
      const left = (await kube.list("nodepools.karpenter.sh")).filter((p) =>
        p.metadata.name.startsWith("pools-cycle-"),
      );
      r.check("its NodePools are gone", left.length === 0, left.map((p) => p.metadata.name).join(", "));
    }

    // tenant
    const prev = await previousChart(ctx.opts.root, "tenant", ctx.opts.workDir);
    r.note(
      `tenant previous: ${prev.version} (${prev.source === "git" ? `git ${prev.commit?.slice(0, 7)}` : "fallback: no older version in git history, the current chart with a lower version"}) → current ${prev.currentVersion}`,
    );
    const t = tenantOf(ctx.opts.root, lifecycleValues);
    const installed = await r.timed(`install tenant ${t.release} ${prev.version}`, () =>
      r.step(`tenant ${t.release} ${prev.version} installed`, () => ctx.installTenant(t, { chart: prev.dir })),
    );
    if (!installed) return;
    if (ctx.embedded) r.standIn(installStandIns.provisioner);
    await helmTest(ctx, r, t, "install");

    // What a user leaves in the tenant's namespace: a certificate Secret, a ConfigMap, data on the volume.
    const nonce = `data-${Date.now().toString(36)}`;
    await kube.apply(
      [
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "openwebui-tls", namespace: t.namespace },
          type: "kubernetes.io/tls",
          stringData: { "tls.crt": `certificate ${nonce}`, "tls.key": `key ${nonce}` },
        },
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "user-notes", namespace: t.namespace },
          data: { nonce },
        },
      ],
      "user",
    );
    await kube.kubectl(["annotate", "pvc", "openwebui-data", "-n", t.namespace, `llmcharts.io/test-data=${nonce}`]);
    const dataIntact = async (when: string) => {
      const [secret, cm, pvc] = await Promise.all([
        kube.get<Secret>("secret", "openwebui-tls", t.namespace).catch(() => undefined),
        kube.get<ConfigMap>("configmap", "user-notes", t.namespace).catch(() => undefined),
        kube.get<PersistentVolumeClaim>("pvc", "openwebui-data", t.namespace).catch(() => undefined),
      ]);
      const crt = secret?.data ? Buffer.from(String(secret.data["tls.crt"]), "base64").toString() : "";
      r.check(
        `after ${when}: the user's Secret, ConfigMap and volume data are intact`,
        crt === `certificate ${nonce}` &&
          cm?.data?.nonce === nonce &&
          pvc?.metadata.annotations?.["llmcharts.io/test-data"] === nonce,
        `secret ${secret ? "present" : "missing"}, configmap ${cm ? "present" : "missing"}, claim ${pvc ? `annotated ${pvc.metadata.annotations?.["llmcharts.io/test-data"]}` : "missing"}`,
      );
    };

    const upgraded = await r.timed(`upgrade tenant to ${prev.currentVersion}`, () =>
      r.step(`tenant upgraded to ${prev.currentVersion}`, () => ctx.installTenant(t, { verb: "upgrade" })),
    );
    if (upgraded) await helmTest(ctx, r, t, "upgrade");
    await dataIntact("upgrade");
    await r.timed("rollback tenant", () =>
      r.step("tenant rolled back to revision 1", async () => {
        await helm.rollback(t.release, t.namespace, 1);
        await waitAvailable(kube, [t.namespace]);
      }),
    );
    const hist = await helm.history(t.release, t.namespace);
    r.check(
      "tenant history: install, upgrade, rollback",
      hist.length === 3 && hist[2]?.chart === `tenant-${prev.version}` && hist[2]?.status === "deployed",
      hist.map((h) => `${h.revision} ${h.chart} ${h.status}`).join(", "),
    );
    await dataIntact("rollback");

    await r.timed("uninstall tenant", () => r.step("tenant uninstalled", () => helm.uninstall(t.release, t.namespace)));
    const ns = await kube.get<Namespace>("namespace", t.namespace).catch(() => undefined);
    r.check(
      "the tenant's Namespace survives uninstall (helm.sh/resource-policy: keep)",
      ns !== undefined &&
        ns.metadata.annotations?.["helm.sh/resource-policy"] === "keep" &&
        ns.status?.phase === "Active",
      ns ? `${ns.status?.phase}, annotations ${JSON.stringify(ns.metadata.annotations)}` : "deleted",
    );
    const pvc = await kube.get<PersistentVolumeClaim>("pvc", "openwebui-data", t.namespace).catch(() => undefined);
    r.check(
      "the OpenWebUI data claim survives uninstall (keep)",
      pvc !== undefined &&
        pvc.metadata.annotations?.["helm.sh/resource-policy"] === "keep" &&
        !pvc.metadata.deletionTimestamp,
      pvc ? `${pvc.status?.phase}` : "deleted",
    );
    await dataIntact("uninstall");
    const deployments = await kube.list("deployments", t.namespace);
    r.check(
      "the release's workloads are gone",
      deployments.length === 0,
      deployments.map((d) => d.metadata.name).join(", "),
    );
    r.check("the release is gone", !(await helm.list(t.namespace)).some((rel) => rel.name === t.release));
    await r.timed("reinstall tenant", () =>
      r.step("reinstalling the same release adopts the kept Namespace and claim", () => ctx.installTenant(t)),
    );
    await dataIntact("reinstall");
  },
};
