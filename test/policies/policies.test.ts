import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { labels } from "../../charts-src/lib/conventions.js";
import type { Named, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "../../charts-src/lib/k8s.js";
import {
  admissionPolicies,
  defaultPolicySettings,
  isolationPolicies,
  policySettings,
} from "../../charts-src/platform/policies/index.js";
import { tenantPodHardeningName } from "../../charts-src/platform/policies/tenant-pod-hardening.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import { generate } from "../../src/generate/generate.js";
import { renderPolicyFiles } from "../../src/generate/policies.js";
import { admissionCases } from "../../src/generate/policy-cases/admission.js";
import { policySuites } from "../../src/generate/policy-cases/index.js";
import { siteSettings } from "../../src/generate/policy-cases/site-settings.js";
import type { PolicyCase } from "../../src/generate/policy-cases/types.js";
import { valuesChecker } from "../../src/validate/rung-values.js";

const policies = isolationPolicies(defaultPolicySettings);
const admission = admissionPolicies(defaultPolicySettings);

const results = (cases: PolicyCase[], rule: string) => new Set(cases.map((c) => c.expect[rule]).filter(Boolean));

describe("isolation ClusterPolicies", () => {
  it("are seven kyverno.io/v1 ClusterPolicies with distinct names", () => {
    expect(policies).toHaveLength(7);
    for (const policy of policies) {
      expect(policy.apiVersion).toBe("kyverno.io/v1");
      expect(policy.kind).toBe("ClusterPolicy");
    }
    expect(new Set(policies.map((p) => p.metadata.name)).size).toBe(policies.length);
  });

  it("enforce per rule: every rule validates with failureAction Enforce or generates, never both", () => {
    for (const policy of policies) {
      expect(policy.spec, policy.metadata.name).not.toHaveProperty("validationFailureAction");
      expect(policy.spec, policy.metadata.name).not.toHaveProperty("validationFailureActionOverrides");
      for (const rule of policy.spec.rules) {
        const where = `${policy.metadata.name}/${rule.name}`;
        expect(Boolean(rule.validate) !== Boolean(rule.generate), where).toBe(true);
        if (rule.validate) expect(rule.validate.failureAction, where).toBe("Enforce");
        if (rule.generate) expect(rule.generate.synchronize, where).toBe(true);
      }
    }
  });

  it("scan existing objects in the background too", () => {
    for (const policy of policies) expect(policy.spec.background, policy.metadata.name).toBe(true);
  });

  it("have rule names Kyverno accepts, distinct within each policy", () => {
    for (const policy of policies) {
      const names = policy.spec.rules.map((r) => r.name);
      expect(new Set(names).size, policy.metadata.name).toBe(names.length);
      for (const rule of policy.spec.rules) {
        // Pod rules are copied for controllers as autogen-cronjob-<name>, which must still fit in 63 characters.
        const podRule = (rule.match.any ?? []).some((m) => m.resources?.kinds?.includes("Pod"));
        expect((podRule ? `autogen-cronjob-${rule.name}` : rule.name).length, rule.name).toBeLessThanOrEqual(63);
      }
    }
  });

  it("find tenant namespaces by the tenant label of the conventions", () => {
    const text = JSON.stringify(policies);
    expect(text).toContain(JSON.stringify({ key: labels.tenant, operator: "Exists" }));
  });

  it("take the allowed registries from the settings", () => {
    const custom = isolationPolicies(policySettings({ allowedRegistries: ["registry.example.com/llm/"] }));
    const hardening = JSON.stringify(custom.find((p) => p.metadata.name === tenantPodHardeningName));
    expect(hardening).toContain("registry.example.com/llm/*");
    expect(hardening).not.toContain("ghcr.io/open-webui/");
  });
});

describe("site settings suites", () => {
  it("change every setting from its default, so each one is exercised by kyverno test", () => {
    for (const key of Object.keys(defaultPolicySettings) as (keyof typeof defaultPolicySettings)[])
      expect(siteSettings[key], key).not.toEqual(defaultPolicySettings[key]);
    expect(siteSettings.sharedNamespaces.ingress).not.toEqual(defaultPolicySettings.sharedNamespaces.ingress);
    expect(siteSettings.sharedNamespaces.mesh).not.toEqual(defaultPolicySettings.sharedNamespaces.mesh);
  });

  it("are valid platform values: the chart accepts what the suites test", () => {
    const check = valuesChecker(platformChart as never);
    expect(check({ policies: siteSettings })).toEqual([]);
  });
});

describe("policy cases", () => {
  it("name only rules their policy has", () => {
    for (const suite of policySuites) {
      const rules = policies.find((p) => p.metadata.name === suite.policy)?.spec.rules.map((r) => r.name) ?? [];
      for (const c of suite.cases) {
        for (const rule of Object.keys(c.expect))
          expect(rules, `${suite.policy}: ${c.resource.metadata.name}`).toContain(rule);
      }
    }
  });

  it("cover every ClusterPolicy, and every validate rule with a resource it passes and one it fails", () => {
    for (const policy of policies) {
      const suite = policySuites.find((s) => s.policy === policy.metadata.name);
      expect(suite, policy.metadata.name).toBeDefined();
      for (const rule of policy.spec.rules) {
        const where = `${policy.metadata.name}/${rule.name}`;
        if (rule.generate) {
          expect(
            suite?.generates?.some((g) => g.rule === rule.name),
            where,
          ).toBe(true);
        } else {
          const seen = results(suite?.cases ?? [], rule.name);
          expect(seen.has("pass") && seen.has("fail"), `${where} has ${[...seen].join(", ")}`).toBe(true);
        }
      }
    }
  });

  it("cover every native admission policy with a resource it admits and one it denies", () => {
    for (const vap of admission.filter((o) => o.kind === "ValidatingAdmissionPolicy")) {
      const seen = results(admissionCases, vap.metadata.name);
      expect(seen.has("pass") && seen.has("fail"), vap.metadata.name).toBe(true);
    }
  });
});

describe("native admission policies", () => {
  it("come as policy/binding pairs that deny in tenant namespaces only", () => {
    expect(admission.length % 2).toBe(0);
    for (let i = 0; i < admission.length; i += 2) {
      const [policy, binding] = [admission[i], admission[i + 1]] as [
        Named<ValidatingAdmissionPolicy>,
        Named<ValidatingAdmissionPolicyBinding>,
      ];
      expect(policy.apiVersion).toBe("admissionregistration.k8s.io/v1");
      expect(policy.kind).toBe("ValidatingAdmissionPolicy");
      expect(policy.spec?.failurePolicy).toBe("Fail");
      expect(binding.kind).toBe("ValidatingAdmissionPolicyBinding");
      expect(binding.spec?.policyName).toBe(policy.metadata.name);
      expect(binding.spec?.validationActions).toEqual(["Deny"]);
      expect(binding.spec?.matchResources?.namespaceSelector?.matchExpressions).toContainEqual({
        key: labels.tenant,
        operator: "Exists",
      });
    }
  });
});

describe("policies/ directory", () => {
  it("is what `llmcharts generate` writes from the TypeScript (run it after changing a policy or a case)", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const stale = generate(root, { check: true }).changed.filter((p) => p.startsWith(join(root, "policies")));
    expect(stale).toEqual([]);
  });

  it("is rendered deterministically", () => {
    expect([...renderPolicyFiles().entries()]).toEqual([...renderPolicyFiles().entries()]);
  });
});
