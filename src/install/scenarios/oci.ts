/**
 * Scenario oci: the charts as operators get them. The current charts are published, signed, to a real OCI registry
 * (the pinned CNCF distribution registry on a loopback port) next to the previous tenant version, and installed from
 * it with `--verify`: nodepools as a release of its own, the platform release upgraded onto the published chart (its
 * cluster-wide objects allow one release), and a tenant installed at the previous published version, then upgraded
 * to the current one. A chart signed by another key is refused by `--verify`.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { run as exec } from "../../lib/run.js";
import { isolatedHelmEnv, packageChartDir, signingKey } from "../../release/package.js";
import { publishCharts } from "../../release/publish.js";
import { type LocalRegistry, startRegistry } from "../../cluster/registry.js";
import { makeThrowawayKey } from "../../release/throwaway-key.js";
import { requireBin } from "../../toolchain/tools.js";
import type { InstallScenario } from "../context.js";
import { previousChart } from "../history.js";
import { clusterReleaseNamespace, nodepoolsSiteValues, ociValues, platformRelease, tenantOf } from "../releases.js";
import { installStandIns } from "../standin-names.js";

/** The version of a generated chart, as Chart.yaml states it (install reads the generated charts, not their source). */
const chartVersions = (root: string): Record<string, string> =>
  Object.fromEntries(
    ["nodepools", "platform", "tenant"].map((c) => [
      c,
      String(parse(readFileSync(join(root, "generated", c, "Chart.yaml"), "utf8")).version),
    ]),
  );

export const oci: InstallScenario = {
  id: "oci",
  title: "from an OCI registry: published signed, installed with --verify, tenant upgraded",
  run: async (run, r, made) => {
    const versions = chartVersions(run.opts.root);
    const versionOf = (chart: string) => versions[chart] as string;
    const { helm } = run.need();
    const dir = join(run.opts.workDir, "oci");
    const helmEnv = isolatedHelmEnv(join(dir, "helm"));
    const key = await makeThrowawayKey("llmcharts install test");
    const stranger = await makeThrowawayKey("someone else");
    let registry: LocalRegistry | undefined;
    try {
      registry = await r.step("registry up on a loopback port", () => startRegistry({ dir: join(dir, "registry") }));
      if (!registry) return;
      const base = registry.url;
      const keyring = await key.exportPublic(join(dir, "pubring.gpg"));
      const sign = { key: key.email, gnupgHome: key.gnupgHome, keys: key.keys };
      const fetch = (version: string, ring = keyring) => [
        "--version",
        version,
        "--verify",
        "--keyring",
        ring,
        "--plain-http",
      ];

      const prev = await previousChart(run.opts.root, "tenant", run.opts.workDir);
      await r.step(`tenant ${prev.version} (the previous version, ${prev.source}) published signed`, async () => {
        const k = await signingKey({ root: run.opts.root, sign }, join(dir, "keys"));
        const work = { stage: join(dir, "stage"), out: join(dir, "previous"), env: helmEnv };
        const a = await packageChartDir({ chart: "tenant", version: prev.version, dir: prev.dir }, work, k);
        const pushed = await exec(requireBin("helm"), ["push", a.archive, base, "--plain-http"], { env: helmEnv });
        if (pushed.exitCode !== 0) throw new Error(pushed.stderr.trim());
      });
      const published = await r.timed("publish (package, sign, verify, push) the three charts", () =>
        r.step("llmcharts publish: every chart pushed with its provenance", () =>
          publishCharts({ root: run.opts.root, registry: base, sign, helmEnv }),
        ),
      );
      r.check(
        "every chart pushed, signed",
        published !== undefined &&
          published.length === Object.keys(versions).length &&
          published.every((p) => p.outcome === "pushed" && p.signed),
        published?.map((p) => `${p.ref} ${p.outcome}${p.signed ? " signed" : ""}`).join(", "),
      );
      if (!published) return;

      const pools = versionOf("nodepools");
      const poolsSpec = {
        release: "pools-oci",
        chartDir: `${base}/nodepools`,
        chartArgs: fetch(pools),
        namespace: clusterReleaseNamespace,
        valuesFiles: [run.valuesFile(nodepoolsSiteValues)],
      };
      if (await r.step(`nodepools ${pools} installed from ${base}/nodepools --verify`, () => helm.install(poolsSpec))) {
        const hist = await helm.history(poolsSpec.release, poolsSpec.namespace);
        r.check(
          `release pools-oci runs nodepools-${pools}`,
          hist.at(-1)?.chart === `nodepools-${pools}`,
          hist.map((h) => h.chart).join(", "),
        );
        await r.step("pools-oci uninstalled", () => helm.uninstall(poolsSpec.release, poolsSpec.namespace));
      }

      if (made.platform) {
        const v = versionOf("platform");
        const spec = {
          release: platformRelease,
          chartDir: `${base}/platform`,
          chartArgs: fetch(v),
          namespace: clusterReleaseNamespace,
        };
        if (await r.step(`platform release upgraded onto ${base}/platform ${v} --verify`, () => helm.upgrade(spec))) {
          const hist = await helm.history(spec.release, spec.namespace);
          r.check(
            `platform release deployed from the registry: platform-${v}`,
            hist.at(-1)?.chart === `platform-${v}` && hist.at(-1)?.status === "deployed",
            hist.map((h) => `${h.revision} ${h.chart} ${h.status}`).join(", "),
          );
        }
      } else r.note("platform not installed by scenario 2: its upgrade from the registry is skipped");

      const t = tenantOf(run.opts.root, ociValues);
      const current = versionOf("tenant");
      const installed = await r.timed(`install tenant ${t.release} ${prev.version} from the registry`, () =>
        r.step(
          `tenant ${t.release} ${prev.version} installed from ${base}/tenant --verify, Deployments available`,
          () => run.installTenant(t, { chart: `${base}/tenant`, chartArgs: fetch(prev.version) }),
        ),
      );
      if (installed) {
        if (run.embedded) r.standIn(installStandIns.provisioner);
        await r.timed(`upgrade tenant ${t.release} to ${current} from the registry`, () =>
          r.step(`tenant ${t.release} upgraded to ${current} from the registry, Deployments available`, () =>
            run.installTenant(t, { chart: `${base}/tenant`, chartArgs: fetch(current), verb: "upgrade" }),
          ),
        );
        const hist = await helm.history(t.release, t.namespace);
        r.check(
          `tenant history: ${prev.version} then ${current}, deployed`,
          hist.map((h) => `${h.chart} ${h.status}`).join(", ") ===
            `tenant-${prev.version} superseded, tenant-${current} deployed`,
          hist.map((h) => `${h.revision} ${h.chart} ${h.status}`).join(", "),
        );
        await r.step(`tenant ${t.release} uninstalled`, () => helm.uninstall(t.release, t.namespace));
      }

      const strangerRing = await stranger.exportPublic(join(dir, "stranger.gpg"));
      const refused = await helm.raw(["template", "unverified", `${base}/nodepools`, ...fetch(pools, strangerRing)]);
      r.check(
        "--verify refuses the chart against another key",
        refused.exitCode !== 0 && /openpgp|signature|verif/i.test(refused.stderr),
        (refused.stderr || refused.stdout).trim().split("\n").at(-1),
      );
    } finally {
      await registry?.stop();
      await key.remove();
      await stranger.remove();
    }
  },
};
