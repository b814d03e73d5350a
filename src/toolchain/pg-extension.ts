/**
 * A PostgreSQL extension from Debian's source package, installed into a copy of Debian's PostgreSQL server tree in the
 * cache (see PgExtensionTool in pins.ts): download and check the source package, unpack it with dpkg-source, build it
 * with PGXS against the server's pg_config, and lay it into the copied tree.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runStep } from "../lib/run.js";
import { toolDir } from "./cache.js";
import type { PgExtensionTool } from "./pins.js";

type Log = (line: string) => void;

/** The server tree: Debian's layout (lib/postgresql/<major>, share/postgresql/<major>) under the tool's directory. */
export const pgTree = (tool: PgExtensionTool) => {
  const root = join(toolDir(tool.name, tool.version), "pg");
  return {
    root,
    bin: join(root, "lib", "postgresql", tool.server.major, "bin"),
    lib: join(root, "lib", "postgresql", tool.server.major, "lib"),
    share: join(root, "share", "postgresql", tool.server.major),
  };
};

/** The control file's default_version (what CREATE EXTENSION installs), or null when the tree has none. */
export const extensionVersion = (tool: PgExtensionTool): string | null => {
  const control = join(pgTree(tool).share, "extension", `${tool.extension}.control`);
  if (!existsSync(control)) return null;
  return readFileSync(control, "utf8").match(/^default_version\s*=\s*'([^']+)'/m)?.[1] ?? null;
};

/** The upstream version inside a Debian version (`0.8.0-1` → `0.8.0`). */
export const upstreamVersion = (debianVersion: string): string => debianVersion.replace(/-[^-]+$/, "");

const download = async (url: string, sha256: string, to: string): Promise<void> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`download ${url}: HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  const got = createHash("sha256").update(body).digest("hex");
  if (got !== sha256) throw new Error(`download ${url}: SHA-256 ${got}, pinned ${sha256}`);
  writeFileSync(to, body);
};

export const installPgExtension = async (tool: PgExtensionTool, log: Log): Promise<void> => {
  const dir = toolDir(tool.name, tool.version);
  rmSync(dir, { recursive: true, force: true });
  const src = join(dir, "source");
  mkdirSync(src, { recursive: true });
  for (const [file, sha256] of Object.entries(tool.files)) {
    log(`    download ${tool.pool}/${file}`);
    await download(`${tool.pool}/${file}`, sha256, join(src, file));
  }
  const dsc = Object.keys(tool.files).find((f) => f.endsWith(".dsc")) as string;
  const unpacked = join(src, tool.name);
  log(`    dpkg-source -x ${dsc}`);
  await runStep(`${tool.name}: dpkg-source -x`, "dpkg-source", ["-x", join(src, dsc), unpacked]);
  const system = `/usr/lib/postgresql/${tool.server.major}`;
  // OPTFLAGS empty: upstream's default is -march=native, which ties the build to this CPU (Debian's rules clear it).
  const make = [`PG_CONFIG=${system}/bin/pg_config`, "OPTFLAGS="];
  log(`    make (PGXS, PostgreSQL ${tool.server.major})`);
  await runStep(`${tool.name}: make`, "make", ["-C", unpacked, ...make]);
  const stage = join(dir, "stage");
  await runStep(`${tool.name}: make install`, "make", ["-C", unpacked, ...make, "install", `DESTDIR=${stage}`]);
  const tree = pgTree(tool);
  log(`    server tree: ${tool.server.package} + ${tool.name}`);
  mkdirSync(join(tree.root, "lib", "postgresql"), { recursive: true });
  mkdirSync(join(tree.root, "share", "postgresql"), { recursive: true });
  await runStep("copy the server's lib tree", "cp", ["-a", system, join(tree.root, "lib", "postgresql")]);
  await runStep("copy the server's share tree", "cp", [
    "-a",
    `/usr/share/postgresql/${tool.server.major}`,
    join(tree.root, "share", "postgresql"),
  ]);
  await runStep(`copy ${tool.name} into the tree`, "cp", ["-a", `${join(stage, "usr")}/.`, tree.root]);
  rmSync(stage, { recursive: true, force: true });
};
