/**
 * The `helm test` Pod's checks run as written with the busybox the suites build their test image from (Debian's
 * busybox-static 1.35, whose `wget -T` crashes with a segmentation fault): each check asks with wget until it answers,
 * under `timeout N`, so a check answers pass or fail, never a crash; a call the node's NetworkPolicy rules refuse for
 * a moment after the Pod starts passes once they arrive, and a hung or refused call ends at its deadline.
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
  for (const applet of ["timeout", "wget", "sh", "sleep"]) symlinkSync(requireBin("busybox"), join(dir, applet));
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

/** Runs a check's command with the busybox applets, its URL pointed at `url`, its deadline `seconds` if given. */
const runCheck = async (command: string[], url: string, seconds?: number) => {
  const [exe = "", deadline = "", ...args] = command;
  const bin = busyboxPath();
  return run(join(bin, exe), [`${seconds ?? deadline}`, ...args.slice(0, -1), url], {
    env: { ...process.env, PATH: bin },
  });
};

describe("the helm test Pod", () => {
  const both = loadFixtures(process.cwd(), "tenant").find((f) => f.name === "good/both-enterprise-ha")?.values;
  const pod = testPod({ ...(both as object), tests: { checkPremium: true } });
  const checks = pod.spec?.containers ?? [];

  it("bounds every check with timeout, asking with wget until it answers, never with wget's own -T", () => {
    expect(checks.length).toBeGreaterThan(1);
    for (const c of checks) {
      expect(c.command?.slice(0, 4)).toEqual(["timeout", expect.stringMatching(/^[1-9][0-9]*$/), "sh", "-c"]);
      expect(c.command?.[4]).toMatch(/^until wget .*; do sleep 1; done$/);
      expect(c.command).not.toContain("-T");
    }
  });

  it("passes against a healthy OpenWebUI and fails (without crashing) against a closed port, with busybox 1.35", async () => {
    const health = checks.find((c) => c.name === "openwebui-health")?.command ?? [];
    const ok = await runCheck(health, `http://127.0.0.1:${port}/health`);
    expect(ok.exitCode).toBe(0);
    const closed = await runCheck(health, "http://127.0.0.1:1/health", 2);
    expect(closed.exitCode).not.toBe(0);
    expect(closed.exitCode).not.toBe(139);
  });

  it("passes once a call refused at first answers, as when the Pod starts before its NetworkPolicy rules", async () => {
    const late = createServer((_req, res) => res.writeHead(200).end("{}"));
    const { port: latePort } = await new Promise<AddressInfo>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address() as AddressInfo;
        probe.close(() => resolve(address));
      });
    });
    const opening = setTimeout(() => late.listen(latePort, "127.0.0.1"), 2500);
    try {
      const health = checks.find((c) => c.name === "openwebui-health")?.command ?? [];
      expect((await runCheck(health, `http://127.0.0.1:${latePort}/health`)).exitCode).toBe(0);
    } finally {
      clearTimeout(opening);
      late.close();
    }
  });
});
