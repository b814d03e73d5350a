/**
 * The public keys of an ASCII-armored OpenPGP file (the repository's `KEYS`), read without GnuPG: each primary key's
 * v4 fingerprint (RFC 4880 §12.2: SHA-1 over 0x99, the two-byte length and the public key packet's body) and its
 * user IDs. `generate` writes them into the READMEs, and runs where GnuPG is not installed.
 */
import { createHash } from "node:crypto";

export interface PublicKey {
  /** 40 upper-case hex digits. */
  fingerprint: string;
  userIds: string[];
}

interface Packet {
  tag: number;
  body: Buffer;
}

/** The packets of one binary OpenPGP message (old and new packet formats). */
const packets = (data: Buffer): Packet[] => {
  const out: Packet[] = [];
  let i = 0;
  while (i < data.length) {
    const header = data[i++] as number;
    if ((header & 0x80) === 0) throw new Error(`not an OpenPGP packet at byte ${i - 1}`);
    let tag: number;
    let length: number;
    if (header & 0x40) {
      tag = header & 0x3f;
      const first = data[i++] as number;
      if (first < 192) length = first;
      else if (first < 224) length = ((first - 192) << 8) + (data[i++] as number) + 192;
      else if (first === 255) {
        length = data.readUInt32BE(i);
        i += 4;
      } else throw new Error("partial-length packets do not occur in a key file");
    } else {
      tag = (header >> 2) & 0x0f;
      const lengthType = header & 0x03;
      if (lengthType === 3) throw new Error("indeterminate-length packets do not occur in a key file");
      const size = [1, 2, 4][lengthType] as number;
      length = data.readUIntBE(i, size);
      i += size;
    }
    out.push({ tag, body: data.subarray(i, i + length) });
    i += length;
  }
  return out;
};

/** The binary contents of every armored block of `text` (text around the blocks is ignored, as gpg does). */
const dearmor = (text: string): Buffer[] =>
  [...text.matchAll(/-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n([\s\S]*?)-----END PGP PUBLIC KEY BLOCK-----/g)].map(
    (m) => {
      // Armor headers end at the first empty line; the checksum line starts with '='.
      const lines = (m[1] as string).split(/\r?\n/);
      const base64 = lines
        .slice(lines.indexOf("") + 1)
        .filter((l) => l !== "" && !l.startsWith("="))
        .join("");
      return Buffer.from(base64, "base64");
    },
  );

const publicKeyTag = 6;
const userIdTag = 13;
const secretKeyTags = [5, 7];

/** The primary keys of an armored key file, in order. Refuses a file holding secret key material. */
export const readPublicKeys = (text: string): PublicKey[] => {
  const keys: PublicKey[] = [];
  for (const block of dearmor(text)) {
    for (const p of packets(block)) {
      if (secretKeyTags.includes(p.tag)) throw new Error("the key file holds a secret key: publish only public keys");
      if (p.tag === publicKeyTag) {
        if (p.body[0] !== 4) throw new Error(`public key version ${p.body[0]} (only v4 keys are read)`);
        const header = Buffer.from([0x99, (p.body.length >> 8) & 0xff, p.body.length & 0xff]);
        const fingerprint = createHash("sha1").update(header).update(p.body).digest("hex").toUpperCase();
        keys.push({ fingerprint, userIds: [] });
      } else if (p.tag === userIdTag) keys.at(-1)?.userIds.push(p.body.toString("utf8"));
    }
  }
  return keys;
};
