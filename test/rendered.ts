/**
 * A chart's concrete rendering for the tests that read its objects, each read as its kind's API type
 * (charts-src/lib/k8s.ts), so a test that reads a field the object does not have is a tsc error.
 */
import { charts } from "../charts-src/index.js";
import { effectiveValues, mergeValues, type ReleaseInfo, renderConcrete } from "../charts-src/lib/engine/index.js";
import type { KubeObject, Named } from "../charts-src/lib/k8s.js";
import { tenantRoleName } from "../charts-src/lib/tenant-iam.js";
import { loadFixtures } from "../src/validate/fixtures.js";

/** A rendered object: every object a chart renders is named. */
export type Rendered = Named<KubeObject>;

/**
 * What only an operator knows (a tenant's name and host, a cluster's zones), which the chart refuses to render
 * without: its lint fixture's values, under each test's own. A test of a missing value checks the values instead.
 */
const operatorValues = (name: string): unknown => {
  const lint = charts[name]?.lintFixture;
  return lint ? loadFixtures(process.cwd(), name).find((f) => f.name === `good/${lint}`)?.values : {};
};

type Values = { tenant?: { name?: string }; secrets?: { roleArn?: string } };

/**
 * A tenant may name only its own role (secrets.roleArn): the lint fixture's role follows the tenant a test names,
 * unless the test names a role itself.
 */
const ownRole = (values: Values, user: Values): Values => {
  const tenant = values.tenant?.name;
  const arn = values.secrets?.roleArn;
  if (!tenant || !arn || user.secrets?.roleArn) return values;
  return { ...values, secrets: { ...values.secrets, roleArn: arn.replace(/[^/]+$/, tenantRoleName(tenant)) } };
};

/** The objects chart `name` renders for the user's values (defaults filled in). */
export const renderChart = (name: string, user: unknown, release: ReleaseInfo): Rendered[] => {
  const chart = charts[name];
  if (!chart) throw new Error(`no chart ${name}; charts are ${Object.keys(charts).join(", ")}`);
  const values = ownRole(mergeValues(operatorValues(name), user) as Values, (user ?? {}) as Values);
  return renderConcrete(chart, effectiveValues(chart, values), release) as Rendered[];
};

/** The rendered objects of one kind, typed as that kind's API type. */
export const ofKind = <T extends KubeObject = KubeObject>(docs: Rendered[], kind: T["kind"]): Named<T>[] =>
  docs.filter((d): d is Named<T> => d.kind === kind);

/** `value`, which the test needs: a missing one fails the test, naming `what`, instead of passing it silently. */
export const present = <T>(value: T | null | undefined, what: string): T => {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
};
