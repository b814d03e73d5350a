/**
 * The certificates the cluster makes for its aggregation layer and controllers, read back by Node's own X.509
 * parser (OpenSSL): each says what it is for, and a leaf verifies against the CA that issued it and no other.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueCertificate } from "../../src/cluster/x509.js";

const ca = issueCertificate({ commonName: "test-ca", ca: true });
const leaf = issueCertificate({
  commonName: "keda",
  organizations: ["llmcharts"],
  usages: ["server", "client"],
  dnsNames: ["keda-operator.keda.svc", "keda-metrics-apiserver.keda.svc"],
  ipAddresses: ["192.0.2.2"],
  issuer: ca,
});

describe("issueCertificate", () => {
  it("makes a self-signed CA", () => {
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe("CN=test-ca");
    expect(cert.issuer).toBe("CN=test-ca");
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it("makes a leaf the CA signed, for the names and uses asked", () => {
    const cert = new X509Certificate(leaf.cert);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe("O=llmcharts\nCN=keda");
    expect(cert.checkIssued(new X509Certificate(ca.cert))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe(
      "DNS:keda-operator.keda.svc, DNS:keda-metrics-apiserver.keda.svc, IP Address:192.0.2.2",
    );
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(cert.checkPrivateKey(createPrivateKey(leaf.key))).toBe(true);
  });

  it("is not verified by another CA", () => {
    const other = issueCertificate({ commonName: "test-ca", ca: true });
    expect(new X509Certificate(leaf.cert).verify(new X509Certificate(other.cert).publicKey)).toBe(false);
  });

  it("is valid from an hour ago for the days asked", () => {
    const cert = new X509Certificate(issueCertificate({ commonName: "short", validDays: 2 }).cert);
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    expect(Date.now() - from).toBeGreaterThan(3500_000);
    expect(Math.round((to - from) / 3600_000)).toBe(49);
  });
});
