/**
 * Chart sources are typed with the Kubernetes API types (charts-src/lib/k8s.ts), and the engine's conditions are
 * opaque, so mistakes that used to surface only in kubeconform or the equivalence test are `tsc` errors. Each case
 * compiles a small source with the real compiler and the project's options; its control (the same source, right)
 * compiles clean, so a case cannot pass because the snippet is broken some other way.
 */
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

const compilerOptions = (): ts.CompilerOptions => {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
};

/**
 * Compiles every source at once, each as if it stood in charts-src/ (nothing is written), and returns the
 * diagnostics of each: one program, because type-checking the API types dominates the time.
 */
const compile = (sources: Record<string, string>): Record<string, { code: number; message: string }[]> => {
  const path = (name: string) => join(root, "charts-src", `typed-sources-probe-${name}.ts`);
  const byPath = new Map(Object.entries(sources).map(([name, text]) => [path(name), text]));
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => byPath.get(f) ?? readFile(f);
  host.fileExists = (f) => byPath.has(f) || fileExists(f);
  const program = ts.createProgram([...byPath.keys()], options, host);
  return Object.fromEntries(
    Object.keys(sources).map((name) => [
      name,
      ts.getPreEmitDiagnostics(program, program.getSourceFile(path(name))).map((d) => ({
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      })),
    ]),
  );
};

const deployment = (spec: string) => `
import type { Deployment } from "./lib/k8s.js";
export const ollama: Deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "ollama" },
  spec: { selector: { matchLabels: { app: "ollama" } }, ${spec} },
};
`;

const pod = (container: string) =>
  `template: { metadata: { labels: { app: "ollama" } }, spec: { containers: [{ name: "ollama", ${container} }] } }`;

const branching = (test: string) => `
import type { Helpers } from "./lib/engine/index.js";
export const replicas = (h: Helpers, tier: string): number => ${test};
`;

const kyvernoRule = (validate: string) => `
import type { KyvernoRule } from "./lib/k8s.js";
import { inTenantNamespaces } from "./platform/policies/kyverno.js";
export const rule: KyvernoRule = { name: "no-host-network", match: inTenantNamespaces(["Pod"]), validate: ${validate} };
`;

const admissionPolicy = (validation: string) => `
import { admissionPolicy, podRules } from "./platform/policies/admission.js";
import { tenantNamespaceSelector } from "./platform/policies/kyverno.js";
export const [policy, binding] = admissionPolicy({
  name: "no-host-network",
  description: "no host network",
  resourceRules: podRules,
  namespaceSelector: tenantNamespaceSelector(),
  validations: [${validation}],
});
`;

const diagnostics = compile({
  deployment: deployment(pod("ports: [{ containerPort: 11434 }]")),
  misspeltSpec: deployment(pod("ports: [{ containerPort: 11434 }]").replace("template:", "templat:")),
  portAsString: deployment(pod(`ports: [{ containerPort: "11434" }]`)),
  kyvernoRule: kyvernoRule(
    `{ failureAction: "Enforce", message: "no", pattern: { spec: { "=(hostNetwork)": false } } }`,
  ),
  misspeltKyvernoRule: kyvernoRule(`{ failureAction: "Enforce", mesage: "no" }`),
  admissionPolicy: admissionPolicy(`{ expression: "!has(object.spec.hostNetwork)", messageExpression: "'no'" }`),
  misspeltAdmissionPolicy: admissionPolicy(`{ expresion: "!has(object.spec.hostNetwork)" }`),
  conditionToHelper: branching(`h.when(h.eq(tier, "premium"), 2, 1)`),
  conditionInTypeScript: branching(`h.eq(tier, "premium") ? 2 : 1`),
});
const messages = (name: string) => (diagnostics[name] ?? []).map((d) => d.message).join("\n");

describe("typed chart sources", () => {
  it("a correct Deployment compiles", () => {
    expect(diagnostics.deployment).toEqual([]);
  });

  it("a misspelt field of a Deployment spec is a tsc error", () => {
    expect(messages("misspeltSpec")).toMatch(/'templat' does not exist in type 'IDeploymentSpec'/);
  });

  it("a port written as a string is a tsc error", () => {
    expect(messages("portAsString")).toMatch(/Type 'string' is not assignable to type 'number'/);
  });

  it("a correct Kyverno rule compiles", () => {
    expect(diagnostics.kyvernoRule).toEqual([]);
  });

  it("a misspelt field of a Kyverno validation is a tsc error", () => {
    expect(messages("misspeltKyvernoRule")).toMatch(/'mesage' does not exist in type 'IValidation'/);
  });

  it("a correct native admission policy compiles", () => {
    expect(diagnostics.admissionPolicy).toEqual([]);
  });

  it("a misspelt field of an admission validation is a tsc error", () => {
    expect(messages("misspeltAdmissionPolicy")).toMatch(/'expresion' does not exist in type 'IValidation'/);
  });

  it("a helper's condition passed to a helper compiles", () => {
    expect(diagnostics.conditionToHelper).toEqual([]);
  });

  it("testing a helper's condition in TypeScript is a tsc error", () => {
    // TS1345: An expression of type 'void' cannot be tested for truthiness.
    expect(diagnostics.conditionInTypeScript?.map((d) => d.code)).toEqual([1345]);
  });
});
