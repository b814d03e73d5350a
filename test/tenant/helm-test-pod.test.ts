/**
 * The `helm test` Pod's checks run as written with the busybox the suites build their test image from (Debian's
 * busybox-static 1.35, whose `wget -T` crashes with a segmentation fault): each check is `timeout N wget …`, so a
 * check answers pass or fail, never a crash, and a hung call ends at its deadline.
 */
import { mkdtempSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod } from "../../charts-src/lib/k8s.js";
import { run } from "../../src/lib/run.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { ofKind } from "../rendered.js";
import { render } from "./render.js";

const testPod = (values: unknown) => {
  const pod = ofKind<Pod>(render(values), "Pod").find((p) => p.metadata.annotations?.["helm.sh/hook"] === "test");
  if (!pod) throw new Error("no helm test Pod rendered");
  return pod;
};

/** A directory whose `timeout` and `wget` are the busybox applets, as in the test image. */
const busyboxPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "llmcharts-busybox-"));
  for (const applet of ["timeout", "wget"]) symlinkSync(requireBin("busybox"), join(dir, applet));
  return dir;
};

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 404).end("{}"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs a check's command with the busybox applets, its URL pointed at `url`. */
const runCheck = async (command: string[], url: string) => {
  const [exe = "", ...args] = command;
  const bin = busyboxPath();
  return run(join(bin, exe), [...args.slice(0, -1), url], { env: { ...process.env, PATH: bin } });
};

describe("the helm test Pod", () => {
  const both = loadFixtures(process.cwd(), "tenant").find((f) => f.name === "good/both-enterprise-ha")?.values;
  const pod = testPod({ ...(both as object), tests: { checkPremium: true } });
  const checks = pod.spec?.containers ?? [];

  it("bounds every check with timeout, not wget's own -T", () => {
    expect(checks.length).toBeGreaterThan(1);
    for (const c of checks) {
      expect(c.command?.slice(0, 3)).toEqual(["timeout", expect.stringMatching(/^[1-9][0-9]*$/), "wget"]);
      expect(c.command).not.toContain("-T");
    }
  });

  it("passes against a healthy OpenWebUI and fails (without crashing) against a closed port, with busybox 1.35", async () => {
    const health = checks.find((c) => c.name === "openwebui-health")?.command ?? [];
    const ok = await runCheck(health, `http://127.0.0.1:${port}/health`);
    expect(ok.exitCode).toBe(0);
    const closed = await runCheck(health, "http://127.0.0.1:1/health");
    expect(closed.exitCode).toBe(1);
  });
});
