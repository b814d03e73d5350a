/**
 * `llmcharts new tenant NAME [--tier …]`: a minimal values file for a new tenant. What only the operator knows (the
 * tenant's IAM role, its host name, the model cache's EFS handle) is written as a placeholder the schema refuses, so
 * the file fails validation, naming each field, until every one is filled in.
 */
import { Document } from "yaml";
import { charts } from "../../charts-src/index.js";
import { defaultsOf, type JsonSchema, valuesSchema } from "../../charts-src/lib/engine/index.js";
import { UsageError } from "../lib/usage-error.js";
import { valuesChecker } from "../validate/rung-values.js";

export const placeholder = "REPLACE-ME";
export const tiers = ["standard", "premium", "both"] as const;
export type Tier = (typeof tiers)[number];

/** Fields the operator must fill in: no default is right for any real tenant. */
export const operatorFields = [
  ["secrets", "roleArn"],
  ["exposure", "host"],
  ["ollama", "modelCache", "volumeHandle"],
] as const;

const tenantChart = () => charts.tenant as NonNullable<(typeof charts)["tenant"]>;

const nodeAt = (schema: JsonSchema, path: readonly string[]): JsonSchema | undefined =>
  path.reduce<JsonSchema | undefined>((node, key) => node?.properties?.[key], schema);

export interface NewTenant {
  text: string;
  /** Dotted paths of the placeholders. */
  placeholders: string[];
}

/** The values file of a new tenant; a bad name or tier is refused naming the value and what is allowed. */
export const newTenantValues = (name: string, tier: string): NewTenant => {
  const chart = tenantChart();
  const schema = valuesSchema(chart.values) as JsonSchema;
  if (!tiers.includes(tier as Tier)) throw new UsageError(`--tier: "${tier}" is not one of ${tiers.join(", ")}`);
  const nameErrors = valuesChecker(chart)({ tenant: { name } }).filter((e) => e.includes("/tenant/name"));
  if (nameErrors.length > 0)
    throw new UsageError(
      `tenant name "${name}": ${nodeAt(schema, ["tenant", "name"])?.description} It must be lower-case letters, digits and dashes, start with a letter, at most 30 characters`,
    );
  const doc = new Document({});
  doc.commentBefore =
    ` Values of tenant "${name}" for the llmcharts tenant chart ${chart.version} (written by: llmcharts new tenant ${name} --tier ${tier}).\n` +
    ` Fill in every ${placeholder}: \`llmcharts validate -f <this file>\` fails, naming each, until they are filled.\n` +
    " Every other value has a default; see the chart's README for the parameters.";
  const set = (path: readonly string[], value: unknown) => {
    const node = doc.createNode(value);
    const description = nodeAt(schema, path)?.description;
    if (description) node.comment = ` ${description}`;
    doc.setIn(path, node);
  };
  set(["tenant", "name"], name);
  set(["tenant", "tier"], tier);
  set(["tenant", "costCentre"], (defaultsOf(schema) as { tenant: { costCentre: string } }).tenant.costCentre);
  for (const path of operatorFields) set(path, placeholder);
  if (tier !== "standard") {
    const gpusPerPod = (defaultsOf(schema) as { ollama: { premium: { gpus: number } } }).ollama.premium.gpus;
    set(["quota", "gpus"], gpusPerPod);
  }
  return { text: doc.toString({ lineWidth: 0 }), placeholders: operatorFields.map((p) => p.join(".")) };
};
