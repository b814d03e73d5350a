import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../lib/run.js";
import { dataDir, toolDir } from "./cache.js";
import type { Tool } from "./pins.js";
import { binPath } from "./tools.js";

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

const stampFile = (dir: string): string => join(dir, ".llmcharts-pin");

export const readStamp = (dir: string): string | null =>
  existsSync(stampFile(dir)) ? readFileSync(stampFile(dir), "utf8").trim() : null;

export const stampPath = stampFile;

const bare = (v: string): string => v.replace(/^v/, "");

/** Runs each binary of a tool and checks it reports the pinned version. */
export const checkTool = async (tool: Tool): Promise<BinaryCheck[]> => {
  if (tool.kind === "pypi") return checkPyTool(tool);
  if (tool.kind === "debian") return checkDebianTool(tool);
  return Promise.all(
    tool.binaries.map(async (b) => {
      const path = binPath(b.exe);
      const base = { tool: tool.name, exe: b.exe, pinned: tool.version, path };
      if (!existsSync(path)) return { ...base, found: null, status: "missing" as const };
      const args = b.versionArgs ?? tool.versionArgs;
      const out = args.length > 0 ? await run(path, args) : await run("go", ["version", "-m", path]);
      const text = `${out.stdout}\n${out.stderr}`;
      const found = text.match(/v?\d+\.\d+\.\d+[\w.+-]*/)?.[0] ?? text.trim().split("\n")[0] ?? "";
      const status = text.includes(bare(tool.version)) ? ("ok" as const) : ("wrong-version" as const);
      return { ...base, found, status };
    }),
  );
};

const checkPyTool = async (tool: Extract<Tool, { kind: "pypi" }>): Promise<BinaryCheck[]> => {
  const python = join(toolDir(tool.name, tool.version), "venv", "bin", "python");
  return Promise.all(
    Object.entries(tool.packages).map(async ([pkg, version]) => {
      const path = binPath(pkg);
      const base = { tool: tool.name, exe: pkg, pinned: version, path };
      if (!existsSync(path) || !existsSync(python)) return { ...base, found: null, status: "missing" as const };
      const out = await run(python, ["-c", `import importlib.metadata as m; print(m.version("${pkg}"))`]);
      const found = out.stdout.trim() || null;
      return { ...base, found, status: found === version ? ("ok" as const) : ("wrong-version" as const) };
    }),
  );
};

/** The installed version of a Debian package, or null when it is not installed. */
export const debianPackageVersion = async (pkg: string): Promise<string | null> => {
  // dpkg-query's own format fields (${db:Status-Status} ${Version}), spelt so no linter takes them for placeholders.
  const format = ["db:Status-Status", "Version"].map((f) => `$\{${f}}`).join(" ");
  const out = await run("dpkg-query", ["-W", "-f", format, pkg]).catch(() => undefined);
  const [status, version] = (out?.exitCode === 0 ? out.stdout.trim() : "").split(" ");
  return status === "installed" && version ? version : null;
};

/** Each binary of a Debian tool is present and every package of it is installed at its pinned version. */
const checkDebianTool = async (tool: Extract<Tool, { kind: "debian" }>): Promise<BinaryCheck[]> => {
  const found = await Promise.all(
    Object.entries(tool.packages).map(async ([pkg, pinned]) => ({ pinned, found: await debianPackageVersion(pkg) })),
  );
  const wrong = found.find((p) => p.found !== p.pinned);
  return tool.binaries.map((b) => {
    const path = binPath(b.exe);
    const base = { tool: tool.name, exe: b.exe, pinned: tool.version, path };
    if (!existsSync(path) || found.some((p) => p.found === null)) return { ...base, found: null, status: "missing" };
    return { ...base, found: (wrong ?? found[0])?.found ?? null, status: wrong ? "wrong-version" : "ok" };
  });
};

/** True when a tool's directory holds a complete build of exactly this pin. */
export const toolIsCurrent = async (tool: Tool): Promise<boolean> => {
  if (tool.kind === "debian") return (await checkTool(tool)).every((c) => c.status === "ok");
  if (readStamp(toolDir(tool.name, tool.version)) !== pinDigest(tool)) return false;
  return (await checkTool(tool)).every((c) => c.status === "ok");
};

/** True when a data set's directory is complete for exactly this pin. */
export const dataIsCurrent = (name: string, version: string, pin: unknown): boolean =>
  readStamp(dataDir(name, version)) === pinDigest(pin);
