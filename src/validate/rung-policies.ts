import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

/** The Kyverno policy files in `policies/<name>/policy.yaml`. */
export const policyFiles = (root: string): string[] => {
  const dir = join(root, "policies");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name, "policy.yaml"))
    .filter(existsSync);
};

/** Rung 4: every rendering against the platform's Kyverno policies, and each policy's own `kyverno test` suite. */
export const checkPolicies = async (
  _root: string,
  _renderingsDir: string,
  _renderings: Rendering[],
): Promise<CheckResult[]> => [];
