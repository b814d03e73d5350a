import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { type ChartDefinition, effectiveValues, valuesSchema } from "../../charts-src/lib/engine/index.js";
import { type Fixture, namesField } from "./fixtures.js";
import type { CheckResult } from "./report.js";
import { explainValuesErrors } from "./values-errors.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** A validator of a chart's effective values (the user's file over the defaults, as Helm checks them). */
export const valuesChecker = (chart: ChartDefinition) => {
  const schema = valuesSchema(chart.values);
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (userValues: unknown): string[] =>
    validate(effectiveValues(chart, userValues)) ? [] : explainValuesErrors(validate.errors ?? [], schema);
};

/** Rung 1: good fixtures are valid; bad ones are rejected with a message naming the field at fault. */
export const checkValues = (chart: ChartDefinition, fixtures: Fixture[]): CheckResult[] => {
  const check = valuesChecker(chart);
  return fixtures.map((f) => {
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
    const named =
      f.expect !== undefined && errors.some((e) => namesField(e, f.expect as NonNullable<Fixture["expect"]>));
    return {
      ...base,
      ok: named,
      message: named
        ? undefined
        : errors.length === 0
          ? "accepted, but it should be rejected"
          : `rejected without naming ${f.expect?.pointer} ${f.expect?.words.join(" ")}: ${errors.join("; ")}`,
    };
  });
};
