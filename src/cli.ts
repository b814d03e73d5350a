import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, type CommanderError, Option } from "commander";
import { charts } from "../charts-src/index.js";
import { tenantIam } from "../charts-src/lib/tenant-iam.js";
import { colourVerdicts } from "./lib/colour.js";
import { seconds } from "./lib/run.js";
import { registerClusterCommands } from "./cluster/index.js";
import { howToAddEntry } from "./generate/changelog.js";
import { generate } from "./generate/generate.js";
import { staleFile } from "./generate/stale-diff.js";
import { buildImages } from "./images/build.js";
import { registerImagesCommands } from "./images/cli.js";
import { archivePublisher } from "./images/push.js";
import { validatorImage } from "./images/validator.js";
import { registerInstallCommands } from "./install/cli.js";
import { packageRoot } from "./lib/package-root.js";
import { UsageError } from "./lib/usage-error.js";
import { registerReleaseCommands } from "./release/cli.js";
import { registerRuntimeCommands } from "./runtime/cli.js";
import { doctor, formatDoctor } from "./toolchain/doctor.js";
import { newTenantValues, tiers } from "./scaffold/tenant.js";
import { groupMembers, groupNames, groupPlanLine, parseGroups } from "./toolchain/groups.js";
import { installToolchain } from "./toolchain/install.js";
import { fleetFiles } from "./validate/fixtures.js";
import { siteFileOf } from "./validate/site-layer.js";
import { type FleetFigures, fleetReportHtml } from "./validate/fleet-report.js";
import { type Format, formatResults, formats } from "./validate/formats.js";
import { defaultFleetCacheDir } from "./validate/fleet-cache.js";
import { failureLine, summaryLine } from "./validate/report.js";
import { valuesChecker } from "./validate/rung-values.js";
import { validate } from "./validate/validate.js";

const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };

const program = new Command("llmcharts")
  .description("Generate and prove the Helm charts of the multi-tenant LLM platform")
  .version(version, "-V, --version", "print the llmcharts version")
  .showHelpAfterError()
  // One exit-code rule: 2 for a usage error (an unknown option, a value not among the choices), 1 for failed checks.
  .exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

program
  .command("doctor")
  .description("check the pinned tools and data sets in the cache, per group (static, cluster, runtime, audit)")
  .addOption(
    new Option("--group <groups...>", "check and judge only these groups")
      .choices([...groupNames, "all"])
      .default(["all"]),
  )
  .option("--json", "print the report as JSON")
  .action(async (opts: { group: string[]; json?: boolean }) => {
    const report = await doctor(parseGroups(opts.group));
    console.log(opts.json ? JSON.stringify(report, null, 2) : colourVerdicts(formatDoctor(report), process.stdout));
    process.exitCode = report.ok ? 0 : 1;
  });

const toolsCommand = program.command("tools").description("the pinned toolchain");
toolsCommand
  .command("install")
  .description("build or install every pinned tool and data set the cache lacks (a second run is instant)")
  .argument("[names...]", "only these tools or data sets")
  .addOption(new Option("--group <groups...>", "only these groups, besides any names").choices([...groupNames, "all"]))
  .action(async (names: string[], opts: { group?: string[] }) => {
    const start = Date.now();
    const selected = opts.group ? parseGroups(opts.group) : [];
    if (opts.group) console.log(groupPlanLine(selected));
    // Neither names nor groups: everything (`only` empty).
    const reports = await installToolchain({ only: [...names, ...groupMembers(selected)] });
    const failed = reports.filter((r) => r.outcome === "failed").length;
    console.log(
      `${reports.length - failed} passed, ${failed} failed (${reports.filter((r) => r.outcome === "installed").length} built, ${seconds(Date.now() - start)})`,
    );
    process.exitCode = failed === 0 ? 0 : 1;
  });

program
  .command("generate")
  .description("write generated/<chart>/ and schemas/ from the typed sources in charts-src/")
  .option("--check", "change nothing; fail if any generated file is stale")
  .action((opts: { check?: boolean }) => {
    const root = packageRoot;
    const { changed, needsBump, needsChangelog, badVersions, expected } = generate(root, { check: opts.check });
    for (const line of badVersions) console.error(line);
    for (const name of needsBump) {
      console.error(
        `${name}: rendered output changed but version did not: bump \`version\` in charts-src/${name}/chart.ts and ${howToAddEntry(name, "<new version>")}`,
      );
    }
    for (const line of needsChangelog) console.error(line);
    const rel = (p: string) => p.slice(root.length + 1);
    if (opts.check) {
      // What is stale, file by file: the lines it would gain and lose, and the start of the diff.
      for (const path of changed) {
        const stale = staleFile(root, path, expected.get(path));
        console.error(`stale: ${stale.path} (+${stale.added} -${stale.removed})`);
        for (const line of stale.diff) console.error(`  ${line}`);
        if (stale.more > 0) console.error(`  … ${stale.more} more diff lines`);
      }
      if (changed.length > 0) console.error("run `npx llmcharts generate` and commit the result");
    } else if (needsBump.length === 0 && needsChangelog.length === 0 && badVersions.length === 0) {
      for (const path of changed) console.log(`wrote ${rel(path)}`);
    }
    const failed = needsBump.length + needsChangelog.length + badVersions.length + (opts.check ? changed.length : 0);
    const verdict = failed > 0 ? "generation check failed" : opts.check ? "generated files are current" : "generated";
    console.log(
      `${verdict}: ${changed.length} changed, ${needsBump.length} need a version bump, ${needsChangelog.length} need a changelog entry, ${badVersions.length} with a bad version`,
    );
    process.exitCode = failed === 0 ? 0 : 1;
  });

program
  .command("validate")
  .description("prove charts: values (ajv), chart (helm lint, ct lint), manifests (kubeconform), policies (kyverno)")
  .addOption(new Option("--chart <name>", "only this chart").choices(Object.keys(charts)))
  .option("-f, --values <file...>", "validate these values files instead of every fixture")
  .option("--fleet <dir>", "validate every tenant values file under this folder, alone and as one fleet")
  .option(
    "--site <file>",
    "with --fleet: the site layer merged under every tenant's file, as the platform's ApplicationSet does (default: <dir>/site.yaml when there is one)",
  )
  .option("--nodepools <file>", "with --fleet or -f: the nodepools values file whose GPU pools the tenants share")
  .option("--platform <file>", "with --fleet or -f: the platform values file whose model catalog the tenants read")
  .addOption(
    new Option(
      "--format <format>",
      "how to print the results: text, or for CI json, junit, github (annotations), sarif",
    )
      .choices(formats)
      .default("text"),
  )
  .option("--json", "the same as --format json")
  .option("--report <file.html>", "with --fleet: also write the verdicts, collisions and GPU quotas as one HTML page")
  .option(
    "--no-cache",
    "with --fleet: check every tenant file again, not only those changed since the last run (the fleet cache, beside the toolchain's)",
  )
  .action(
    async (opts: {
      chart?: string;
      values?: string[];
      fleet?: string;
      site?: string;
      nodepools?: string;
      platform?: string;
      format: Format;
      json?: boolean;
      report?: string;
      cache: boolean;
    }) => {
      const format: Format = opts.json ? "json" : opts.format;
      if (opts.report && !opts.fleet)
        throw new UsageError("--report draws a fleet: give the folder of tenant values files with --fleet DIR");
      let fleetFigures: FleetFigures = { collisions: [] };
      let fromCache = "";
      // Progress on stderr, results on stdout: a machine format's output is the whole of stdout.
      const results = await validate({
        root: packageRoot,
        chart: opts.chart,
        valuesFiles: opts.values,
        fleet: opts.fleet,
        site: opts.site,
        nodepools: opts.nodepools,
        platform: opts.platform,
        log: format === "text" ? (line) => console.error(line) : () => {},
        onFleet: (figures) => {
          fleetFigures = figures;
        },
        ...(opts.cache ? { cache: defaultFleetCacheDir() } : {}),
        onCache: ({ tenants, cached }) => {
          fromCache = opts.cache
            ? `; ${cached} of ${tenants} tenants from the cache`
            : "; no tenant from the cache (--no-cache)";
        },
      });
      // The verdicts alone: a run with the cache writes the same JSON document, report and annotations as one without.
      const summary = summaryLine(results);
      if (opts.report && opts.fleet) {
        const site = siteFileOf(opts.fleet, opts.site);
        const page = fleetReportHtml({
          dir: opts.fleet,
          site,
          tenants: fleetFiles(opts.fleet, site),
          results,
          fleet: fleetFigures,
          nodepools: opts.nodepools,
          summary,
          version,
        });
        writeFileSync(opts.report, page);
        console.error(`wrote ${opts.report}`);
      }
      if (format === "text") {
        const lines = [...results.filter((x) => !x.ok).map(failureLine), `${summary}${fromCache}`];
        console.log(colourVerdicts(lines.join("\n"), process.stdout));
      } else {
        console.log(formatResults(results, format, { summary, version }));
        if (format !== "json") console.error(`${summary}${fromCache}`);
      }
      process.exitCode = results.every((r) => r.ok) ? 0 : 1;
    },
  );

program
  .command("new")
  .description("write a starting values file")
  .command("tenant")
  .description("a minimal values file for a new tenant; its placeholders fail validation until filled in")
  .argument("<name>", "tenant name (the namespace is tenant-<name>)")
  .addOption(
    new Option("--tier <tier>", "what the tenant runs on: CPU, GPU, or both").choices(tiers).default("standard"),
  )
  .option("-o, --out <file>", "where to write it (default: <name>.yaml)")
  .action((name: string, opts: { tier: string; out?: string }) => {
    const out = resolve(opts.out ?? `${name}.yaml`);
    const { text, placeholders } = newTenantValues(name, opts.tier);
    if (existsSync(out)) throw new Error(`${out} already exists; pass --out FILE to write elsewhere (nothing written)`);
    writeFileSync(out, text, { flag: "wx" });
    console.log(`wrote ${out}`);
    console.log(`fill in: ${placeholders.join(", ")}; then: llmcharts validate --chart tenant -f ${out}`);
  });

program
  .command("iam-policy")
  .description("the IAM role a tenant's secrets are read with: its permissions and trust policies, as JSON")
  .argument("<tenant>", "tenant name (its secrets live under llmcharts/tenants/<tenant>/)")
  .requiredOption("--account <id>", "the 12-digit AWS account holding the tenant's secrets and role")
  .requiredOption(
    "--oidc-provider <provider>",
    "the cluster's IAM OIDC provider (oidc.eks.<region>.amazonaws.com/id/<ID>)",
  )
  .option("--region <region>", "the secrets' region (* for any)", "*")
  .action((tenant: string, opts: { account: string; oidcProvider: string; region: string }) => {
    const nameErrors = valuesChecker(charts.tenant as NonNullable<(typeof charts)["tenant"]>)({
      tenant: { name: tenant },
    }).filter((e) => e.includes("/tenant/name"));
    if (nameErrors.length > 0) throw new UsageError(`tenant name "${tenant}": ${nameErrors[0]}`);
    try {
      console.log(JSON.stringify(tenantIam(tenant, opts), null, 2));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  });

registerClusterCommands(program);
registerInstallCommands(program);
registerImagesCommands(program);
registerRuntimeCommands(program);
// publish pushes the validator image with the charts: built here (cached by content) when the cache lacks it.
registerReleaseCommands(program, async (log) => {
  const [built] = await buildImages([validatorImage.name], log).catch((err: Error) => {
    throw new Error(`${err.message}\nnothing was published; to publish the charts without the image: --no-image`);
  });
  if (!built) throw new Error("the validator image was not built");
  return archivePublisher(built.archive, validatorImage.name, validatorImage.version);
});

/** `--help` lists the commands by what they are for. */
const helpGroups: Record<string, string[]> = {
  "Authoring:": ["generate", "new", "iam-policy"],
  "Proving:": ["validate", "test-install", "test-runtime", "cluster", "images"],
  "Release:": ["package", "publish"],
  "Toolchain:": ["tools", "doctor"],
};
for (const [heading, names] of Object.entries(helpGroups))
  for (const name of names) program.commands.find((c) => c.name() === name)?.helpGroup(heading);
program.addHelpText(
  "after",
  `
Examples:
  $ llmcharts validate -f my-tenant.yaml                  check a values file before helm install
  $ llmcharts validate --fleet tenants/ --format github   a fleet repository's CI, annotations on each failing line
  $ llmcharts validate --fleet tenants/ --platform platform.yaml   and every tenant's models in the platform's catalog
  $ llmcharts validate --fleet tenants/ --site site.yaml   each tenant's file merged over the fleet's site layer
  $ llmcharts new tenant acme --tier both -o acme.yaml    a starting values file for a new customer
  $ llmcharts test-install --only 2,6                     install scenarios 2 and 6 on an embedded cluster`,
);

try {
  await program.parseAsync();
} catch (err) {
  // Expected failures (a missing tool, an unknown chart) are messages for the user, not stack traces.
  console.error(`error: ${(err as Error).message}`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
