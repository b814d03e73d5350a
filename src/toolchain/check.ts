import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../lib/run.js";
import { dataDir, toolDir } from "./cache.js";
import { extensionVersion, upstreamVersion } from "./pg-extension.js";
import type { PgExtensionTool, Tool } from "./pins.js";
import { binPath, repoFile } from "./tools.js";

export type Status = "ok" | "missing" | "wrong-version";

export interface BinaryCheck {
  tool: string;
  exe: string;
  pinned: string;
  found: string | null;
  path: string;
  status: Status;
}

/** A fingerprint of a pin: when the pin changes (version, flags, replaces), the cached build no longer counts. */
export const pinDigest = (pin: unknown): string =>
  createHash("sha256").update(JSON.stringify(pin)).digest("hex").slice(0, 16);

/** What a tool's stamp covers: its pin and, for a program of ours, its source, so an edit rebuilds it. */
export const toolDigest = (tool: Tool): string =>
  pinDigest(
    tool.kind === "go" && tool.source
      ? { ...tool, source: tool.source.map((f) => [f, readFileSync(repoFile(f), "utf8")]) }
      : tool,
  );

const stampFile = (dir: string): string => join(dir, ".llmcharts-pin");

export const readStamp = (dir: string): string | null =>
  existsSync(stampFile(dir)) ? readFileSync(stampFile(dir), "utf8").trim() : null;

export const stampPath = stampFile;

const bare = (v: string): string => v.replace(/^v/, "");

/** Runs each binary of a tool and checks it reports the pinned version. */
export const checkTool = async (tool: Tool): Promise<BinaryCheck[]> => {
  if (tool.kind === "pypi") return checkPyTool(tool);
  if (tool.kind === "debian") return [await checkDebianTool(tool)];
  if (tool.kind === "pg-extension") return [checkPgExtension(tool)];
  return Promise.all(
    tool.binaries.map(async (b) => {
      const path = binPath(b.exe);
      const pinned = b.version ?? tool.version;
      const base = { tool: tool.name, exe: b.exe, pinned, path };
      if (!existsSync(path)) return { ...base, found: null, status: "missing" as const };
      const args = b.versionArgs ?? tool.versionArgs;
      const out = args.length > 0 ? await run(path, args) : await run("go", ["version", "-m", path]);
      const text = `${out.stdout}\n${out.stderr}`;
      const found = text.match(/v?\d+\.\d+\.\d+[\w.+-]*/)?.[0] ?? text.trim().split("\n")[0] ?? "";
      const status = text.includes(bare(pinned)) ? ("ok" as const) : ("wrong-version" as const);
      return { ...base, found, status };
    }),
  );
};

const checkPyTool = async (tool: Extract<Tool, { kind: "pypi" }>): Promise<BinaryCheck[]> => {
  const python = join(toolDir(tool.name, tool.version), "venv", "bin", "python");
  return Promise.all(
    Object.entries(tool.packages).map(async ([pkg, version]) => {
      const path = binPath(tool.binaries[0]?.exe ?? pkg);
      const base = { tool: tool.name, exe: pkg, pinned: version, path };
      if (!existsSync(path) || !existsSync(python)) return { ...base, found: null, status: "missing" as const };
      const out = await run(python, [
        "-c",
        `import importlib.metadata as m; print(m.version("${pkg.replace(/\[.*\]$/, "")}"))`,
      ]);
      const found = out.stdout.trim() || null;
      return { ...base, found, status: found === version ? ("ok" as const) : ("wrong-version" as const) };
    }),
  );
};

/** A PostgreSQL extension: the server tree's executables are there and its control file has the pinned version. */
const checkPgExtension = (tool: PgExtensionTool): BinaryCheck => {
  const path = binPath(tool.binaries[0]?.exe ?? "postgres");
  const found = extensionVersion(tool);
  const base = { tool: tool.name, exe: tool.name, pinned: tool.version, path, found };
  if (found === null || !tool.binaries.every((b) => existsSync(binPath(b.exe)))) return { ...base, status: "missing" };
  return { ...base, status: found === upstreamVersion(tool.version) ? "ok" : "wrong-version" };
};

/** The version of a Debian package as dpkg knows it, or null when it is not installed. */
export const debianVersion = async (pkg: string): Promise<string | null> => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format fields, not a template literal.
  const format = "${db:Status-Status} ${Version}";
  const out = await run("dpkg-query", ["-W", "-f", format, pkg]);
  const [status, version] = out.stdout.trim().split(" ");
  return out.exitCode === 0 && status === "installed" && version ? version : null;
};

/** A Debian package: installed at exactly the pinned version, with every executable it should provide. */
const checkDebianTool = async (tool: Extract<Tool, { kind: "debian" }>): Promise<BinaryCheck> => {
  const found = await debianVersion(tool.name);
  const path = tool.binaries[0]?.path ?? `/var/lib/dpkg/info/${tool.name}.list`;
  const base = { tool: tool.name, exe: tool.name, pinned: tool.version, path, found };
  if (found === null || !tool.binaries.every((b) => existsSync(b.path))) return { ...base, status: "missing" };
  return { ...base, status: found === tool.version ? "ok" : "wrong-version" };
};

/** True when a tool's directory holds a complete build of exactly this pin. */
export const toolIsCurrent = async (tool: Tool): Promise<boolean> => {
  if (tool.kind === "debian") return (await checkDebianTool(tool)).status === "ok";
  if (readStamp(toolDir(tool.name, tool.version)) !== toolDigest(tool)) return false;
  return (await checkTool(tool)).every((c) => c.status === "ok");
};

/** True when a data set's directory is complete for exactly this pin. */
export const dataIsCurrent = (name: string, version: string, pin: unknown): boolean =>
  readStamp(dataDir(name, version)) === pinDigest(pin);
