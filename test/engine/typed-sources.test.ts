/**
 * Chart sources are typed with the Kubernetes API types (charts-src/lib/k8s.ts), and the engine's conditions are
 * opaque, so mistakes that used to surface only in kubeconform or the equivalence test are `tsc` errors. Each case
 * compiles a small source with the real compiler and the project's options; its control (the same source, right)
 * compiles clean, so a case cannot pass because the snippet is broken some other way. That holds for every object a
 * chart builds: the compiler enumerates them, and each must be checked against an API type.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { type ChartProgram, chartProgram, location } from "../chart-program.js";

/** Where API types are declared: the `kubernetes-models` packages, and k8s-crds.ts for the CRDs none types. */
const apiTypeFile = /\/node_modules\/(@kubernetes-models\/[^/]+|kubernetes-models)\/|\/charts-src\/lib\/k8s-crds\.ts$/;

const declaredAsApiType = (type: ts.Type): boolean =>
  (type.getSymbol()?.declarations ?? []).some((d) => apiTypeFile.test(d.getSourceFile().fileName));

/**
 * Whether an object literal is checked against an API type: every type its context allows (`undefined` aside) is one,
 * or an intersection with one (`Named<ClusterPolicy>`). `KubeObject`, an inferred type or a type parameter is not.
 */
const checkedAsApiObject = (context: ts.Type | undefined): boolean => {
  if (!context) return false;
  const allowed = (context.isUnion() ? context.types : [context]).filter(
    (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)),
  );
  return (
    allowed.length > 0 &&
    allowed.every((t) => (t.isIntersection() ? t.types : [t]).some((part) => declaredAsApiType(part)))
  );
};

const literalText = (e: ts.Expression): string => (ts.isStringLiteral(e) ? e.text : e.getText());

const propertyNames = (o: ts.ObjectLiteralExpression): string[] =>
  o.properties.flatMap((p) => (p.name && ts.isIdentifier(p.name) ? [p.name.text] : []));

/**
 * Every Kubernetes object the chart sources build (an object literal with `apiVersion` and `kind`: a resource, or a
 * reference to one), where it is, and whether `tsc` checks it against an API type.
 */
const builtObjects = ({ checker, sources }: ChartProgram) =>
  sources.flatMap((file) => {
    const found: { at: string; kind: string; typed: boolean }[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isObjectLiteralExpression(node) && ["apiVersion", "kind"].every((k) => propertyNames(node).includes(k))) {
        const kind = node.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "kind");
        found.push({
          at: location(node),
          kind: kind && ts.isPropertyAssignment(kind) ? literalText(kind.initializer) : "?",
          typed: checkedAsApiObject(checker.getContextualType(node)),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  });

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

const configMap = `{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ollama-settings" }, data: { OLLAMA_KEEP_ALIVE: "30m" } }`;

/** A builder of one object, `annotation` its return type, `body` what it returns. */
const builder = (annotation: string, body = `(${configMap})`) => `
import type { Helpers } from "./lib/engine/index.js";
import type { ConfigMap, KubeObject } from "./lib/k8s.js";
export const settings = (h: Helpers)${annotation} => ${body};
`;

const builders = {
  annotatedBuilder: builder(": ConfigMap"),
  satisfyingBuilder: builder("", `(${configMap} satisfies ConfigMap)`),
  unannotatedBuilder: builder(""),
  kubeObjectBuilder: builder(": KubeObject"),
  conditionalBuilder: builder("", `h.when(true, ${configMap})`),
};

const chart = chartProgram({
  ...builders,
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
const diagnostics = (name: string) => chart.diagnostics(name);
const messages = (name: string) =>
  diagnostics(name)
    .map((d) => d.message)
    .join("\n");

const objects = builtObjects(chart);
const isProbe = (o: { at: string }) => o.at.startsWith("probe-");
const typedIn = (probe: keyof typeof builders) =>
  objects.filter((o) => o.at.startsWith(`probe-${probe}.ts:`)).map((o) => o.typed);

describe("typed chart sources", () => {
  it("a correct Deployment compiles", () => {
    expect(diagnostics("deployment")).toEqual([]);
  });

  it("a misspelt field of a Deployment spec is a tsc error", () => {
    expect(messages("misspeltSpec")).toMatch(/'templat' does not exist in type 'IDeploymentSpec'/);
  });

  it("a port written as a string is a tsc error", () => {
    expect(messages("portAsString")).toMatch(/Type 'string' is not assignable to type 'number'/);
  });

  it("a correct Kyverno rule compiles", () => {
    expect(diagnostics("kyvernoRule")).toEqual([]);
  });

  it("a misspelt field of a Kyverno validation is a tsc error", () => {
    expect(messages("misspeltKyvernoRule")).toMatch(/'mesage' does not exist in type 'IValidation'/);
  });

  it("a correct native admission policy compiles", () => {
    expect(diagnostics("admissionPolicy")).toEqual([]);
  });

  it("a misspelt field of an admission validation is a tsc error", () => {
    expect(messages("misspeltAdmissionPolicy")).toMatch(/'expresion' does not exist in type 'IValidation'/);
  });

  it("a helper's condition passed to a helper compiles", () => {
    expect(diagnostics("conditionToHelper")).toEqual([]);
  });

  it("testing a helper's condition in TypeScript is a tsc error", () => {
    // TS1345: An expression of type 'void' cannot be tested for truthiness.
    expect(diagnostics("conditionInTypeScript").map((d) => d.code)).toEqual([1345]);
  });

  it("an object a builder returns as its API type (annotated or `satisfies`) is checked against it", () => {
    expect([diagnostics("annotatedBuilder"), diagnostics("satisfyingBuilder")]).toEqual([[], []]);
    expect([typedIn("annotatedBuilder"), typedIn("satisfyingBuilder")]).toEqual([[true], [true]]);
  });

  it("an object without an API type is found: unannotated, typed as any object, or inferred through a helper", () => {
    expect([typedIn("unannotatedBuilder"), typedIn("kubeObjectBuilder"), typedIn("conditionalBuilder")]).toEqual([
      [false],
      [false],
      [false],
    ]);
  });

  it("every object every chart builds is checked against an API type", () => {
    // A chart is a folder of charts-src with a chart.ts; each builds objects, or the enumeration missed them.
    const charts = chart.sources.flatMap((f) => /\/charts-src\/([^/]+)\/chart\.ts$/.exec(f.fileName)?.slice(1) ?? []);
    const built = objects.filter((o) => !isProbe(o));
    expect(charts.filter((c) => !built.some((o) => o.at.startsWith(`${c}/`)))).toEqual([]);
    expect(charts).toEqual(expect.arrayContaining(["nodepools", "platform", "tenant"]));
    expect(built.filter((o) => !o.typed).map((o) => `${o.at} ${o.kind}`)).toEqual([]);
  });
});
