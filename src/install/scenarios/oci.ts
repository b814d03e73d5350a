/**
 * Scenario oci: the charts as operators get them. The current charts are published, signed, to a real OCI registry
 * (the pinned CNCF distribution registry on a loopback port) next to the previous tenant version, and installed from
 * it with `--verify`. A chart signed by another key is refused by `--verify`.
 *
 * The chart READMEs' own commands run as written (lib/readme-runner.ts), in bash from a directory per chart holding
 * `my-values.yaml` (a values file of the install suite, as the operator's own) and the keyring the README's "The
 * release key" commands made there: the sections "Install", "Upgrading" and "Uninstall" of each chart. Two things
 * are named substitutions, because this machine has no internet and no release secret key: the public registry
 * `oci://ghcr.io/llmcharts/charts` is a registry of ours (serving TLS, its CA trusted through SSL_CERT_FILE, so no
 * `--plain-http` is added), and the release key's fingerprint is the test key's (the key the charts were signed
 * with; test/release/keys.test.ts runs the same commands on the real KEYS). The suite's own releases the README's
 * would collide with (nodepools' `pools`, the platform) are put back as they were.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { readPublicKeys } from "../../lib/openpgp-keys.js";
import { chartReadmePath, sectionBlocks } from "../../lib/readme-claims.js";
import { runShellBlock, type Substitution } from "../../lib/readme-runner.js";
import { run as exec } from "../../lib/run.js";
import { isolatedHelmEnv, packageChartDir, signingKey } from "../../release/package.js";
import { publishCharts } from "../../release/publish.js";
import { type LocalRegistry, startRegistry } from "../../cluster/registry.js";
import { issueCertificate } from "../../cluster/x509.js";
import { makeThrowawayKey } from "../../release/throwaway-key.js";
import { requireBin } from "../../toolchain/tools.js";
import type { InstallContext, InstallScenario } from "../context.js";
import { installTenant } from "../../harness/tenants.js";
import { waitAvailable } from "../../harness/workloads.js";
import { previousChart } from "../history.js";
import {
  clusterReleaseNamespace,
  nodepoolsRelease,
  nodepoolsSiteValues,
  nodepoolsValues,
  ociValues,
  platformRelease,
  platformValues,
  tenantOf,
} from "../releases.js";
import { installStandIns } from "../standin-names.js";
import { provisionClaims } from "../standins.js";

/** The version of a generated chart, as Chart.yaml states it (install reads the generated charts, not their source). */
const chartVersions = (root: string): Record<string, string> =>
  Object.fromEntries(
    ["nodepools", "platform", "tenant"].map((c) => [
      c,
      String(parse(readFileSync(join(root, "generated", c, "Chart.yaml"), "utf8")).version),
    ]),
  );

/** The registry the chart READMEs install from. */
const publicRegistry = "oci://ghcr.io/llmcharts/charts";

/** The sections of each chart README whose commands this scenario runs (src/lib/readme-claims.ts). */
const readmeSections = { install: "Install", upgrade: "Upgrading", uninstall: "Uninstall" } as const;

/** The public registry of a chart README's section replaced by ours; the install and upgrade commands must name it. */
export const registrySubstitution = (registry: string, section: string): Substitution & { required: boolean } => ({
  name: "the public registry",
  from: publicRegistry,
  to: registry,
  required: section !== readmeSections.uninstall,
});

/** A registry serving HTTPS on loopback with a certificate of a CA of ours, and that CA's file for SSL_CERT_FILE. */
const tlsRegistry = async (dir: string, storage: string): Promise<{ registry: LocalRegistry; caFile: string }> => {
  const ca = issueCertificate({ commonName: "llmcharts install test registry CA", ca: true });
  const serving = issueCertificate({
    commonName: "127.0.0.1",
    ipAddresses: ["127.0.0.1"],
    usages: ["server"],
    issuer: ca,
  });
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, "ca.crt");
  writeFileSync(caFile, ca.cert);
  const registry = await startRegistry({ dir, storage, tls: { ...serving, ca: ca.cert } });
  return { registry, caFile };
};

/**
 * One chart's README, run as an operator would from a directory of theirs: `my-values.yaml` is `values`, and the
 * README's "The release key" commands have made the keyring there (with `keyFingerprint` for the release key's and
 * `keys` as the KEYS file the marked download fetches).
 */
const chartReadmeRunner = async (
  run: InstallContext,
  o: {
    chart: string;
    dir: string;
    values: string;
    registry: string;
    caFile: string;
    keys: string;
    keyFingerprint: string;
  },
) => {
  const file = chartReadmePath(o.chart);
  const cwd = join(o.dir, o.chart);
  mkdirSync(cwd, { recursive: true });
  copyFileSync(o.values, join(cwd, "my-values.yaml"));
  copyFileSync(o.keys, join(cwd, "KEYS"));
  const releaseKey = readPublicKeys(readFileSync(join(run.opts.root, "KEYS"), "utf8"))[0]?.fingerprint ?? "";
  const keySubstitution: Substitution & { required: true } = {
    name: "the release key's fingerprint (its secret part is the release manager's: the charts are signed with the test key)",
    from: releaseKey,
    to: o.keyFingerprint,
    required: true,
  };
  const env = {
    ...isolatedHelmEnv(join(cwd, ".helm")),
    GNUPGHOME: mkdtempSync(join(cwd, "gnupg-")),
    KUBECONFIG: run.k.kubeconfig,
    SSL_CERT_FILE: o.caFile,
  };
  const path = [dirname(requireBin("helm")), dirname(requireBin("gpg"))];
  for (const b of sectionBlocks(run.opts.root, file, "The release key").filter((b) => !b.notRun))
    await runShellBlock(b, { cwd, env, path, substitutions: [keySubstitution] });

  /** Runs the README's blocks of one section, in order; the registry must be where the README installs from. */
  return async (section: string) => {
    for (const b of sectionBlocks(run.opts.root, file, section).filter((b) => !b.notRun))
      await runShellBlock(b, {
        cwd,
        env,
        path,
        substitutions: [registrySubstitution(o.registry, section)],
      });
  };
};

/** The release and namespace a README command names: `helm <verb> <release> … --namespace <ns>`. */
const readmeRelease = (root: string, chart: string, section: string): { release: string; namespace: string } => {
  const script = sectionBlocks(root, chartReadmePath(chart), section).find((b) => !b.notRun)?.script ?? "";
  const release = /helm \w+ (\S+)/.exec(script)?.[1];
  const namespace = /--namespace (\S+)/.exec(script)?.[1];
  if (!release || !namespace)
    throw new Error(`${chartReadmePath(chart)} "${section}": no helm release and --namespace`);
  return { release, namespace };
};

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
    let readmeRegistry: LocalRegistry | undefined;
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

      const readmeDir = join(dir, "readme");
      const tls = await r.step(
        "the published charts also served over TLS (our CA), where the READMEs' commands fetch them",
        () => tlsRegistry(join(dir, "registry-tls"), join(dir, "registry", "storage")),
      );
      if (!tls) return;
      readmeRegistry = tls.registry;
      r.standIn(installStandIns.readme);
      const keyFingerprint = readPublicKeys(readFileSync(key.keys, "utf8"))[0]?.fingerprint ?? "";
      const readmeOf = (chart: string, values: string) =>
        r.step(`${chartReadmePath(chart)} "The release key": gpg makes the keyring`, () =>
          chartReadmeRunner(run, {
            chart,
            dir: readmeDir,
            values,
            registry: tls.registry.url,
            caFile: tls.caFile,
            keys: key.keys,
            keyFingerprint,
          }),
        );
      /** Runs one README section; a failure is the step's, naming the README's file:line. */
      const section = (chart: string, readme: (s: string) => Promise<void>, name: string, what: string) =>
        r.step(`${chartReadmePath(chart)} "${name}" runs as written: ${what}`, async () => {
          await readme(name);
          return true;
        });
      const lastRevision = async (rel: { release: string; namespace: string }) =>
        (await helm.history(rel.release, rel.namespace).catch(() => [])).at(-1);

      // nodepools: the README's release `pools` makes NodePools of the names the suite's `pools` has, so the suite's
      // release steps aside and comes back afterwards, as it was.
      const pools = versionOf("nodepools");
      const poolsRel = readmeRelease(run.opts.root, "nodepools", readmeSections.install);
      const suitePools = {
        release: nodepoolsRelease,
        chartDir: run.chartDir("nodepools"),
        namespace: clusterReleaseNamespace,
        valuesFiles: [run.valuesFile(nodepoolsSiteValues), run.valuesFile(nodepoolsValues)],
      };
      const poolsReadme = await readmeOf("nodepools", run.valuesFile(nodepoolsSiteValues));
      if (
        poolsReadme &&
        (await r.step("the suite's release pools uninstalled", () =>
          helm.uninstall(nodepoolsRelease, clusterReleaseNamespace),
        ))
      ) {
        // Karpenter's namespace, where its controller would run (the README's first prerequisite).
        const madeNamespace = !(await run.k.exists("namespace", poolsRel.namespace));
        try {
          if (madeNamespace) await run.k.kubectl(["create", "namespace", poolsRel.namespace]);
          if (
            await section("nodepools", poolsReadme, readmeSections.install, `helm install ${poolsRel.release} --verify`)
          ) {
            const last = await lastRevision(poolsRel);
            r.check(
              `release ${poolsRel.release} runs nodepools-${pools} from the registry`,
              last?.chart === `nodepools-${pools}` && last.status === "deployed",
              `${last?.chart} ${last?.status}`,
            );
          }
          if (
            await section("nodepools", poolsReadme, readmeSections.upgrade, `helm upgrade ${poolsRel.release} --verify`)
          ) {
            const last = await lastRevision(poolsRel);
            r.check(
              `release ${poolsRel.release} upgraded: revision 2, nodepools-${pools}`,
              last?.revision === 2 && last.chart === `nodepools-${pools}`,
              `${last?.revision} ${last?.chart} ${last?.status}`,
            );
          }
          if (await section("nodepools", poolsReadme, readmeSections.uninstall, `helm uninstall ${poolsRel.release}`))
            r.check(`release ${poolsRel.release} gone`, (await lastRevision(poolsRel)) === undefined);
        } finally {
          await r.step("the suite's release pools installed again", () => helm.install(suitePools));
          if (madeNamespace) await run.k.kubectl(["delete", "namespace", poolsRel.namespace, "--wait=false"]);
        }
      }

      // platform: one per cluster; the README upgrades the suite's release, uninstalls it and installs it again.
      if (made.platform) {
        const v = versionOf("platform");
        const rel = readmeRelease(run.opts.root, "platform", readmeSections.upgrade);
        const same = rel.release === platformRelease && rel.namespace === clusterReleaseNamespace;
        r.check(
          `the platform README's release is the suite's (${platformRelease} in ${clusterReleaseNamespace})`,
          same,
          `${rel.release} in ${rel.namespace}`,
        );
        const readme = same ? await readmeOf("platform", run.valuesFile(platformValues)) : undefined;
        if (
          readme &&
          (await section("platform", readme, readmeSections.upgrade, `helm upgrade ${rel.release} --verify`))
        ) {
          const last = await lastRevision(rel);
          r.check(
            `platform release deployed from the registry: platform-${v}`,
            last?.chart === `platform-${v}` && last.status === "deployed",
            `${last?.revision} ${last?.chart} ${last?.status}`,
          );
          if (await section("platform", readme, readmeSections.uninstall, `helm uninstall ${rel.release}`))
            r.check(`release ${rel.release} gone`, (await lastRevision(rel)) === undefined);
          if (await section("platform", readme, readmeSections.install, `helm install ${rel.release} --verify`)) {
            const again = await lastRevision(rel);
            r.check(
              `platform installed again from the registry: platform-${v}, deployed`,
              again?.chart === `platform-${v}` && again.status === "deployed",
              `${again?.chart} ${again?.status}`,
            );
          }
        }
      } else r.note("platform not installed by scenario 2: the platform README's commands are skipped");

      // tenant: the previous published version installed as the README's release, then the README's upgrade,
      // uninstall (the tenant's namespace and data kept) and install.
      const t = tenantOf(run.opts.root, ociValues);
      const current = versionOf("tenant");
      const rel = readmeRelease(run.opts.root, "tenant", readmeSections.upgrade);
      const readme = await readmeOf("tenant", t.valuesFile);
      const installed = await r.timed(`install tenant ${rel.release} ${prev.version} from the registry`, () =>
        r.step(
          `tenant ${rel.release} ${prev.version} installed from ${base}/tenant --verify, Deployments available`,
          () =>
            installTenant(run, {
              release: rel.release,
              releaseNamespace: rel.namespace,
              namespace: t.namespace,
              chart: `${base}/tenant`,
              chartArgs: fetch(prev.version),
              valuesFiles: [t.valuesFile],
              beforeInstall: async (objects) => {
                if (run.embedded) await provisionClaims(run.k, objects);
              },
            }),
        ),
      );
      if (installed && readme) {
        if (run.embedded) r.standIn(installStandIns.provisioner);
        const upgraded = await r.timed(`upgrade tenant ${rel.release} to ${current} from the registry`, () =>
          section("tenant", readme, readmeSections.upgrade, `helm upgrade ${rel.release} --verify`),
        );
        const hist = await helm.history(rel.release, rel.namespace);
        r.check(
          `tenant history: ${prev.version} then ${current}, deployed`,
          hist.map((h) => `${h.chart} ${h.status}`).join(", ") ===
            `tenant-${prev.version} superseded, tenant-${current} deployed`,
          hist.map((h) => `${h.revision} ${h.chart} ${h.status}`).join(", "),
        );
        if (upgraded)
          await r.step(`tenant ${current} Deployments available`, () => waitAvailable(run.k, [t.namespace]));
        if (await section("tenant", readme, readmeSections.uninstall, `helm uninstall ${rel.release}`)) {
          r.check(`release ${rel.release} gone`, (await lastRevision(rel)) === undefined);
          r.check(`namespace ${t.namespace} kept`, await run.k.exists("namespace", t.namespace));
        }
        if (await section("tenant", readme, readmeSections.install, `helm install ${rel.release} --verify`)) {
          const last = await lastRevision(rel);
          r.check(
            `tenant installed again from the registry: tenant-${current}, deployed`,
            last?.chart === `tenant-${current}` && last.status === "deployed",
            `${last?.chart} ${last?.status}`,
          );
          await r.step(`tenant ${current} Deployments available on the kept claim`, () =>
            waitAvailable(run.k, [t.namespace]),
          );
          await section("tenant", readme, readmeSections.uninstall, `helm uninstall ${rel.release}`);
        }
      }

      const strangerRing = await stranger.exportPublic(join(dir, "stranger.gpg"));
      const refused = await helm.raw(["template", "unverified", `${base}/nodepools`, ...fetch(pools, strangerRing)]);
      r.check(
        "--verify refuses the chart against another key",
        refused.exitCode !== 0 && /openpgp|signature|verif/i.test(refused.stderr),
        (refused.stderr || refused.stdout).trim().split("\n").at(-1),
      );
    } finally {
      await readmeRegistry?.stop();
      await registry?.stop();
      await key.remove();
      await stranger.remove();
    }
  },
};
