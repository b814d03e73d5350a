import type { ErrorObject } from "ajv";
import {
  type ChartDefinition,
  defaultsOf,
  mergeValues,
  missingValues,
  valuesSchema,
} from "../../charts-src/lib/engine/index.js";
import { type Fixture, namesField } from "./fixtures.js";
import type { CheckResult } from "./report.js";
import { explainValuesErrors } from "./values-errors.js";
import { valuesValidator } from "./values-schema-cache.js";

export interface ValuesCheckerOptions {
  /** Only the errors it keeps are explained, and no value is asked for. @default every error, and the values asked */
  only?: (e: ErrorObject) => boolean;
  /**
   * Where ajv's compiled validator of the schema is kept and looked for (src/validate/values-schema-cache.ts).
   * @default compiled every time
   */
  compiledIn?: string;
}

/**
 * A validator of a chart's effective values (the user's file over the defaults, as Helm checks them): the schema's
 * errors, then each value only the operator knows left unset (the chart refuses those when it renders, after Helm's
 * schema check, so that its message can name the fix). With `only`, only the errors it keeps are explained, and no
 * value is asked for (a site layer's check keeps those about the keys it sets).
 */
export const valuesChecker = (chart: ChartDefinition, { only, compiledIn }: ValuesCheckerOptions = {}) => {
  const schema = valuesSchema(chart.values);
  const validate = valuesValidator(schema, compiledIn);
  // effectiveValues, with the defaults derived once rather than per file (half of a fleet file's check).
  const defaults = defaultsOf(schema);
  return (userValues: unknown): string[] => {
    const values = mergeValues(defaults, userValues ?? {});
    // A rule's `if` stays: it explains its `then`'s error, and is never a line of its own.
    const kept = (validate(values) ? [] : (validate.errors ?? [])).filter(
      (e) => !only || e.keyword === "if" || only(e),
    );
    const schemaErrors = kept.length > 0 ? explainValuesErrors(kept, schema) : [];
    return only ? schemaErrors : [...schemaErrors, ...missingValues(chart, values)];
  };
};

/**
 * Rung 1: good fixtures are valid; bad ones are rejected with a message naming the field at fault. A few files at a
 * time, yielding between them, so that the renderers started beside it are read from while ajv works.
 */
export const checkValues = async (
  chart: ChartDefinition,
  fixtures: Fixture[],
  { compiledIn }: Pick<ValuesCheckerOptions, "compiledIn"> = {},
): Promise<CheckResult[]> => {
  const check = valuesChecker(chart, { compiledIn });
  const results: CheckResult[] = [];
  for (const [i, f] of fixtures.entries()) {
    if (i % 25 === 24) await new Promise(setImmediate);
    results.push(checkOne(chart, check, f));
  }
  return results;
};

const checkOne = (chart: ChartDefinition, check: (values: unknown) => string[], f: Fixture): CheckResult => {
  if (f.unreadable)
    return { chart: chart.name, fixture: f.name, rung: "values", check: "yaml", ok: false, message: f.unreadable };
  const errors = check(f.values);
  const base = { chart: chart.name, fixture: f.name, rung: "values" as const, check: "ajv" };
  if (f.kind === "good") return { ...base, ok: errors.length === 0, message: errors.join("; ") };
  // Refused by the templates alone: the schema must let it through, for Helm to refuse it (rung 2's renderings).
  if (f.expect?.by === "templates")
    return {
      ...base,
      ok: errors.length === 0,
      message: errors.length
        ? `meant for the templates to refuse, but the schema already does: ${errors.join("; ")}`
        : undefined,
    };
  const named = f.expect !== undefined && errors.some((e) => namesField(e, f.expect as NonNullable<Fixture["expect"]>));
  return {
    ...base,
    ok: named,
    message: named
      ? undefined
      : errors.length === 0
        ? "accepted, but it should be rejected"
        : `rejected without naming ${f.expect?.pointer} ${f.expect?.words.join(" ")}: ${errors.join("; ")}`,
  };
};
