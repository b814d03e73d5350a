/** What `validate --fleet` must do with each tenant's file, shared by the fleet tests. */
import { expect } from "vitest";
import { kubernetesSchemaVersions } from "../../src/toolchain/pins.js";
import type { CheckResult } from "../../src/validate/report.js";

/** Every rung a tenant's own file must pass alone: values, Helm 4 and 3, kubeconform for each version, Kyverno. */
export const expectFullyChecked = (rs: CheckResult[], file: string) => {
  const mine = rs.filter((r) => r.fixture === file && r.rung !== "fleet");
  expect(mine.filter((r) => !r.ok)).toEqual([]);
  expect(mine.map((r) => r.check).sort()).toEqual([
    "ajv",
    "helm3 template",
    "helm4 template",
    ...kubernetesSchemaVersions.map((v) => `kubeconform ${v}`),
    "kyverno apply",
  ]);
};
