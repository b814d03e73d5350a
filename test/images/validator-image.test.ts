/**
 * The validator image where a fleet repository's CI runs it: under containerd (`ctr run`, a containerd of the test's
 * own), as an unprivileged user, with a read-only root, no network and nothing but the mounted files, its verdicts
 * must be the repository CLI's, verdict for verdict.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildImages } from "../../src/images/build.js";
import { validatorImage } from "../../src/images/validator.js";
import { run } from "../../src/lib/run.js";
import { archiveConfigDigest } from "../../src/images/push.js";
import { type PrivateContainerd, readableCopy, startPrivateContainerd } from "./private-containerd.js";

const repo = join(import.meta.dirname, "..", "..");
const fixtures = join(repo, "test", "fleet", "fixtures");
const scratch = mkdtempSync(join(tmpdir(), "llmcharts-validator-image-"));
/** The mounted folder: a fleet with a site layer, a host two tenants claim, a misspelt key; and a bad single file. */
const work = readableCopy(scratch, "work", {
  "fleet/site.yaml": join(fixtures, "site-layer", "site.yaml"),
  "fleet/rigel": join(fixtures, "site-layer", "rigel"),
  "fleet/sirius": join(fixtures, "site-layer", "sirius"),
  "fleet/lyra": join(fixtures, "duplicate-host", "lyra"),
  "fleet/vega": join(fixtures, "duplicate-host", "vega"),
  "fleet/typo": join(fixtures, "malformed", "typo"),
  "south.yaml": join(fixtures, "same-file-name", "south", "values.yaml"),
});
const hostOut = join(scratch, "host-out");
const imageOut = join(scratch, "image-out");

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let containerd: PrivateContainerd;
let entrypoint: string[];
let user: string;

/** The repository's CLI, from the same folder. */
const cli = (args: string[], cwd = work) =>
  run(process.execPath, [join(repo, "bin", "llmcharts.js"), ...args], { cwd });
/** The image, as `docker run IMAGE ARGS…` would run it (its entrypoint, then the arguments), the folder at /work. */
const image = (args: string[]) =>
  containerd.run(validatorImage.config.ref, [...entrypoint, ...args], {
    binds: { [work]: "/work" },
    writable: { [imageOut]: "/out" },
    cwd: "/work",
  });

type Verdict = { chart: string; fixture: string; rung: string; check: string; ok: boolean; message?: string };
const verdicts = (stdout: string): Verdict[] => (JSON.parse(stdout) as { results: Verdict[] }).results;

// Debootstrap (the image build) and containerd need root.
describe.runIf(process.getuid?.() === 0)("the validator image under containerd", { timeout: 300_000 }, () => {
  beforeAll(async () => {
    const [built] = await buildImages(["validator"], () => {});
    if (!built) throw new Error("the validator image was not built");
    // What the archive itself says, not what the spec meant it to say.
    const configFile = `${(await archiveConfigDigest(built.archive)).replace("sha256:", "")}.json`;
    const config = JSON.parse(execFileSync("tar", ["-xOf", built.archive, configFile], { encoding: "utf8" })) as {
      config: { Entrypoint: string[]; User: string };
    };
    entrypoint = config.config.Entrypoint;
    user = config.config.User;
    for (const dir of [hostOut, imageOut]) {
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
    }
    containerd = await startPrivateContainerd();
    await containerd.importArchive(built.archive);
  }, 900_000);

  afterAll(async () => {
    await containerd?.stop();
  });

  test("runs as the unprivileged user its config names", async () => {
    const uid = await containerd.run(
      validatorImage.config.ref,
      ["/usr/bin/node", "-e", "console.log(process.getuid())"],
      {
        binds: {},
        cwd: "/work",
      },
    );
    expect(user).toBe("1000:1000");
    expect(uid.stdout.trim()).toBe("1000");
  });

  test("validate --fleet: the same verdicts as the repository's CLI, passed and failed", async () => {
    const args = ["validate", "--chart", "tenant", "--fleet", "fleet", "--json"];
    const [fromImage, fromRepo] = [await image(args), await cli(args)];
    expect(fromImage.stderr).not.toMatch(/not installed|could not run/);
    expect(fromImage.exitCode).toBe(fromRepo.exitCode);
    expect(verdicts(fromImage.stdout)).toEqual(verdicts(fromRepo.stdout));
    // The comparison covers the tools: Helm, kubeconform and Kyverno passed tenants, ajv and the fleet refused some.
    const rs = verdicts(fromRepo.stdout);
    expect(rs.filter((r) => !r.ok).map((r) => r.rung)).toEqual(expect.arrayContaining(["values", "fleet"]));
    expect(new Set(rs.filter((r) => r.ok).map((r) => r.rung))).toEqual(new Set(["values", "manifests", "policies"]));
  });

  test("new tenant writes the repository's file, and validate -f refuses its placeholders as the repository does", async () => {
    const made = await image(["new", "tenant", "acme", "--tier", "both", "-o", "/out/acme.yaml"]);
    expect(made.exitCode, made.stderr).toBe(0);
    await cli(["new", "tenant", "acme", "--tier", "both", "-o", join(hostOut, "acme.yaml")]);
    expect(readFileSync(join(imageOut, "acme.yaml"), "utf8")).toBe(readFileSync(join(hostOut, "acme.yaml"), "utf8"));

    const args = (dir: string) => ["validate", "--chart", "tenant", "-f", `${dir}/acme.yaml`, "south.yaml", "--json"];
    const fromImage = await containerd.run(validatorImage.config.ref, [...entrypoint, ...args("/out")], {
      binds: { [work]: "/work", [imageOut]: "/out" },
      cwd: "/work",
    });
    const fromRepo = await cli(args(hostOut));
    expect(fromImage.exitCode).toBe(1);
    expect(fromRepo.exitCode).toBe(1);
    const named = (v: Verdict[]) =>
      v.map((r) => ({ ...r, fixture: r.fixture.replace(/^.*\/acme\.yaml$/, "acme.yaml") }));
    const own = named(verdicts(fromImage.stdout));
    expect(own).toEqual(named(verdicts(fromRepo.stdout)));
    expect(own.filter((r) => !r.ok).map((r) => r.fixture)).toEqual(expect.arrayContaining(["acme.yaml", "south.yaml"]));
    expect(own.find((r) => r.fixture === "acme.yaml" && !r.ok)?.message).toContain("REPLACE-ME");
  });
});
