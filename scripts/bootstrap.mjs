// First step of `npm start` and `npm test` on any machine: install the npm dependencies when they are missing or
// stale, then the pinned toolchain (instant when the cache already holds it). Plain Node, so it runs before npm ci.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const installed = "node_modules/.package-lock.json";
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync("package-lock.json").mtimeMs) {
  console.log("bootstrap: npm install");
  // `npm install`, not `npm ci`: the lockfile here records only this platform's optional binaries, which `npm ci` rejects.
  sh("npm", ["install", "--no-audit", "--no-fund"]);
}
sh(process.execPath, ["bin/llmcharts.js", "tools", "install"]);
