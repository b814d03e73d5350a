// First step of `npm start` and `npm test` on any machine: install the npm dependencies when they are missing or
// stale, then the pinned toolchain the script needs (instant when the cache already holds it). Plain Node, so it runs
// before npm ci.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The `llmcharts` arguments that install what a script needs. `start` (generate and validate) needs only the static
 * group; `test` needs every group, so the suites never stop on a missing tool. The groups of each command are named in
 * src/toolchain/groups.ts (`commandGroups`); test/toolchain/groups.test.ts holds the two to the same answer.
 */
export const toolsInstallArgs = (mode) => {
  if (mode === "start") return ["tools", "install", "--group", "static"];
  if (mode === "test") return ["tools", "install", "--group", "all"];
  throw new Error(`bootstrap: unknown mode "${mode}"; use start or test`);
};

const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const main = (mode) => {
  let args;
  try {
    args = toolsInstallArgs(mode);
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  const installed = "node_modules/.package-lock.json";
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync("package-lock.json").mtimeMs) {
    console.log("bootstrap: npm install");
    // `npm install`, not `npm ci`: the lockfile here records only this platform's optional binaries, which `npm ci` rejects.
    sh("npm", ["install", "--no-audit", "--no-fund"]);
  }
  sh(process.execPath, ["bin/llmcharts.js", ...args]);
};

// Run as a script (npm's prestart and pretest); imported by the tests for `toolsInstallArgs` alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv[2]);
