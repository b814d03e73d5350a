/**
 * `test-install --report FILE.svg`: the isolation matrix drawn from np-guard's connections. The fixture is np-guard's
 * own output (`k8snetpolicy list -o json`, pinned 1.4.4) over `helm template` of the install suite's three tenants
 * (test/install/values/{standard,premium,both}.yaml) and the stand-in shared services of src/install/netpol.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isolationMatrix, isolationMatrixSvg, mergeConns, outside } from "../../src/install/isolation-matrix.js";
import type { Connection } from "../../src/install/netpol.js";
import { findAll, parseXml, type XmlNode } from "../xml.js";

const connections = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "np-guard-connections.json"), "utf8"),
) as Connection[];
const tenants = ["tenant-gpu-lab", "tenant-mixed-inc", "tenant-std-co"];

/** The drawn cells as "from → to" → "kind: text". */
const drawn = (svg: XmlNode) =>
  Object.fromEntries(
    findAll(svg, (n) => n.tag === "g" && (n.attrs.class ?? "").startsWith("cell ")).map((g) => [
      `${g.attrs["data-from"]} → ${g.attrs["data-to"]}`,
      `${(g.attrs.class as string).slice(5)}: ${findAll(g, (n) => n.tag === "text")[0]?.text ?? ""}`,
    ]),
  );

describe("the isolation matrix", () => {
  const svg = isolationMatrixSvg(isolationMatrix(connections, tenants));
  const root = parseXml(svg);
  const cells = drawn(root);

  it("has a row and a column for each tenant workload, then each shared service, then the outside", () => {
    const { peers } = isolationMatrix(connections, tenants);
    expect(peers).toEqual([
      "tenant-gpu-lab/ollama-premium",
      "tenant-gpu-lab/ollama-premium-wake",
      "tenant-gpu-lab/openwebui",
      "tenant-mixed-inc/ollama-premium",
      "tenant-mixed-inc/ollama-premium-wake",
      "tenant-mixed-inc/ollama-standard",
      "tenant-mixed-inc/openwebui",
      "tenant-std-co/ollama-standard",
      "tenant-std-co/openwebui",
      "default/unrelated-app",
      "ingress-nginx/ingress-nginx-controller",
      "keda/keda-operator",
      "kube-system/coredns",
      "monitoring/prometheus",
      outside,
    ]);
    expect(root.tag).toBe("svg");
    expect(Object.keys(cells)).toHaveLength(peers.length * peers.length);
  });

  it("shows the ports each tenant's own paths allow, and denied between tenants", () => {
    expect(cells["tenant-std-co/openwebui → tenant-std-co/ollama-standard"]).toBe("within-tenant: TCP 11434");
    expect(cells["tenant-gpu-lab/openwebui → tenant-gpu-lab/ollama-premium-wake"]).toBe("within-tenant: TCP 8080");
    expect(cells["tenant-gpu-lab/openwebui → tenant-gpu-lab/ollama-premium"]).toBe("denied: denied");
    expect(cells["tenant-std-co/openwebui → tenant-mixed-inc/ollama-standard"]).toBe("denied: denied");
    expect(cells["ingress-nginx/ingress-nginx-controller → tenant-std-co/openwebui"]).toBe("shared: TCP 8080");
    expect(cells["keda/keda-operator → tenant-gpu-lab/ollama-premium-wake"]).toBe("shared: TCP 9090");
    expect(cells["tenant-std-co/openwebui → kube-system/coredns"]).toBe("shared: TCP 53,UDP 53");
    expect(cells["default/unrelated-app → tenant-std-co/openwebui"]).toBe("denied: denied");
    expect(cells["tenant-mixed-inc/openwebui → IP addresses"]).toBe("shared: TCP 443,5432,6379");
    expect(Object.values(cells).filter((c) => c.startsWith("cross-tenant"))).toEqual([]);
  });

  it("merges np-guard's connection strings of one pair, port by port", () => {
    expect(mergeConns(["TCP 443", "TCP 6379", "TCP 5432"])).toBe("TCP 443,5432,6379");
    expect(mergeConns(["TCP 53,UDP 53", "TCP 443,6443"])).toBe("TCP 53,443,6443,UDP 53");
    expect(mergeConns(["TCP 8080", "All Connections"])).toBe("all");
    expect(mergeConns([])).toBe("");
  });

  it("draws a connection between two tenants in red", () => {
    const leak = {
      src: "tenant-std-co/openwebui[Deployment]",
      dst: "tenant-gpu-lab/ollama-premium[Deployment]",
      conn: "TCP 11434",
    };
    const matrix = isolationMatrix([...connections, leak], tenants);
    const leaked = drawn(parseXml(isolationMatrixSvg(matrix)));
    expect(leaked["tenant-std-co/openwebui → tenant-gpu-lab/ollama-premium"]).toBe("cross-tenant: TCP 11434");
    const red = findAll(parseXml(isolationMatrixSvg(matrix)), (n) => n.tag === "rect" && n.attrs.fill === "#ff8182");
    expect(red).toHaveLength(2); // the cell and its legend
  });

  it("gives the same bytes for the same connections, in any order", () => {
    expect(isolationMatrixSvg(isolationMatrix([...connections].reverse(), tenants))).toBe(svg);
  });
});
