import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runStep, seconds } from "../lib/run.js";
import { dataDir, toolDir } from "./cache.js";
import { checkTool, dataIsCurrent, pinDigest, stampPath, toolIsCurrent } from "./check.js";
import { type DataSet, dataSets } from "./datasets.js";
import { goEnv } from "./goenv.js";
import { toolsGoMod } from "./gomod.js";
import { downloadModule, stagingReplaces } from "./modules.js";
import { type DebianTool, type GoTool, type PyTool, type Tool, tools } from "./pins.js";
import { convertCrds, convertKubernetesOpenApi } from "./schemas.js";

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
  const env = goEnv(tool.noSumDb);
  const upstream = await step(log, `go mod download ${tool.module}@${tool.version}`, () =>
    downloadModule(tool.module, tool.version),
  );
  const replaces = {
    ...(tool.replaceStaging ? stagingReplaces(upstream.GoMod, tool.replaceStaging) : {}),
    ...tool.replaces,
  };
  writeFileSync(join(dir, "go.mod"), toolsGoMod(tool, replaces));
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

/** apt-get installs the pinned Debian packages: root only, since Debian's package manager owns /usr. */
const installDebianTool = async (tool: DebianTool, log: Log): Promise<void> => {
  const specs = Object.entries(tool.packages).map(([pkg, v]) => `${pkg}=${v}`);
  if (process.getuid?.() !== 0)
    throw new Error(
      `${tool.name}: installing Debian packages needs root; run: sudo apt-get install -y ${specs.join(" ")}`,
    );
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await step(log, "apt-get update", () => runStep(`${tool.name}: apt-get update`, "apt-get", ["update"], { env }));
  await step(log, `apt-get install ${specs.join(" ")}`, () =>
    runStep(`${tool.name}: apt-get install`, "apt-get", ["install", "-y", "--no-install-recommends", ...specs], {
      env,
    }),
  );
};

/** Builds a tool, stamps its pin, and proves every binary reports the pinned version before it counts as installed. */
const installTool = async (tool: Tool, log: Log): Promise<void> => {
  if (tool.kind === "debian") {
    await installDebianTool(tool, log);
    const wrong = (await checkTool(tool)).find((c) => c.status !== "ok");
    if (wrong)
      throw new Error(`${tool.name}: ${wrong.exe} was installed but reports "${wrong.found}", not ${tool.version}`);
    return;
  }
  if (tool.kind === "go") await installGoTool(tool, log);
  else await installPyTool(tool, log);
  const stamp = stampPath(toolDir(tool.name, tool.version));
  writeFileSync(stamp, pinDigest(tool));
  const wrong = (await checkTool(tool)).find((c) => c.status !== "ok");
  if (wrong) {
    rmSync(stamp);
    throw new Error(`${tool.name}: ${wrong.exe} was built but reports "${wrong.found}", not ${tool.version}`);
  }
};

export interface InstallOptions {
  /** Only these tools or data sets (by name); all when empty. */
  only?: string[];
  log?: Log;
}

/**
 * Installs every pinned tool and data set that the cache does not already hold at its pin. Stops at the first
 * failure, naming the tool, the step and the last lines of its output.
 */
export const installToolchain = async ({
  only = [],
  log = console.log,
}: InstallOptions = {}): Promise<InstallReport[]> => {
  const known = [...tools.map((t) => t.name), ...dataSets().map((d) => d.name)];
  const unknown = only.filter((n) => !known.includes(n));
  if (unknown.length > 0)
    throw new Error(`unknown tool or data set: ${unknown.join(", ")}; known: ${known.join(", ")}`);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const units = [
    ...tools
      .filter((t) => wanted(t.name))
      .map((t) => ({
        name: t.name,
        version: t.version,
        current: () => toolIsCurrent(t),
        install: () => installTool(t, log),
      })),
    ...dataSets()
      .filter((d) => wanted(d.name))
      .map((d) => ({
        name: d.name,
        version: d.version,
        current: async () => dataIsCurrent(d.name, d.version, d.pin),
        install: async () => {
          const count = await installDataSet(d, log);
          if (count === 0) throw new Error(`${d.name}: conversion produced no schema`);
          writeFileSync(stampPath(dataDir(d.name, d.version)), pinDigest(d.pin));
          log(`    ${count} schemas`);
        },
      })),
  ];
  const reports: InstallReport[] = [];
  for (const [i, unit] of units.entries()) {
    const start = Date.now();
    const tag = `[${i + 1}/${units.length}] ${unit.name} ${unit.version}`;
    if (await unit.current()) {
      reports.push({ name: unit.name, version: unit.version, outcome: "cached", ms: Date.now() - start });
      log(`${tag}: cached`);
      continue;
    }
    log(`${tag}: installing`);
    try {
      await unit.install();
      reports.push({ name: unit.name, version: unit.version, outcome: "installed", ms: Date.now() - start });
      log(`${tag}: installed in ${seconds(Date.now() - start)}`);
    } catch (err) {
      const error = (err as Error).message;
      reports.push({ name: unit.name, version: unit.version, outcome: "failed", ms: Date.now() - start, error });
      log(`${tag}: FAILED\n${error}`);
      break;
    }
  }
  return reports;
};
