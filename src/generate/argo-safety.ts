/**
 * Argo CD renders charts with `helm template` on every refresh: anything that renders differently twice (random
 * values, the clock, generated keys) or asks a cluster (`lookup`) shows as a perpetual diff or breaks offline.
 */
const forbidden = [
  "lookup",
  "now",
  "date",
  "dateInZone",
  "unixEpoch",
  "uuidv4",
  "genCA",
  "genPrivateKey",
  "genSelfSignedCert",
  "genSignedCert",
  "derivePassword",
  "randAlpha",
  "randAlphaNum",
  "randNumeric",
  "randAscii",
  "randBytes",
  "randInt",
  "shuffle",
];

const actionPattern = /\{\{-?([\s\S]*?)-?\}\}/g;
const stringLiteral = /"(?:[^"\\]|\\.)*"|`[^`]*`/g;

/** Forbidden template functions used in one template file, as `file: function` lines. */
export const argoSafetyViolations = (file: string, template: string): string[] => {
  const found: string[] = [];
  for (const m of template.matchAll(actionPattern)) {
    const code = (m[1] ?? "").replace(stringLiteral, '""');
    if (code.trimStart().startsWith("/*")) continue;
    for (const fn of forbidden)
      if (new RegExp(`(^|[\\s(|])${fn}($|[\\s)])`).test(code)) found.push(`${file}: uses ${fn}`);
  }
  return found;
};
