/**
 * What only the operator knows has no working-looking default (issue 25, item 4): rendered without it, each chart
 * refuses, naming every missing value on a line of its own with what to set it to, under Helm 4 and Helm 3, in
 * `llmcharts validate`'s values check and in concrete mode (cdk8s) alike.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { effectiveValues, renderConcrete, ValuesRefused } from "../../charts-src/lib/engine/index.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { helms } from "../../src/validate/helm.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { run } from "../../src/lib/run.js";
import { present } from "../rendered.js";

const root = process.cwd();
const chart = (name: string) => present(charts[name], `the ${name} chart`);

/** `helm template` of the generated chart with these --set pairs: what Helm prints when it refuses. */
const helmTemplate = async (exe: string, name: string, set: string[] = []) => {
  const res = await run(exe, ["template", "r", join(root, "generated", name), ...set.flatMap((s) => ["--set", s])]);
  return { ok: res.exitCode === 0, said: res.stderr };
};
/** The values named by a refusal, one per line (`- at '/clusterName': not set; …`). */
const namedLines = (text: string) => [...text.matchAll(/^- at '([^']+)': not set; \S/gm)].map((m) => m[1]);
const concreteRefusal = (name: string, user: unknown) => {
  try {
    renderConcrete(chart(name), effectiveValues(chart(name), user), { name: "r", namespace: "n", chartVersion: "0" });
  } catch (e) {
    if (e instanceof ValuesRefused) return e.message;
    throw e;
  }
  return "";
};

const cases = [
  {
    chart: "nodepools",
    why: "nothing set",
    set: [],
    missing: ["/clusterName", "/nodeRole", "/zones"],
  },
  {
    chart: "nodepools",
    why: "another node class (kwok's) reads no cluster name or node role; the zones are still the operator's",
    set: ["nodeClass.group=karpenter.kwok.sh", "nodeClass.kind=KWOKNodeClass", "nodeClass.name=default"],
    missing: ["/zones"],
  },
  {
    chart: "tenant",
    why: "nothing set",
    set: [],
    missing: ["/tenant/name", "/exposure/host", "/secrets/roleArn", "/ollama/modelCache/volumeHandle"],
  },
  {
    chart: "tenant",
    why: "the values the README named required before, but no tenant name (it was example)",
    set: [
      "exposure.host=chat.example.com",
      "secrets.roleArn=arn:aws:iam::123456789012:role/llmcharts-tenant-example",
      "ollama.modelCache.volumeHandle=fs-0123456789abcdef0::fsap-0123456789abcdef0",
    ],
    missing: ["/tenant/name"],
  },
  {
    chart: "tenant",
    why: "a lab: an existing Secret needs no IAM role, a hostPath cache no EFS volume",
    set: ["secrets.existingSecret=tenant-secrets", "ollama.modelCache.source=hostPath"],
    missing: ["/tenant/name", "/exposure/host"],
  },
];

/** --set pairs as the values they stand for (flat strings, enough for these cases). */
const valuesOf = (set: string[]) => {
  const out: Record<string, unknown> = {};
  for (const pair of set) {
    const [path = "", value] = pair.split("=");
    const keys = path.split(".");
    let node = out;
    for (const k of keys.slice(0, -1)) {
      node[k] = node[k] ?? {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys.at(-1) as string] = value;
  }
  return out;
};

describe.each(cases)("$chart, $why: refused, naming $missing", ({ chart: name, set, missing }) => {
  it.each(helms())("by $name, one line per missing value with its fix", async (helm) => {
    const { ok, said } = await helmTemplate(helm.exe, name, set);
    expect(ok, "rendered").toBe(false);
    expect(namedLines(said)).toEqual(missing);
  });

  it("by the values check (ajv), one error per missing value, and by concrete mode", () => {
    const errors = valuesChecker(chart(name))(valuesOf(set));
    expect(errors.map((e) => /^at '([^']+)': not set; \S/.exec(e)?.[1])).toEqual(missing);
    expect(namedLines(concreteRefusal(name, valuesOf(set)))).toEqual(missing);
  });
});

describe.each(["nodepools", "tenant"])("%s with what only the operator knows (its lint fixture)", (name) => {
  const lint = present(
    loadFixtures(root, name).find((f) => f.name === `good/${chart(name).lintFixture}`),
    `${name}'s lint fixture`,
  );
  it("renders, and the values check has nothing to say", () => {
    expect(valuesChecker(chart(name))(lint.values)).toEqual([]);
    expect(concreteRefusal(name, lint.values)).toBe("");
  });
});

describe("platform: no value only the operator knows", () => {
  // What it needs from the operator (the EFS ids, the fleet's repository) belongs to features off by default, and
  // their own rules name it when they are turned on.
  it.each(helms())("renders with no values at all, by $name", async (helm) => {
    const { ok, said } = await helmTemplate(helm.exe, "platform");
    expect(ok, said).toBe(true);
  });

  it("the values check accepts no values", () => {
    expect(valuesChecker(chart("platform"))({})).toEqual([]);
    expect(chart("platform").requiredValues).toBeUndefined();
  });
});
