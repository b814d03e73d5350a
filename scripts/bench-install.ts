// Times rung 5 on the embedded control plane: npx tsx scripts/bench-install.ts [tenants=50] [concurrency=5]
//   cluster cold start (median of 3 up/down cycles), CRDs, nodes, install time per chart, per tenant (median of the
//   first 5, installed one at a time), N tenants in one cluster (installed `concurrency` at a time), and the peak RSS
//   of each control-plane process (VmHWM), and `helm install` of a tenant from the OCI registry (published signed,
//   installed with --verify) against the same from the chart folder, 5 each, interleaved, and Karpenter on kwok
//   (scenario karpenter): a pending pod to its node Ready (and a MIG pod, A100 and H100), the last premium pod gone to zero premium nodes. Ends with
//   `tenant install median: <seconds> s`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pod } from "../charts-src/lib/k8s.js";
import { clusterDown, clusterUp } from "../src/cluster/index.js";
import { InstallContext, type InstallMade } from "../src/install/context.js";
import {
  installTenantValues,
  nodepoolsSiteValues,
  prerequisiteNamespaces,
  type TenantRelease,
  tenantOf,
} from "../src/install/releases.js";
import { ScenarioRunner } from "../src/harness/run.js";
import { bringUp } from "../src/install/scenarios/index.js";
import { karpenter } from "../src/install/scenarios/karpenter.js";
import { isolatedHelmEnv } from "../src/release/package.js";
import { publishCharts } from "../src/release/publish.js";
import { startRegistry } from "../src/cluster/registry.js";
import { makeThrowawayKey } from "../src/release/throwaway-key.js";

const tenantCount = Number(process.argv[2] ?? 50);
const concurrency = Number(process.argv[3] ?? 5);
const registryRounds = 5;
const root = join(import.meta.dirname, "..");
const name = `bench-install-${process.pid}`;
const workDir = mkdtempSync(join(tmpdir(), "llmcharts-bench-install-"));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const sec = (ms: number): string => (ms / 1000).toFixed(2);
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
};

/** VmHWM (peak resident set) of a process, in MiB. */
const peakRssMiB = (pid: number): number | undefined => {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
};

const colds: number[] = [];
for (let i = 0; i < 3; i++) {
  const [, ms] = await timed(() => clusterUp({ name }));
  colds.push(ms);
  await clusterDown({ name });
}
console.log(`cluster cold start: ${colds.map(sec).join(", ")} s (median ${sec(median(colds))} s)`);

const run = new InstallContext({
  root,
  workDir,
  clusterName: name,
  nodesPerZone: Math.max(1, Math.ceil((tenantCount + registryRounds * 2) / 10)),
});
try {
  const [, upMs] = await timed(() => run.up());
  console.log(`cluster up: ${sec(upMs)} s`);
  const [bring, bringMs] = await timed(() => new ScenarioRunner<InstallContext, InstallMade>(run).run(bringUp));
  if (!bring.ok) throw new Error(`bring-up failed: ${JSON.stringify(bring.checks.filter((c) => !c.ok))}`);
  console.log(`CRDs and kwok nodes: ${sec(bringMs)} s (${bring.notes.join("; ")})`);
  const kube = run.kube;
  const helm = run.helm;
  if (!kube || !helm) throw new Error("no cluster");

  const [, poolsMs] = await timed(() =>
    helm.install({
      release: "pools",
      chartDir: join(root, "generated", "nodepools"),
      namespace: "default",
      valuesFiles: [join(root, "test", "install", "values", nodepoolsSiteValues)],
    }),
  );
  console.log(`install nodepools: ${sec(poolsMs)} s`);
  if (run.hasChart("platform")) {
    await kube.create(
      prerequisiteNamespaces.map((ns) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } })),
    );
    const [, platformMs] = await timed(() =>
      helm.install({ release: "platform", chartDir: join(root, "generated", "platform"), namespace: "default" }),
    );
    console.log(`install platform: ${sec(platformMs)} s`);
  }

  const base = installTenantValues.map((f) => tenantOf(root, f)).find((t) => t.tier === "standard") as TenantRelease;
  const tenant = (i: number): TenantRelease => {
    const id = `bench-${String(i).padStart(2, "0")}`;
    return { ...base, release: id, tenant: id, namespace: `tenant-${id}` };
  };
  const installOne = async (t: TenantRelease) => {
    const [times, ms] = await timed(() => run.installTenant(t, { set: { "tenant.name": t.tenant } }));
    return { ...times, ms };
  };

  // The first five one at a time: what one tenant's install costs.
  const single: { helmMs: number; readyMs: number; ms: number }[] = [];
  for (let i = 1; i <= Math.min(5, tenantCount); i++) {
    const r = await installOne(tenant(i));
    single.push(r);
    console.log(
      `tenant ${i}: dry run + helm install --wait ${sec(r.helmMs)} s, autoscaler minimums available ${sec(r.readyMs)} s`,
    );
  }

  // From the registry vs from the folder: the same chart, published signed and installed with --verify.
  const key = await makeThrowawayKey("llmcharts bench");
  const registry = await startRegistry({ dir: join(workDir, "registry") });
  try {
    await publishCharts({
      root,
      registry: registry.url,
      sign: { key: key.email, gnupgHome: key.gnupgHome, keys: key.keys },
      only: ["tenant"],
      helmEnv: isolatedHelmEnv(join(workDir, "publish-helm")),
    });
    const keyring = await key.exportPublic(join(workDir, "pubring.gpg"));
    const version = /^version:\s*(\S+)/m.exec(
      readFileSync(join(root, "generated", "tenant", "Chart.yaml"), "utf8"),
    )?.[1];
    const fromRegistry = ["--version", String(version), "--verify", "--keyring", keyring, "--plain-http"];
    const folderMs: number[] = [];
    const registryMs: number[] = [];
    for (let i = 0; i < registryRounds; i++) {
      const viaFolder = tenant(90 + 2 * i);
      folderMs.push((await run.installTenant(viaFolder, { set: { "tenant.name": viaFolder.tenant } })).helmMs);
      const viaRegistry = tenant(91 + 2 * i);
      registryMs.push(
        (
          await run.installTenant(viaRegistry, {
            chart: `${registry.url}/tenant`,
            chartArgs: fromRegistry,
            set: { "tenant.name": viaRegistry.tenant },
          })
        ).helmMs,
      );
    }
    console.log(
      `tenant helm install (dry run + install --wait), median of ${registryRounds}: from the registry ${sec(median(registryMs))} s ` +
        `(oci:// --verify), from the folder ${sec(median(folderMs))} s (ratio ${(median(registryMs) / median(folderMs)).toFixed(2)})`,
    );
  } finally {
    await registry.stop();
    await key.remove();
  }

  // The rest `concurrency` at a time, timed from the first tenant: N tenants in one cluster.
  const t0 = performance.now() - single.reduce((a, r) => a + r.ms, 0);
  const rest = Array.from({ length: Math.max(0, tenantCount - 5) }, (_, k) => tenant(k + 6));
  const restTimes: number[] = [];
  for (let k = 0; k < rest.length; k += concurrency) {
    const batch = await Promise.all(rest.slice(k, k + concurrency).map(installOne));
    restTimes.push(...batch.map((b) => b.helmMs));
  }
  const totalMs = performance.now() - t0;
  const pods = (await kube.list<Pod>("pods", "*")).filter((p) => p.status?.phase === "Running").length;
  console.log(
    `${tenantCount} tenants in one cluster: ${sec(totalMs)} s (5 one at a time, then ${concurrency} at a time; ` +
      `helm install median of those ${sec(median(restTimes))} s; ${pods} pods Running)`,
  );

  // Karpenter on kwok, after the tenants: its release's NodePools are the only ones it manages.
  const karp = await new ScenarioRunner<InstallContext, InstallMade>(run).run(karpenter);
  const figure = (name: string) => karp.figures[`karpenter: ${name} (s)`]?.toFixed(1) ?? "?";
  console.log(
    `karpenter on kwok: pending pod → node Ready ${figure("pending pod → node Ready")} s; ` +
      `pending MIG pod → node Ready ${figure("pending a100-mig pod → node Ready")} s (A100), ` +
      `${figure("pending h100-mig pod → node Ready")} s (H100); ` +
      `last premium pod gone → zero premium nodes ${figure("last premium pod gone → zero premium nodes")} s` +
      (karp.ok
        ? ""
        : ` (scenario failed: ${karp.checks
            .filter((c) => !c.ok)
            .map((c) => c.name)
            .join("; ")})`),
  );

  const rss = Object.entries(run.info?.pids ?? {}).map(([component, pid]) => [component, peakRssMiB(pid)] as const);
  console.log(
    `peak RSS (VmHWM): ${rss.map(([c, m]) => `${c} ${m === undefined ? "?" : `${m.toFixed(0)} MiB`}`).join(", ")}; ` +
      `total ${rss.reduce((a, [, m]) => a + (m ?? 0), 0).toFixed(0)} MiB`,
  );
  console.log(`tenant install median: ${sec(median(single.map((s) => s.helmMs)))} s`);
} finally {
  await clusterDown({ name });
  rmSync(workDir, { recursive: true, force: true });
}
