import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { closest, distance } from "fastest-levenshtein";
import type { JsonSchema } from "../../charts-src/lib/engine/index.js";

/** The schema node at a JSON pointer into the values, following properties and list items. */
const schemaAt = (schema: JsonSchema, pointer: string): JsonSchema | undefined => {
  let node: JsonSchema | undefined = schema;
  for (const part of pointer.split("/").slice(1)) {
    if (!node) return undefined;
    node =
      /^\d+$/.test(part) && node.items ? node.items : node.properties?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
};

/** The allowed key a typo most likely meant: the nearest by edit distance, if near enough to be a slip. */
export const nearestKey = (typo: string, allowed: string[]): string | undefined => {
  if (allowed.length === 0) return undefined;
  const best = closest(
    typo.toLowerCase(),
    allowed.map((k) => k.toLowerCase()),
  );
  const key = allowed.find((k) => k.toLowerCase() === best) as string;
  return distance(typo.toLowerCase(), best) <= Math.max(2, Math.floor(key.length / 3)) ? key : undefined;
};

/** The schema node at one of ajv's schema paths (`#/properties/openwebui/allOf/3/if`). */
const schemaNodeAt = (schema: JsonSchema, schemaPath: string): unknown =>
  schemaPath
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === "object"
          ? (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")]
          : undefined,
      schema,
    );

/** Keywords that test a field's own value (where a rule's condition reads a field). */
const valueKeywords = ["const", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern"];

const leafChecker = new Ajv({ strict: false });
const leafTests = new Map<string, ValidateFunction>();

/** Whether `value` passes a rule's test of one field, each distinct test compiled once (ajv compiles per object). */
const holds = (tests: Record<string, unknown>, value: unknown): boolean => {
  const key = JSON.stringify(tests);
  let test = leafTests.get(key);
  if (!test) {
    test = leafChecker.compile(tests);
    leafTests.set(key, test);
  }
  return test(value);
};

/**
 * What a cross-field rule's `if` read in the values, as `/openwebui/replicas is 3`: every field the condition tests
 * (through properties and combinators) whose test holds, with the value it holds in `data`, the object the rule
 * sits on. Negated tests (`not`) are left out: what they read is not what made the rule apply.
 */
const ruleTriggers = (condition: unknown, at: string, data: unknown): string[] => {
  const found: string[] = [];
  const visit = (node: unknown, path: string[]): void => {
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    for (const [key, sub] of Object.entries((n.properties ?? {}) as Record<string, unknown>))
      visit(sub, [...path, key]);
    for (const combinator of ["allOf", "anyOf", "oneOf"])
      for (const sub of (n[combinator] ?? []) as unknown[]) visit(sub, path);
    const tests = Object.fromEntries(valueKeywords.filter((k) => k in n).map((k) => [k, n[k]]));
    if (Object.keys(tests).length > 0) {
      const value = path.reduce<unknown>(
        (d, k) => (d && typeof d === "object" ? (d as Record<string, unknown>)[k] : undefined),
        data,
      );
      // Only the tests that hold made the rule apply (one branch of an anyOf, say).
      if (value !== undefined && holds(tests, value))
        found.push(`${[at, ...path].join("/")} is ${JSON.stringify(value)}`);
    }
  };
  visit(condition, []);
  return [...new Set(found)];
};

/** `because …` for an error a cross-field rule's `then` raised, naming the values that triggered the rule. */
const becauseOf = (e: ErrorObject, errors: ErrorObject[], schema: JsonSchema): string | undefined => {
  const then = e.schemaPath.lastIndexOf("/then/");
  if (then < 0) return undefined;
  const ifPath = `${e.schemaPath.slice(0, then)}/if`;
  const rule = errors.find((x) => x.keyword === "if" && x.schemaPath === ifPath);
  const triggers = rule ? ruleTriggers(schemaNodeAt(schema, ifPath), rule.instancePath, rule.data) : [];
  return triggers.length ? `because ${triggers.join(" and ")}` : undefined;
};

const hint = (node: JsonSchema | undefined): string => (node?.description ? ` — ${node.description}` : "");

/**
 * Of several bounds a field breaks (one rule per step, as `notBelow` writes them: "≥ 4", "≥ 5"), only the strictest:
 * the one a fix must meet.
 */
const strictestBounds = (errors: ErrorObject[]): ErrorObject[] => {
  const limit = (e: ErrorObject) => Number((e.params as { limit?: number }).limit);
  return errors.filter(
    (e) =>
      !(e.keyword === "minimum" || e.keyword === "maximum") ||
      !errors.some(
        (o) =>
          o !== e &&
          o.keyword === e.keyword &&
          o.instancePath === e.instancePath &&
          (e.keyword === "minimum" ? limit(o) > limit(e) : limit(o) < limit(e)),
      ),
  );
};

/**
 * One line per problem in a user's values: the field's JSON pointer (as Helm prints it), what is wrong, and how
 * to fix it (the allowed keys or values, or the field's own description).
 */
export const explainValuesErrors = (errors: ErrorObject[], schema: JsonSchema): string[] => {
  const lines = strictestBounds(errors)
    .filter((e) => e.keyword !== "if")
    .map((e) => {
      // Quoted like Helm's own messages (`at '/premium/gpuLimit'`, `at ''` for the top), so both read alike.
      const at = `at '${e.instancePath}'`;
      const key = (e.params as { propertyName?: string }).propertyName;
      if (key !== undefined) return `${at}: key "${key}" is not allowed${hint(schemaAt(schema, e.instancePath))}`;
      const node = schemaAt(schema, e.instancePath);
      const why = hint(node);
      const because = becauseOf(e, errors, schema);
      const ruled = because ? ` (${because})` : "";
      switch (e.keyword) {
        case "additionalProperties": {
          const extra = (e.params as { additionalProperty: string }).additionalProperty;
          const allowed = Object.keys(node?.properties ?? {}).filter((k) => k !== "global");
          const meant = nearestKey(extra, allowed);
          const suggestion = meant ? `did you mean "${meant}"? ` : "";
          return `${at}: unknown key "${extra}"; ${suggestion}allowed keys: ${allowed.join(", ")}`;
        }
        case "enum":
          return `${at}: not one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}${why}`;
        case "const":
          return `${at}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} ${because ?? "here (a rule across fields requires it)"}${why}`;
        case "false schema": {
          // A key or value no rule allows here (a map's reserved key, which its map describes; a field another excludes).
          const value = e.data !== null && typeof e.data === "object" ? "" : ` ${JSON.stringify(e.data)}`;
          const described = why || hint(schemaAt(schema, e.instancePath.slice(0, e.instancePath.lastIndexOf("/"))));
          return `${at}:${value} is not allowed here${ruled}${described}`;
        }
        case "required":
          return `${at}: missing required key "${(e.params as { missingProperty: string }).missingProperty}"${ruled}`;
        default: {
          // With ajv's `verbose`, the value at fault: shown when it is a scalar (a placeholder left in, say).
          const value = e.data !== null && typeof e.data === "object" ? "" : ` ${JSON.stringify(e.data)}`;
          return `${at}:${value} ${e.message}${ruled}${why}`;
        }
      }
    });
  return [...new Set(lines)];
};
