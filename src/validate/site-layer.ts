/**
 * A fleet's site layer: one values file with what every tenant of a cluster shares, which the platform chart's
 * ApplicationSet hands Helm before each tenant's own file (`argocd.fleet.siteValues`). `validate --fleet` layers it
 * the same way: each tenant's values are the site's with the tenant's file merged over them, as Helm merges
 * `-f site.yaml -f tenant.yaml`, and that merge is what every rung sees.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorObject } from "ajv";
import { parse } from "yaml";
import type { ChartDefinition } from "../../charts-src/lib/engine/index.js";
import { UsageError } from "../lib/usage-error.js";
import type { Fixture } from "./fixtures.js";
import type { CheckResult } from "./report.js";
import { valuesChecker } from "./rung-values.js";

/** The site file `--fleet DIR` reads when no `--site` names one: at the folder's top, beside the tenants' folders. */
export const defaultSiteFile = "site.yaml";

/** The site file of a fleet: the one `--site` names (which must exist), else DIR/site.yaml when there is one. */
export const siteFileOf = (fleet: string, site?: string): string | undefined => {
  if (site !== undefined) {
    if (!existsSync(site) || !statSync(site).isFile())
      throw new UsageError(`--site ${site}: no such file; give the fleet's site values file, or leave --site out`);
    return site;
  }
  const found = join(fleet, defaultSiteFile);
  return existsSync(found) && statSync(found).isFile() ? found : undefined;
};

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Helm's merge of values files given in order (`-f a -f b`): maps merge key by key, anything else in the later file
 * replaces, a null included (Helm deletes the key only later, when it coalesces the chart's defaults).
 */
export const mergeValueFiles = (earlier: unknown, later: unknown): unknown => {
  if (!isMap(earlier) || !isMap(later)) return later;
  const out: Record<string, unknown> = { ...earlier };
  for (const [k, v] of Object.entries(later)) out[k] = isMap(v) && isMap(out[k]) ? mergeValueFiles(out[k], v) : v;
  return out;
};

/** A values file read as Helm reads it (YAML 1.1, a date a string), to merge and hand to Helm again as JSON. */
const readAsHelm = (path: string): unknown =>
  parse(readFileSync(path, "utf8"), {
    version: "1.1",
    customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:timestamp"),
  }) ?? {};

export interface SiteLayer {
  path: string;
  values: Record<string, unknown>;
}

/** Every JSON pointer a values document sets: each key at any depth, and each list item. */
const pointersOf = (value: unknown, at = ""): string[] =>
  isMap(value)
    ? Object.entries(value).flatMap(([k, v]) => {
        const p = `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        return [p, ...pointersOf(v, p)];
      })
    : Array.isArray(value)
      ? value.flatMap((v, i) => [`${at}/${i}`, ...pointersOf(v, `${at}/${i}`)])
      : [];

/** The pointer of the value an error is about: a key that should not be there, or the field itself. */
const faultOf = (e: ErrorObject): string => {
  const p = e.params as { additionalProperty?: string; propertyName?: string };
  const extra = p.additionalProperty ?? p.propertyName;
  return extra === undefined ? e.instancePath : `${e.instancePath}/${extra}`;
};

/**
 * The site file, read and held against the chart's schema on its own keys: each value it sets must be valid. What it
 * leaves out (the tenant's name, say) is each tenant's to set, so a missing key is not the site's fault, and neither
 * is a rule across fields, which each tenant's values decide. A site file that is not a mapping of keys, or that sets
 * a bad value, fails here, naming the file and the key.
 */
export const checkSite = (
  chart: ChartDefinition,
  path: string,
  /** Where ajv's compiled validator of the schema is kept (src/validate/values-schema-cache.ts). */
  compiledIn?: string,
): { layer?: SiteLayer; result: CheckResult } => {
  const base = { chart: chart.name, fixture: path, rung: "values" as const, check: "site layer" };
  let values: unknown;
  try {
    values = readAsHelm(path);
  } catch (err) {
    const why = ((err as Error).message.split("\n")[0] ?? "").replace(/:$/, "");
    return { result: { ...base, ok: false, message: `not valid YAML: ${why}; fix the syntax at that line` } };
  }
  if (!isMap(values))
    return {
      result: {
        ...base,
        ok: false,
        message: "the top level must be a mapping of keys (network:, openwebui:, …), not a list or a scalar",
      },
    };
  const own = new Set(pointersOf(values));
  // A rule across fields (a `then`) reads what each tenant sets too (its tier, say): it is checked on each tenant.
  const errors = valuesChecker(chart, {
    only: (e) => own.has(faultOf(e)) && !e.schemaPath.includes("/then/"),
    compiledIn,
  })(values);
  return errors.length === 0
    ? { layer: { path, values }, result: { ...base, ok: true } }
    : {
        result: {
          ...base,
          ok: false,
          message: `${errors.join("; ")} (every tenant's values start from this file: fix it there)`,
        },
      };
};

/**
 * The fleet's tenants over the site layer: each fixture's values are the merge, and Helm renders that merge, written
 * beside the run (`helmValues`); the fixture keeps its own path, by which every result names it.
 */
export const overSite = (tenants: Fixture[], site: SiteLayer, workDir: string): Fixture[] => {
  mkdirSync(workDir, { recursive: true });
  return tenants.map((f, i) => {
    if (f.unreadable) return f;
    const merged = mergeValueFiles(site.values, readAsHelm(f.path));
    const helmValues = join(workDir, `${i}.json`);
    writeFileSync(helmValues, JSON.stringify(merged));
    return { ...f, values: merged, helmValues };
  });
};
