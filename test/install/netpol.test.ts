/** Reading np-guard's answers: which TCP ports a connection's text admits. */
import { describe, expect, it } from "vitest";
import { admitsTcp } from "../../src/install/netpol.js";

describe("np-guard's connection text", () => {
  it("admits a TCP port listed alone, among others or in a range, and every port for All Connections", () => {
    expect(
      ["TCP 8080", "TCP 8080,9464", "TCP 9464,8080", "TCP 1-65535", "All Connections"].map((c) => admitsTcp(c, 8080)),
    ).toEqual([true, true, true, true, true]);
  });

  it("does not admit another port, a port within a longer number, or UDP", () => {
    expect(["TCP 9464", "TCP 80800", "TCP 808", "UDP 8080", "TCP 1-8079"].map((c) => admitsTcp(c, 8080))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
