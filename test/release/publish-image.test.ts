/**
 * `llmcharts publish` pushes the validator image with the charts, to a real OCI registry (the pinned CNCF distribution
 * registry on a loopback port): at `<registry path>/validator:<llmcharts version>`, where action.yml and the
 * pre-commit hook take it from, and as immutable as a chart version.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGet } from "../../src/cluster/probe.js";
import { type LocalRegistry, startRegistry } from "../../src/cluster/registry.js";
import { buildImages } from "../../src/images/build.js";
import { validatorImage, validatorRef } from "../../src/images/validator.js";
import { run } from "../../src/lib/run.js";
import { isolatedHelmEnv } from "../../src/release/package.js";
import { PublishError, publishCharts } from "../../src/release/publish.js";
import { archiveConfigDigest, archivePublisher } from "../../src/images/push.js";
import { requireBin } from "../../src/toolchain/tools.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "llmcharts-publish-image-test-"));
const helmEnv = isolatedHelmEnv(join(scratch, "helm"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let registry: LocalRegistry;
let validatorArchive: string;
let pauseArchive: string;

const served = async (ref: string): Promise<string> => {
  const res = await run(requireBin("skopeo"), ["inspect", "--raw", "--tls-verify=false", `docker://${ref}`]);
  expect(res.exitCode, res.stderr).toBe(0);
  return (JSON.parse(res.stdout) as { config: { digest: string } }).config.digest;
};

// Debootstrap, which builds the image, needs root.
describe.runIf(process.getuid?.() === 0)("llmcharts publish: the validator image", { timeout: 600_000 }, () => {
  beforeAll(async () => {
    const built = await buildImages(["validator", "pause"], () => {});
    validatorArchive = built.find((b) => b.name === "validator")?.archive ?? "";
    pauseArchive = built.find((b) => b.name === "pause")?.archive ?? "";
    registry = await startRegistry({ dir: join(scratch, "registry") });
  }, 900_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it("is pushed with the charts to <registry>/validator:<version>, and the registry serves the image built here", async () => {
    const res = await run(
      process.execPath,
      [join(root, "bin", "llmcharts.js"), "publish", "--registry", registry.url],
      {
        env: helmEnv,
      },
    );
    expect(res.exitCode, res.stderr).toBe(0);
    const ref = validatorRef(registry.url);
    expect(ref).toBe(`${registry.host}/charts/validator:${validatorImage.version}`);
    expect(res.stdout).toContain(`${ref}: pushed`);
    const catalog = JSON.parse((await httpGet(`http://${registry.host}/v2/_catalog`)).body) as {
      repositories: string[];
    };
    expect(catalog.repositories.sort()).toEqual([
      "charts/nodepools",
      "charts/platform",
      "charts/tenant",
      "charts/validator",
    ]);
    expect(await served(ref)).toBe(await archiveConfigDigest(validatorArchive));
  });

  it("is left alone when the registry holds the same image, and another image at its tag is refused with nothing pushed", async () => {
    const image = archivePublisher(validatorArchive, "validator", validatorImage.version);
    const again = await publishCharts({ root, registry: registry.url, helmEnv, image });
    expect(again.find((p) => p.kind === "image")).toMatchObject({
      outcome: "unchanged",
      ref: validatorRef(registry.url),
    });

    const other = await publishCharts({
      root,
      registry: registry.url,
      helmEnv,
      image: archivePublisher(pauseArchive, "validator", validatorImage.version),
    }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(other).toBeInstanceOf(PublishError);
    expect(other?.message).toContain(`image ${validatorRef(registry.url)} already exists as another image`);
    expect(other?.message).toContain("bump version in package.json");
    expect(other?.message).toContain("nothing was published");
    expect(await served(validatorRef(registry.url))).toBe(await archiveConfigDigest(validatorArchive));
  });
});
