import type { PolicySettings } from "../../../charts-src/platform/policies/settings.js";
import type { K8sObject } from "./fixtures.js";

/** What `kyverno test` must report for one rule (or one admission policy) on one resource. */
export type Expected = "pass" | "fail" | "skip";

/** One resource and what each rule must say about it. */
export interface PolicyCase {
  /** What the resource shows, in a line: it heads the resource in resources.yaml. */
  why: string;
  resource: K8sObject;
  /**
   * Result per rule name (ClusterPolicies; autogen variants are matched by kyverno itself) or per admission policy
   * name. `skip` also covers a rule that does not match the resource at all.
   */
  expect: Record<string, Expected>;
}

/** A trigger and the object a generate rule must create for it. */
export interface GenerateCase {
  why: string;
  rule: string;
  trigger: K8sObject;
  generated: K8sObject;
}

export interface PolicySuite {
  /** The ClusterPolicy's name, which is also its directory under policies/ unless `dir` says otherwise. */
  policy: string;
  /** Directory under policies/ of a suite that runs the policy with other settings. */
  dir?: string;
  /** Settings the policy is built with for this suite. @default defaultPolicySettings */
  settings?: PolicySettings;
  cases: PolicyCase[];
  generates?: GenerateCase[];
}

/** The native admission policies, built with `settings`, judged on `cases`, in policies/<dir>/. */
export interface AdmissionSuite {
  dir: string;
  settings: PolicySettings;
  cases: PolicyCase[];
}

/** Where a suite's `kyverno test` directory lives under policies/. */
export const suiteDir = (suite: PolicySuite): string => suite.dir ?? suite.policy;
