/**
 * The tenant README's "Installing the prerequisites" installs each controller at the version the suites build and
 * run: a pin that moves without the README (or the reverse) fails here.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reloadStrategy } from "../../src/cluster/controllers/reloader.js";
import { sectionBlocks } from "../../src/lib/readme-claims.js";
import { crdSources, tools } from "../../src/toolchain/pins.js";

const root = join(import.meta.dirname, "..", "..");
const [recipes] = sectionBlocks(root, "generated/tenant/README.md", "Installing the prerequisites");
const script = recipes?.script ?? "";
const bare = (v: string | undefined) => (v ?? "").replace(/^v/, "");
const pinned = (name: string) => bare(tools.find((t) => t.name === name)?.version);

describe("the tenant README's prerequisite recipes", () => {
  it("install KEDA and External Secrets with the charts of the pinned versions", () => {
    expect(script).toContain(`helm install keda kedacore/keda --version ${pinned("keda")} `);
    expect(script).toContain(`external-secrets/external-secrets --version ${pinned("external-secrets")} `);
  });

  it("apply the KEDA HTTP add-on's InterceptorRoute CRD from the source the schemas are checked against", () => {
    const source = crdSources.find((s) => s.name === "keda-http-add-on");
    const file = source?.files.find((f) => f.includes("interceptorroutes"));
    const repo = source?.module.replace(/^github\.com\//, "");
    expect(script).toContain(`https://raw.githubusercontent.com/${repo}/${source?.version}/${file}`);
  });

  it("apply metrics-server's release manifest of the pinned version", () => {
    expect(script).toContain(`/metrics-server/releases/download/v${pinned("metrics-server")}/components.yaml`);
  });

  it("apply Reloader's manifest of the pinned release (the image it names is that release's), in the suites' strategy", () => {
    expect(script).toContain(
      `https://raw.githubusercontent.com/stakater/Reloader/v${pinned("reloader")}/deployments/kubernetes/reloader.yaml`,
    );
    expect(script).toContain(`"value": ["${reloadStrategy}"]`);
  });
});
