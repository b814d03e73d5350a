/**
 * `npm start` builds only the static group, and each command installs its groups on first use, so the groups must be
 * right: every pin in exactly one group, the static group exactly what generate and validate run (read from their
 * sources), and each command's groups holding what its code runs. No tool is built here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toolsInstallArgs } from "../../scripts/bootstrap.mjs";
import { dataSets } from "../../src/toolchain/datasets.js";
import {
  commandGroups,
  type GroupName,
  groupMembers,
  groupNames,
  groupOf,
  groupPlanLine,
  groups,
  parseGroups,
} from "../../src/toolchain/groups.js";
import { tools } from "../../src/toolchain/pins.js";
import { toolOf } from "../../src/toolchain/tools.js";

const root = join(import.meta.dirname, "..", "..");

/** The toolchain's accessors that name a tool: by one of its executables, or by the tool's own name. */
const byExecutable = ["requireBin", "binPath", "toolOf"];
const byToolName = ["goTool", "toolEtc"];
const accessorCall = new RegExp(`\\b(${[...byExecutable, ...byToolName].join("|")})\\(\\s*([^)]*)\\)`, "g");

/** The pinned tools a source names through the accessors; a call whose argument is not a string literal is unnamed. */
const toolsNamedIn = (source: string): { tools: string[]; unnamed: string[] } => {
  const named: string[] = [];
  const unnamed: string[] = [];
  for (const [call, accessor, arg] of source.matchAll(accessorCall)) {
    const literal = /^"([^"]+)"$/.exec((arg as string).trim())?.[1];
    if (literal === undefined) unnamed.push(call);
    else named.push(byExecutable.includes(accessor as string) ? toolOf(literal).name : literal);
  }
  return { tools: named, unnamed };
};

const sourcesUnder = (dir: string): { file: string; text: string }[] =>
  readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(root, dir, f), "utf8") }));

/** The tools the code under these folders names, and the calls that name none literally. */
const scan = (dirs: string[]) => {
  const found = dirs.flatMap(sourcesUnder).map(({ file, text }) => ({ file, ...toolsNamedIn(text) }));
  return {
    tools: [...new Set(found.flatMap((f) => f.tools))].sort(),
    unnamed: found.flatMap((f) => f.unnamed.map((call) => `${f.file}: ${call}`)),
  };
};

const membersOf = (names: readonly GroupName[]) => new Set(groupMembers(names));

describe("toolchain groups", () => {
  it("put every pinned tool in exactly one group, and name no tool that is not pinned", () => {
    const pinned = tools.map((t) => t.name);
    const listed = groupNames.flatMap((g) => groups[g].tools.map((name) => ({ group: g, name })));
    const groupsOf = (name: string) => listed.filter((l) => l.name === name).map((l) => l.group);
    const notInOne = pinned.filter((name) => groupsOf(name).length !== 1);
    expect(notInOne.map((name) => `${name} in [${groupsOf(name).join(", ")}]`)).toEqual([]);
    expect(listed.filter((l) => !pinned.includes(l.name))).toEqual([]);
  });

  it("put every data set in the static group: validate's kubeconform reads the schemas of all of them", () => {
    expect(dataSets().filter((d) => groupOf(d.name) !== "static")).toEqual([]);
    expect(groupMembers(["static"])).toEqual(expect.arrayContaining(dataSets().map((d) => d.name)));
  });

  it("make the static group exactly the tools generate and validate run", () => {
    const { tools: used, unnamed } = scan(["src/validate", "src/generate"]);
    // A tool chosen at run time would escape this scan: each call names its tool.
    expect(unnamed).toEqual([]);
    expect(used).toEqual([...groups.static.tools].sort());
  });

  it("give test-install and cluster up every tool the cluster, install, harness and release code names", () => {
    const { tools: used } = scan(["src/cluster", "src/install", "src/harness", "src/release"]);
    const installed = membersOf(commandGroups["test-install"]);
    expect(used.filter((name) => !installed.has(name))).toEqual([]);
    // `cluster up` alone starts the control plane: src/cluster's own tools.
    const clusterUp = membersOf(commandGroups["cluster up"]);
    expect(scan(["src/cluster"]).tools.filter((name) => !clusterUp.has(name))).toEqual([]);
  });

  it("build each tool in the group of what its build needs (headers, a server tree, a build it follows)", () => {
    const prerequisites = tools.flatMap((t) => {
      const needs = [
        ...(t.kind === "go" ? [...(t.cgo?.debian ?? []), ...(t.buildAfter ? [t.buildAfter] : [])] : []),
        ...(t.kind === "pg-extension" ? [t.server.package] : []),
      ];
      return needs.map((need) => ({ tool: t.name, need }));
    });
    expect(prerequisites.length).toBeGreaterThan(0);
    expect(prerequisites.filter(({ tool, need }) => groupOf(tool) !== groupOf(need))).toEqual([]);
  });

  it("the scan sees a runtime tool named in a source, and a call that names none", () => {
    const source = 'const a = requireBin("ollama");\nconst b = toolEtc("kwok");\nconst c = binPath(exe);\n';
    expect(toolsNamedIn(source)).toEqual({ tools: ["ollama", "kwok"], unnamed: ["binPath(exe)"] });
    expect(groupOf("ollama")).toBe("runtime");
  });
});

describe("npm start", () => {
  it("bootstraps only the static group: no cluster or runtime tool", () => {
    const args = toolsInstallArgs("start");
    expect(args.slice(0, 3)).toEqual(["tools", "install", "--group"]);
    const asked = parseGroups(args.slice(3));
    expect(asked).toEqual([...commandGroups["npm start"]]);
    const members = membersOf(asked);
    for (const runtimeOnly of ["kubernetes", "kubernetes-node", "ollama", "argo-cd", "containerd"]) {
      expect(members.has(runtimeOnly), runtimeOnly).toBe(false);
    }
  });

  it("npm test bootstraps every group", () => {
    expect(parseGroups(toolsInstallArgs("test").slice(3))).toEqual([...commandGroups["npm test"]]);
    expect(() => toolsInstallArgs("bogus" as "start")).toThrow(/unknown mode/);
  });

  it("runs the start bootstrap and judges only the static group", () => {
    const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts.prestart).toBe("node scripts/bootstrap.mjs start");
    expect(scripts.pretest).toBe("node scripts/bootstrap.mjs test");
    expect(scripts.start).toMatch(/^node bin\/llmcharts\.js doctor --group static && /);
  });

  it("says what it installs and what it leaves to the test commands, in one line", () => {
    const line = groupPlanLine(["static"]);
    expect(line).not.toContain("\n");
    const { static: pinned, cluster, runtime, audit } = groups;
    expect(line).toMatch(
      new RegExp(
        `^toolchain: installing static \\(${pinned.tools.length} tools, \\d+ data sets\\); cluster \\(${cluster.tools.length} tools\\), runtime \\(${runtime.tools.length} tools\\) and audit \\(${audit.tools.length} tools\\) `,
      ),
    );
    expect(line).toMatch(/left to npm test, test-install, test-runtime, cluster up and images build, which build them/);
    expect(groupPlanLine([...groupNames])).not.toMatch(/left to/);
  });

  it("leaves the third-party auditors to npm test: no other command runs them", () => {
    expect(groupOf("kube-score")).toBe("audit");
    expect(groupOf("checkov")).toBe("audit");
    const installing = Object.entries(commandGroups).filter(([, needed]) =>
      (needed as readonly string[]).includes("audit"),
    );
    expect(installing.map(([command]) => command)).toEqual(["npm test"]);
  });

  it("refuses an unknown group by name", () => {
    expect(parseGroups(["all"])).toEqual([...groupNames]);
    expect(() => parseGroups(["static", "gpu"])).toThrow(/unknown group: gpu/);
  });
});
