import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { mapLimit } from "../lib/pool.js";
import { runStep, seconds } from "../lib/run.js";
import { dataDir, toolDir } from "./cache.js";
import { checkTool, dataIsCurrent, pinDigest, stampPath, toolDigest, toolIsCurrent } from "./check.js";
import { type DataSet, dataSets } from "./datasets.js";
import { goEnv } from "./goenv.js";
import { toolRequires, toolsGoMod, upstreamReplaceBlock, upstreamRequireBlock } from "./gomod.js";
import { downloadModule, stagingReplaces } from "./modules.js";
import { installPgExtension } from "./pg-extension.js";
import { type DebianTool, type GoTool, type PgExtensionTool, type PyTool, type Tool, tools } from "./pins.js";
import { installLock } from "./install-lock.js";
import { convertCrds, convertKubernetesOpenApi } from "./schemas.js";
import { repoFile } from "./tools.js";

export interface InstallReport {
  name: string;
  version: string;
  outcome: "cached" | "installed" | "failed";
  ms: number;
  error?: string;
}

type Log = (line: string) => void;

/** Runs one step with a progress line, and a heartbeat while it runs so a long build never looks hung. */
const step = async <T>(log: Log, label: string, work: () => Promise<T>): Promise<T> => {
  const start = Date.now();
  log(`    ${label}`);
  const beat = setInterval(() => log(`    … ${label} (${seconds(Date.now() - start)})`), 30_000);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
};

const installGoTool = async (tool: GoTool, log: Log): Promise<void> => {
  const dir = toolDir(tool.name, tool.version);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "bin"), { recursive: true });
  const env = goEnv(tool.noSumDb, tool.toolchain);
  const upstream = await step(log, `go mod download ${tool.module}@${tool.version}`, () =>
    downloadModule(tool.module, tool.version),
  );
  const replaces = {
    ...(tool.upstreamReplaces ? upstreamReplaceBlock(tool, upstream.GoMod) : {}),
    ...(tool.replaceStaging ? stagingReplaces(upstream.GoMod, tool.replaceStaging) : {}),
    ...tool.replaces,
  };
  const requires = toolRequires(tool, tool.upstreamRequires ? upstreamRequireBlock(upstream.GoMod) : []);
  if (tool.cgo) Object.assign(env, await cgoEnv(tool, dir, log));
  writeFileSync(join(dir, "go.mod"), toolsGoMod(tool, replaces, requires));
  for (const file of tool.source ?? []) copyFileSync(repoFile(file), join(dir, basename(file)));
  await step(log, "go mod tidy", () => runStep(`${tool.name}: go mod tidy`, "go", ["mod", "tidy"], { cwd: dir, env }));
  for (const b of tool.binaries) {
    const ldflags = ["-s", "-w", ...(tool.ldflags ?? [])].join(" ");
    await step(log, `go build ${b.pkg}`, () =>
      runStep(
        `${tool.name}: go build ${b.pkg}`,
        "go",
        ["build", "-trimpath", "-ldflags", ldflags, "-o", join(dir, "bin", b.exe), b.pkg],
        {
          cwd: dir,
          env,
        },
      ),
    );
  }
  for (const file of tool.moduleFiles ?? []) {
    mkdirSync(join(dir, "etc"), { recursive: true });
    copyFileSync(join(upstream.Dir, file), join(dir, "etc", basename(file)));
  }
};

/** cgo on, with the include path holding the headers the module zip left out (a PyPI sdist's folder). */
const cgoEnv = async (tool: GoTool, dir: string, log: Log): Promise<NodeJS.ProcessEnv> => {
  const headers = tool.cgo?.pypiHeaders;
  const include: string[] = [];
  if (headers) {
    const src = join(dir, "headers");
    mkdirSync(src, { recursive: true });
    const spec = `${headers.package}==${headers.version}`;
    await step(log, `pip download ${spec} (source, for its headers)`, () =>
      runStep(`${tool.name}: pip download ${spec}`, "python3", [
        ...["-m", "pip", "download", "--disable-pip-version-check", "--no-input", "--no-deps"],
        ...["--no-binary", ":all:", "-d", src, spec],
      ]),
    );
    const archive = join(src, `${headers.package}-${headers.version}.tar.gz`);
    await runStep(`${tool.name}: unpack ${basename(archive)}`, "tar", ["-xzf", archive, "-C", src]);
    include.push(join(src, headers.includeDir));
  }
  return { CGO_ENABLED: "1", CGO_CPPFLAGS: include.map((d) => `-I${d}`).join(" ") };
};

/** Debian packages at their pinned versions, in one apt-get run; no service starts (policy-rc.d refuses them all). */
const installDebianTools = async (pins: DebianTool[], log: Log): Promise<void> => {
  const specs = pins.map((p) => `${p.name}=${p.version}`);
  if (process.getuid?.() !== 0) {
    throw new Error(`installing Debian packages needs root; run: sudo apt-get install -y ${specs.join(" ")}`);
  }
  const policy = "/usr/sbin/policy-rc.d";
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  writeFileSync(
    policy,
    "#!/bin/sh\n# llmcharts: packages are installed for their binaries; start no service.\nexit 101\n",
    {
      mode: 0o755,
    },
  );
  try {
    await step(log, "apt-get update", () => runStep("apt-get update", "apt-get", ["update", "-q"], { env }));
    await step(log, `apt-get install ${specs.join(" ")}`, () =>
      runStep("apt-get install", "apt-get", ["install", "-y", "-q", "--no-install-recommends", ...specs], { env }),
    );
  } finally {
    rmSync(policy, { force: true });
  }
};

const installPyTool = async (tool: PyTool, log: Log): Promise<void> => {
  const dir = toolDir(tool.name, tool.version);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await step(log, "python3 -m venv", () => runStep(`${tool.name}: venv`, "python3", ["-m", "venv", join(dir, "venv")]));
  const specs = Object.entries(tool.packages).map(([pkg, v]) => `${pkg}==${v}`);
  await step(log, `pip install ${specs.join(" ")}`, () =>
    runStep(`${tool.name}: pip install`, join(dir, "venv", "bin", "pip"), [
      "install",
      "--disable-pip-version-check",
      "--no-input",
      ...specs,
    ]),
  );
};

const installDataSet = async (data: DataSet, log: Log): Promise<number> => {
  const dir = dataDir(data.name, data.version);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (data.kind === "kubernetes-openapi") {
    const mod = await step(log, `go mod download k8s.io/kubernetes@${data.version}`, () =>
      downloadModule("k8s.io/kubernetes", data.version),
    );
    return step(log, "convert OpenAPI to kubeconform schemas", async () =>
      convertKubernetesOpenApi(join(mod.Dir, "api", "openapi-spec", "swagger.json"), dir),
    );
  }
  const source = data.source as NonNullable<DataSet["source"]>;
  const mod = await step(log, `go mod download ${source.module}@${source.version}`, () =>
    downloadModule(source.module, source.version),
  );
  return step(log, "convert CRDs to kubeconform schemas", async () =>
    convertCrds(
      source.files.map((f) => join(mod.Dir, f)),
      dir,
    ),
  );
};

/** The tools built into the cache (Debian packages are installed into the system instead). */
type BuiltTool = GoTool | PyTool | PgExtensionTool;

/** Builds a tool, stamps its pin, and proves every binary reports the pinned version before it counts as installed. */
const installTool = async (tool: BuiltTool, log: Log): Promise<void> => {
  if (tool.kind === "go") await installGoTool(tool, log);
  else if (tool.kind === "pg-extension") await installPgExtension(tool, log);
  else await installPyTool(tool, log);
  const stamp = stampPath(toolDir(tool.name, tool.version));
  writeFileSync(stamp, toolDigest(tool));
  const wrong = (await checkTool(tool)).find((c) => c.status !== "ok");
  if (wrong) {
    rmSync(stamp);
    throw new Error(`${tool.name}: ${wrong.exe} was built but reports "${wrong.found}", not ${tool.version}`);
  }
};

/**
 * The units to build, as chains built one unit after the other: a tool built after another (`buildAfter`) joins the
 * chain of that one when it is built too, and stands alone otherwise (the other was cached).
 */
export const buildChains = <T extends { name: string }>(units: T[], pins: readonly Tool[]): T[][] => {
  const after = new Map(pins.flatMap((t) => (t.kind === "go" && t.buildAfter ? [[t.name, t.buildAfter]] : [])));
  const building = new Set(units.map((u) => u.name));
  const first = (u: T) => !building.has(after.get(u.name) ?? "");
  return units.filter(first).map((head) => [head, ...units.filter((u) => after.get(u.name) === head.name)]);
};

export interface InstallOptions {
  /** Only these tools or data sets (by name); all when empty. */
  only?: string[];
  log?: Log;
  /** Log a line for each tool the cache already holds (off for commands that install on first use: one line then). */
  logCached?: boolean;
}

/**
 * Installs every pinned tool and data set that the cache does not already hold at its pin. Stops at the first
 * failure, naming the tool, the step and the last lines of its output. One process installs into a cache at a time:
 * another waits for it, then finds what it built cached.
 */
export const installToolchain = async (options: InstallOptions = {}): Promise<InstallReport[]> => {
  const lock = installLock(options.log ?? console.log);
  try {
    return await installMissing(options, lock.hold);
  } finally {
    await lock.release();
  }
};

/** Installs what is missing; `exclusive` resolves once this process alone may write to the cache. */
const installMissing = async (
  { only = [], log = console.log, logCached = true }: InstallOptions,
  exclusive: () => Promise<void>,
): Promise<InstallReport[]> => {
  const known = [...tools.map((t) => t.name), ...dataSets().map((d) => d.name)];
  const unknown = only.filter((n) => !known.includes(n));
  if (unknown.length > 0)
    throw new Error(`unknown tool or data set: ${unknown.join(", ")}; known: ${known.join(", ")}`);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  // Each unit logs its steps under its own name: two build at once, so their lines interleave.
  const unitLog =
    (name: string): Log =>
    (line) =>
      log(line.replace(/^( *)/, `$1[${name}] `));
  const debianPins = tools.filter((t): t is DebianTool => t.kind === "debian" && wanted(t.name));
  const units = [
    ...tools
      .filter((t): t is BuiltTool => t.kind !== "debian" && wanted(t.name))
      .map((t) => ({
        name: t.name,
        version: t.version,
        current: () => toolIsCurrent(t),
        install: () => installTool(t, unitLog(t.name)),
      })),
    ...dataSets()
      .filter((d) => wanted(d.name))
      .map((d) => ({
        name: d.name,
        version: d.version,
        current: async () => dataIsCurrent(d.name, d.version, d.pin),
        install: async () => {
          const count = await installDataSet(d, unitLog(d.name));
          if (count === 0) throw new Error(`${d.name}: conversion produced no schema`);
          writeFileSync(stampPath(dataDir(d.name, d.version)), pinDigest(d.pin));
          log(`    [${d.name}] ${count} schemas`);
        },
      })),
  ];
  const total = debianPins.length + units.length;
  const reports: InstallReport[] = [];
  let failed = false;
  const runUnit = async (unit: (typeof units)[number], tag: string): Promise<void> => {
    const start = Date.now();
    if (failed) return;
    // Asked again once exclusive: another installer may have built it meanwhile.
    if ((await unit.current()) || (await exclusive().then(unit.current))) {
      reports.push({ name: unit.name, version: unit.version, outcome: "cached", ms: Date.now() - start });
      if (logCached) log(`${tag}: cached`);
      return;
    }
    log(`${tag}: installing`);
    try {
      await unit.install();
      reports.push({ name: unit.name, version: unit.version, outcome: "installed", ms: Date.now() - start });
      log(`${tag}: installed in ${seconds(Date.now() - start)}`);
    } catch (err) {
      failed = true;
      const error = (err as Error).message;
      reports.push({ name: unit.name, version: unit.version, outcome: "failed", ms: Date.now() - start, error });
      log(`${tag}: FAILED\n${error}`);
    }
  };

  // The Debian packages first, in one apt-get run: cgo builds need their headers.
  const debianStart = Date.now();
  const missing: DebianTool[] = [];
  for (const [i, pin] of debianPins.entries()) {
    const tag = `[${i + 1}/${total}] ${pin.name} ${pin.version} (Debian)`;
    if (await toolIsCurrent(pin)) {
      reports.push({ name: pin.name, version: pin.version, outcome: "cached", ms: 0 });
      if (logCached) log(`${tag}: installed`);
    } else missing.push(pin);
  }
  if (missing.length > 0) {
    await exclusive();
    log(`apt-get: installing ${missing.map((p) => p.name).join(", ")}`);
    try {
      await installDebianTools(missing, unitLog("apt-get"));
      const wrong = [];
      for (const pin of missing) if (!(await toolIsCurrent(pin))) wrong.push(`${pin.name} (pinned ${pin.version})`);
      if (wrong.length > 0) throw new Error(`apt-get installed other versions than pinned: ${wrong.join(", ")}`);
      const ms = Date.now() - debianStart;
      for (const pin of missing) reports.push({ name: pin.name, version: pin.version, outcome: "installed", ms });
    } catch (err) {
      const error = (err as Error).message;
      for (const pin of missing)
        reports.push({ name: pin.name, version: pin.version, outcome: "failed", ms: 0, error });
      log(`apt-get: FAILED\n${error}`);
      return reports;
    }
  }
  // Two builds at once: each Go build is partly serial (downloads, linking), so two keep both cores busy.
  const tagged = units.map((unit, i) => ({
    name: unit.name,
    unit,
    tag: `[${debianPins.length + i + 1}/${total}] ${unit.name} ${unit.version}`,
  }));
  await mapLimit(
    buildChains(tagged, tools),
    async (chain) => {
      for (const { unit, tag } of chain) await runUnit(unit, tag);
    },
    2,
  );
  return reports;
};
