import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdmissionValidation, Named, ValidatingAdmissionPolicy } from "../../charts-src/lib/k8s.js";
import {
  admissionPolicies,
  type IsolationPolicy,
  isolationPolicies,
} from "../../charts-src/platform/policies/index.js";
import { cel } from "../../charts-src/platform/policies/pod-spec.js";
import { defaultPolicySettings } from "../../charts-src/platform/policies/settings.js";
import { tenantPodHardeningName } from "../../charts-src/platform/policies/tenant-pod-hardening.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { admissionCases } from "../../src/generate/policy-cases/admission.js";
import { policySuites } from "../../src/generate/policy-cases/index.js";
import { siteAdmissionSuites, siteSuites } from "../../src/generate/policy-cases/site-settings.js";
import { tenantPodHardeningSuite } from "../../src/generate/policy-cases/tenant-pod-hardening.js";
import { suiteDir } from "../../src/generate/policy-cases/types.js";
import { expectedAdmissionRows, expectedPolicyRows, judge, runKyvernoTest } from "./kyverno-run.js";
import { admissionDir, type PolicyFiles, renderAdmissionDir, renderPolicyDir } from "../../src/generate/policies.js";

const policiesRoot = fileURLToPath(new URL("../../policies", import.meta.url));
const timeout = 120_000;

let kyverno: string;
beforeAll(() => {
  kyverno = requireBin("kyverno");
});

/** Writes a rendered test directory (or a mutant of one) under a scratch root. */
const writePolicyFiles = (root: string, files: PolicyFiles): void => {
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
};

describe("kyverno test on the committed policies/ directories", () => {
  for (const suite of [...policySuites, ...siteSuites]) {
    it(
      `${suiteDir(suite)}: every rule passes and fails exactly what its cases say`,
      async () => {
        const run = await runKyvernoTest(kyverno, join(policiesRoot, suiteDir(suite)));
        const verdict = judge(run, expectedPolicyRows(suite));
        expect(verdict.problems, run.output).toEqual([]);
        expect(run.exitCode).toBe(0);
        expect(verdict.counts.pass).toBeGreaterThan(0);
        expect(verdict.counts.pass + verdict.counts.fail + verdict.counts.skip).toBe(run.rows.length);
        if (suite.cases.some((c) => Object.values(c.expect).includes("fail")))
          expect(verdict.counts.fail).toBeGreaterThan(0);
      },
      timeout,
    );
  }

  for (const { dir, cases } of [{ dir: admissionDir, cases: admissionCases }, ...siteAdmissionSuites]) {
    it(
      `${dir}: every native admission policy passes and denies exactly what its cases say`,
      async () => {
        const run = await runKyvernoTest(kyverno, join(policiesRoot, dir));
        const verdict = judge(run, expectedAdmissionRows(cases), true);
        expect(verdict.problems, run.output).toEqual([]);
        expect(verdict.counts.fail).toBeGreaterThan(0);
      },
      timeout,
    );
  }
});

describe("a weakened policy makes its suite fail", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "llmcharts-policy-mutants-"));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const hardening = (): IsolationPolicy => {
    const policy = isolationPolicies(defaultPolicySettings).find((p) => p.metadata.name === tenantPodHardeningName);
    if (!policy) throw new Error(`no ${tenantPodHardeningName} policy`);
    return structuredClone(policy);
  };

  const runMutant = async (name: string, policy: IsolationPolicy) => {
    const dir = join(scratch, name);
    writePolicyFiles(dir, renderPolicyDir(policy, tenantPodHardeningSuite));
    const run = await runKyvernoTest(kyverno, join(dir, tenantPodHardeningName));
    return { run, verdict: judge(run, expectedPolicyRows(tenantPodHardeningSuite)) };
  };

  it(
    "privileged check that forgets init containers: the privileged init container gets through",
    async () => {
      const mutant = hardening();
      const pattern = mutant.spec.rules.find((r) => r.name === "no-privileged-containers")?.validate?.pattern;
      if (!pattern) throw new Error("no privileged pattern in the hardening policy");
      delete (pattern as { spec: Record<string, unknown> }).spec["=(initContainers)"];
      const { run, verdict } = await runMutant("privileged-init", mutant);
      // kyverno itself prints this row as passed and exits 0 (kyverno/kyverno#11519); judging the rows catches it.
      expect(verdict.problems).toEqual([
        expect.stringMatching(
          /^no-privileged-containers on Pod tenant-acme\/acme-privileged-init \(want fail\): Pass \/ Want fail, got pass/,
        ),
      ]);
      expect(
        run.rows.find((r) => r.RESOURCE.endsWith("/acme-privileged-init") && r.RULE === "no-privileged-containers")
          ?.REASON,
      ).toBe("Want fail, got pass");
    },
    timeout,
  );

  it(
    "privileged check removed altogether: its expected failures come back as 'Excluded'",
    async () => {
      const mutant = hardening();
      mutant.spec.rules = mutant.spec.rules.filter((r) => r.name !== "no-privileged-containers");
      const { verdict } = await runMutant("privileged-removed", mutant);
      expect(verdict.problems.length).toBeGreaterThan(0);
      expect(verdict.problems).toContainEqual(
        expect.stringMatching(
          /^no-privileged-containers on Pod tenant-acme\/acme-privileged \(want fail\): Pass \/ Excluded/,
        ),
      );
    },
    timeout,
  );

  it(
    "site suites built with the default settings instead: the settings decide their cases",
    async () => {
      for (const suite of siteSuites) {
        const policy = isolationPolicies(defaultPolicySettings).find((p) => p.metadata.name === suite.policy);
        if (!policy) throw new Error(`no ${suite.policy} policy`);
        const dir = join(scratch, "defaults-for-site");
        writePolicyFiles(dir, renderPolicyDir(policy, suite));
        const run = await runKyvernoTest(kyverno, join(dir, suiteDir(suite)));
        expect(judge(run, expectedPolicyRows(suite)).problems, suiteDir(suite)).not.toEqual([]);
      }
      const [site] = siteAdmissionSuites;
      if (!site) throw new Error("no site admission suite");
      const dir = join(scratch, "defaults-for-admission-site");
      writePolicyFiles(dir, renderAdmissionDir(admissionPolicies(defaultPolicySettings), site.cases, site.dir));
      const run = await runKyvernoTest(kyverno, join(dir, site.dir));
      expect(judge(run, expectedAdmissionRows(site.cases), true).problems).not.toEqual([]);
    },
    timeout,
  );

  it(
    "native privileged check that forgets init containers: kyverno test itself fails",
    async () => {
      const objects = structuredClone(admissionPolicies(defaultPolicySettings));
      const vap = objects.find(
        (o): o is Named<ValidatingAdmissionPolicy> =>
          o.kind === "ValidatingAdmissionPolicy" && o.metadata.name.startsWith(`${tenantPodHardeningName}.`),
      );
      const privileged = vap?.spec?.validations?.find((v: AdmissionValidation) => v.expression.includes("privileged"));
      if (!privileged) throw new Error("no privileged validation in the native hardening policy");
      privileged.expression = cel.everyContainer(
        "!has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false",
        ["containers"],
      );
      const dir = join(scratch, "admission-privileged-init");
      writePolicyFiles(dir, renderAdmissionDir(objects, admissionCases));
      const run = await runKyvernoTest(kyverno, join(dir, admissionDir));
      const verdict = judge(run, expectedAdmissionRows(admissionCases), true);
      expect(run.exitCode).not.toBe(0);
      expect(run.summary?.failed).toBe(1);
      expect(verdict.problems).toContainEqual(
        expect.stringMatching(/acme-privileged-init \(want fail\): Fail \/ Want fail, got pass/),
      );
    },
    timeout,
  );
});
