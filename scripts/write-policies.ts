/**
 * Writes policies/<policy>/{policy,resources,values,kyverno-test}.yaml for every tenant-isolation ClusterPolicy and
 * policies/admission/ for the native admission policies, from charts-src/platform/policies and
 * test/policies/cases. With --check, writes nothing and exits 1 when the committed files are out of date.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { outdatedPolicyFiles, renderPolicyFiles, writePolicyFiles } from "../test/policies/render.js";

const root = join(fileURLToPath(new URL("..", import.meta.url)), "policies");
const files = renderPolicyFiles();

if (process.argv.includes("--check")) {
  const outdated = outdatedPolicyFiles(root, files);
  if (outdated.length > 0) {
    console.error(`policies/ is out of date (${outdated.join(", ")}); run: npx tsx scripts/write-policies.ts`);
    process.exit(1);
  }
  console.log(`policies/ is up to date (${files.size} files)`);
} else {
  writePolicyFiles(root, files);
  console.log(`wrote ${files.size} files under policies/`);
}
