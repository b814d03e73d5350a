/**
 * How the install suite lets KEDA, not the test, wake premium Ollama: the premium tenants get the chart's
 * business-hours trigger with a window holding now, and KEDA watches their namespaces (not the Argo CD fleet's, where
 * no wake-up proxy answers on kwok), and the chart's fallback, on which KEDA holds premium while it cannot read the
 * proxy's /queue. From the real `helm template` of the tenant chart (no cluster needed).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ScaledObject } from "../../charts-src/lib/k8s.js";
import { warmPremiumValues } from "../../src/harness/business-hours.js";
import { ofKind, parseManifests } from "../../src/harness/manifests.js";
import { kedaNamespaces } from "../../src/install/context.js";
import { run } from "../../src/lib/run.js";
import { requireBin } from "../../src/toolchain/tools.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "premium-wake-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("premium woken by KEDA in the install suite", () => {
  it("KEDA watches the install tenants with a premium tier, and none of the Argo CD fleet's", () => {
    const fleet = readdirSync(join(root, "test", "install", "fleet", "tenants"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `tenant-${d.name}`);
    expect(kedaNamespaces(root).sort()).toEqual(["tenant-gpu-lab", "tenant-mixed-inc"]);
    expect(fleet.length).toBeGreaterThan(0);
    expect(kedaNamespaces(root).filter((ns) => fleet.includes(ns))).toEqual([]);
  });

  it("the premium tenant's ScaledObject gets a business-hours trigger whose window holds now", async () => {
    const now = new Date();
    const runValues = join(work, "warm.json");
    writeFileSync(runValues, JSON.stringify(warmPremiumValues(now)));
    const args = ["template", "gpu-lab", join(root, "generated", "tenant")];
    const files = [join(root, "test", "install", "values", "premium.yaml"), runValues];
    const res = await run(requireBin("helm"), [...args, ...files.flatMap((f) => ["-f", f])]);
    expect(res.exitCode, res.stderr).toBe(0);
    const [premium] = ofKind<ScaledObject>(parseManifests(res.stdout), "ScaledObject");
    const cron = premium?.spec?.triggers.find((t) => t.type === "cron");
    const hour = (offset: number) => (now.getUTCHours() + offset + 24) % 24;
    expect(cron?.metadata).toMatchObject({
      timezone: "UTC",
      start: `${now.getUTCMinutes()} ${hour(-1)} * * *`,
      end: `${now.getUTCMinutes()} ${hour(1)} * * *`,
      desiredReplicas: "1",
    });
    // On kwok no proxy answers /queue: the fallback is what brings KEDA's Ready back to True for helm --wait.
    expect(premium?.spec?.fallback).toEqual({ failureThreshold: 3, replicas: 1, behavior: "static" });
  });
});
