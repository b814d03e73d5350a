/**
 * X.509 certificates made with Node's crypto alone (no openssl on the path, no npm package): a key pair from
 * `generateKeyPairSync`, the certificate's fields encoded in DER by the few ASN.1 rules below, signed with
 * `crypto.sign`. Enough for what a local cluster needs: a CA, client certificates and serving certificates, ECDSA
 * P-256 with SHA-256, which Go's crypto/x509 (the API server, the controllers) and Node's TLS both accept.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isIPv4 } from "node:net";

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  cert: string;
  key: string;
}

export interface CertificateRequest {
  commonName: string;
  organizations?: string[];
  /** A CA signs other certificates and nothing else. */
  ca?: boolean;
  /** What a leaf certificate is for (its extended key usage). */
  usages?: ("server" | "client")[];
  dnsNames?: string[];
  ipAddresses?: string[];
  /** The CA that signs it; a certificate without one signs itself. */
  issuer?: KeyPair;
  validDays?: number;
}

// --- DER: tag, length, content ---

const der = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
};

const sequence = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const octetString = (b: Buffer) => der(0x04, b);
const utf8 = (s: string) => der(0x0c, Buffer.from(s, "utf8"));
const bool = (b: boolean) => der(0x01, Buffer.from([b ? 0xff : 0x00]));
/** A BIT STRING whose bits fill whole bytes except the `unused` lowest bits of the last one. */
const bitString = (bytes: Buffer, unused = 0) => der(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
const explicit = (n: number, inner: Buffer) => der(0xa0 + n, inner);

const oid = (dotted: string): Buffer => {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
};

/** UTCTime (YYMMDDHHMMSSZ) until 2049, GeneralizedTime after, as RFC 5280 requires. */
const time = (d: Date): Buffer => {
  const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(`${iso.slice(2)}Z`)) : der(0x18, Buffer.from(`${iso}Z`));
};

const oids = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

// --- the certificate's parts ---

const name = (commonName: string, organizations: string[] = []): Buffer =>
  sequence(
    ...organizations.map((o) => set(sequence(oid(oids.organization), utf8(o)))),
    set(sequence(oid(oids.commonName), utf8(commonName))),
  );

const extension = (id: string, critical: boolean, value: Buffer) =>
  sequence(oid(id), ...(critical ? [bool(true)] : []), octetString(value));

const ipBytes = (ip: string): Buffer => {
  if (!isIPv4(ip)) throw new Error(`only IPv4 addresses go into certificates here, not "${ip}"`);
  return Buffer.from(ip.split(".").map(Number));
};

const extensions = (r: CertificateRequest): Buffer[] => {
  const list = [
    extension(oids.basicConstraints, true, r.ca ? sequence(bool(true)) : sequence()),
    // CA: keyCertSign and cRLSign (bits 5 and 6) with digitalSignature (bit 0); a leaf: digitalSignature only.
    extension(oids.keyUsage, true, r.ca ? bitString(Buffer.from([0x86]), 1) : bitString(Buffer.from([0x80]), 7)),
  ];
  const usages = r.usages ?? [];
  if (usages.length > 0) {
    const ids = usages.map((u) => oid(u === "server" ? oids.serverAuth : oids.clientAuth));
    list.push(extension(oids.extKeyUsage, false, sequence(...ids)));
  }
  const names = [
    ...(r.dnsNames ?? []).map((n) => der(0x82, Buffer.from(n, "ascii"))),
    ...(r.ipAddresses ?? []).map((ip) => der(0x87, ipBytes(ip))),
  ];
  if (names.length > 0) list.push(extension(oids.subjectAltName, false, sequence(...names)));
  return list;
};

/** A positive 128-bit serial whose DER encoding is minimal (Go refuses negative and padded serials). */
const serialNumber = (): Buffer => {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40;
  return der(0x02, bytes);
};

const pem = (label: string, body: Buffer): string =>
  `-----BEGIN ${label}-----\n${body
    .toString("base64")
    .match(/.{1,64}/g)
    ?.join("\n")}\n-----END ${label}-----\n`;

/** The elements inside a DER SEQUENCE (tag, length and content each), in order. */
const elements = (seq: Buffer): Buffer[] => {
  const contentStart = (b: Buffer, at: number) => {
    const first = b[at + 1] as number;
    return first < 0x80 ? { start: at + 2, length: first } : lengthOf(b, at + 2, first & 0x7f);
  };
  const lengthOf = (b: Buffer, at: number, count: number) => {
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (b[at + i] as number);
    return { start: at + count, length };
  };
  const outer = contentStart(seq, 0);
  const items: Buffer[] = [];
  for (let at = outer.start; at < outer.start + outer.length; ) {
    const { start, length } = contentStart(seq, at);
    items.push(seq.subarray(at, start + length));
    at = start + length;
  }
  return items;
};

/** The issuer's subject exactly as its certificate encodes it (a verifier compares the bytes). */
const subjectOf = (certPem: string): Buffer => {
  const certDer = Buffer.from(certPem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  const [tbs] = elements(certDer);
  // TBSCertificate: version, serial, signature algorithm, issuer, validity, subject, ...
  const subject = tbs ? elements(tbs)[5] : undefined;
  if (!subject) throw new Error("the issuer's certificate has no subject");
  return subject;
};

/** Issues a certificate for a fresh ECDSA P-256 key: self-signed, or signed by `issuer`. */
export const issueCertificate = (r: CertificateRequest): KeyPair => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const now = Date.now();
  const signer: KeyObject = r.issuer ? createPrivateKey(r.issuer.key) : privateKey;
  const algorithm = sequence(oid(oids.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, der(0x02, Buffer.from([2]))),
    serialNumber(),
    algorithm,
    r.issuer ? subjectOf(r.issuer.cert) : name(r.commonName, r.organizations),
    // An hour back: a clock a little behind ours still accepts it.
    sequence(time(new Date(now - 3600_000)), time(new Date(now + (r.validDays ?? 365) * 86400_000))),
    name(r.commonName, r.organizations),
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(...extensions(r))),
  );
  const signature = sign("sha256", tbs, signer);
  return {
    cert: pem("CERTIFICATE", sequence(tbs, algorithm, bitString(signature))),
    key: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  };
};
