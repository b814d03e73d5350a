/**
 * Chart code never tests a value of the values model in TypeScript. In template mode a value is a token (always truthy,
 * never equal to a literal), so `if (v.x)`, `v.x ? a : b`, `v.x && y`, `v.x || y` or `v.tier === "premium"` is decided
 * once, when the chart is generated, instead of by Helm at install time: the chart silently ignores the value. A
 * helper's condition is typed void, so `tsc` refuses to test it; a value read from the model type-checks, so this
 * check reads every chart source with the compiler API and names each construct that tests one. Planted probes prove
 * it finds each construct and leaves the helpers, and branches on static data, alone.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { type ChartProgram, chartProgram, location } from "../chart-program.js";

/** The values type of every chart: what its templates and notes receive (the engine's `Static` of its model). */
const chartValuesTypes = ({ checker, sources }: ChartProgram): ts.Type[] =>
  sources.flatMap((file) => {
    const found: ts.Type[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "defineChart") {
        const notes = checker.getTypeAtLocation(node).getProperty("notes");
        const values = notes && checker.getTypeOfSymbol(notes).getCallSignatures()[0]?.parameters[0];
        if (values) found.push(checker.getTypeOfSymbol(values));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  });

/**
 * The object types of the values models, nested ones and list items included. Leaves (strings, numbers, booleans),
 * arrays and the standard library's types (`Record<string, string>`) are left out: the compiler shares them with
 * every other use, so they cannot tell a value from static data. Reading a property of a model object is what counts.
 */
const valuesObjectTypes = (chart: ChartProgram): Set<ts.Type> => {
  const { checker, program } = chart;
  const found = new Set<ts.Type>();
  const fromStandardLibrary = (type: ts.Type) => {
    const declaration = (type.aliasSymbol ?? type.getSymbol())?.declarations?.[0];
    return declaration !== undefined && program.isSourceFileDefaultLibrary(declaration.getSourceFile());
  };
  const collect = (type: ts.Type) => {
    if (type.isUnion()) {
      for (const member of type.types) collect(member);
    } else if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const item of checker.getTypeArguments(type as ts.TypeReference)) collect(item);
    } else if (type.flags & ts.TypeFlags.Object && !found.has(type) && !fromStandardLibrary(type)) {
      found.add(type);
      for (const property of checker.getPropertiesOfType(type)) collect(checker.getTypeOfSymbol(property));
      for (const index of checker.getIndexInfosOfType(type)) collect(index.type);
    }
  };
  chartValuesTypes(chart).forEach(collect);
  return found;
};

/** The expressions a construct tests: conditions, the left side of `&&`, `||`, `??`, what `!` negates, comparisons. */
const testedBy = (node: ts.Node): ts.Expression[] => {
  if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isSwitchStatement(node))
    return [node.expression];
  if (ts.isForStatement(node)) return node.condition ? [node.condition] : [];
  if (ts.isConditionalExpression(node)) return [node.condition];
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return [node.operand];
  if (!ts.isBinaryExpression(node)) return [];
  const operator = node.operatorToken.kind;
  if (shortCircuits.includes(operator)) return [node.left];
  return comparisons.includes(operator) ? [node.left, node.right] : [];
};

const shortCircuits = [
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
];
const comparisons = [
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
];

/** The expression a local variable (or a name destructured from it) was set from. */
const initializerOf = (declaration: ts.Declaration): ts.Expression | undefined => {
  let node: ts.Node = declaration;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node))
    node = node.parent;
  return ts.isVariableDeclaration(node) ? node.initializer : undefined;
};

/** The list a callback of `h.each(list, (item, i) => …)` iterates, when the declaration is one of its parameters. */
const eachListOf = (declaration: ts.Declaration): ts.Expression | undefined => {
  const callback = declaration.parent;
  if (!ts.isParameter(declaration) || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return;
  const call = callback.parent;
  const isEach =
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    call.expression.name.text === "each" &&
    call.arguments[1] === callback;
  return isEach ? call.arguments[0] : undefined;
};

/** Finds the constructs of chart sources that test a value of the values model. */
const valueTests = (chart: ChartProgram): string[] => {
  const { checker, sources } = chart;
  const modelObjects = valuesObjectTypes(chart);
  const isModelObject = (type: ts.Type) => (type.isUnion() ? type.types : [type]).some((t) => modelObjects.has(t));
  const derived = new Map<ts.Declaration, boolean>();

  /** Whether a local variable or an `each` item holds a value (followed once per declaration, so cycles end). */
  const holdsValue = (declaration: ts.Declaration): boolean => {
    const known = derived.get(declaration);
    if (known !== undefined) return known;
    derived.set(declaration, false);
    const source = initializerOf(declaration) ?? eachListOf(declaration);
    const holds = source !== undefined && readsValue(source);
    derived.set(declaration, holds);
    return holds;
  };

  /** Whether an expression reads the values: a model object, a property of one, or a local set from either. */
  const readsValue = (node: ts.Node): boolean => {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      if (isModelObject(checker.getTypeAtLocation(node.expression))) return true;
      // A property's name is no read; only the object it is read from is.
      if (ts.isPropertyAccessExpression(node)) return readsValue(node.expression);
    }
    if (ts.isIdentifier(node)) {
      if (isModelObject(checker.getTypeAtLocation(node))) return true;
      const declaration = checker.getSymbolAtLocation(node)?.valueDeclaration;
      return declaration !== undefined && holdsValue(declaration);
    }
    return ts.forEachChild(node, (child) => readsValue(child) || undefined) ?? false;
  };

  return sources.flatMap((file) => {
    const found: string[] = [];
    // Within a reported test, the tests it is made of are not reported again.
    const visit = (node: ts.Node, reported: boolean) => {
      const testsValue = !reported && testedBy(node).some(readsValue);
      if (testsValue) found.push(`${location(node)} ${node.getText().replace(/\s+/g, " ")}`);
      ts.forEachChild(node, (child) => visit(child, reported || testsValue));
    };
    visit(file, false);
    return found;
  });
};

const probe = (body: string) => `
import type { Helpers } from "./lib/engine/index.js";
import type { TenantValues } from "./tenant/values.js";
export const probe = (v: TenantValues, h: Helpers) => ${body};
`;

const chart = chartProgram({
  ifOnValue: probe(`{ if (v.openwebui.redis.enabled) return 2; return 1; }`),
  conditionalOnValue: probe(`v.openwebui.redis.enabled ? 2 : 1`),
  andOnValue: probe(`v.openwebui.redis.enabled && "redis"`),
  orOnValue: probe(`v.tenant.costCentre || "none"`),
  comparedValue: probe(`h.when(v.tenant.tier === "premium", 2)`),
  valueThroughLocals: probe(`{ const o = v.openwebui; const { enabled } = o.redis; return enabled ? 2 : 1; }`),
  eachItem: probe(`h.each(v.network.privateCidrs, (cidr) => (cidr === "10.0.0.0/8" ? 8 : 16))`),
  helpers: probe(`h.when(h.and(v.openwebui.redis.enabled, h.eq(v.tenant.tier, "premium")), 2, 1)`),
  staticData: probe(`{
    const tier = "premium" as string;
    const labels: Record<string, string> = { tier };
    const ports = h.each([11434, 8080], (port) => (port === 8080 ? "http" : "ollama"));
    return tier === "premium" && (labels.tier ?? "standard") ? ports : [];
  }`),
});

const found = valueTests(chart);
const foundIn = (name: string) => found.filter((f) => f.startsWith(`probe-${name}.ts:`)).map((f) => f.split(" ")[1]);

describe("chart sources never test a value in TypeScript", () => {
  it("finds `if`, `?:`, `&&`, `||` and comparisons on a value", () => {
    expect(["ifOnValue", "conditionalOnValue", "andOnValue", "orOnValue", "comparedValue"].map(foundIn)).toEqual([
      ["if"],
      ["v.openwebui.redis.enabled"],
      ["v.openwebui.redis.enabled"],
      ["v.tenant.costCentre"],
      ["v.tenant.tier"],
    ]);
  });

  it("follows a value into locals, destructuring and the items of h.each", () => {
    expect(["valueThroughLocals", "eachItem"].map(foundIn)).toEqual([["enabled"], ["cidr"]]);
  });

  it("leaves the helpers' conditions and branches on static data alone", () => {
    expect(["helpers", "staticData"].map(foundIn)).toEqual([[], []]);
  });

  it("no chart source tests a value", () => {
    expect(found.filter((f) => !f.startsWith("probe-"))).toEqual([]);
  });
});
