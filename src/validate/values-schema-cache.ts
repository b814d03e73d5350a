/**
 * ajv's validator of a chart's values schema, compiled once and kept: compiling the tenant chart's schema takes ajv
 * seconds, more than the rest of a fleet run where one tenant file changed. ajv's standalone code of the validator is
 * kept in a directory (the fleet cache's generation, src/validate/fleet-cache.ts), found by a hash of the schema, the
 * options and the versions of ajv and ajv-formats installed, and loaded instead of compiling: the same code ajv runs
 * after compiling, so the same verdicts and errors.
 *
 * A kept file carries the hash of its code on its first line: one that cannot be read, fails that hash or does not
 * load into a function is no file: the schema is compiled and the file written again (to a temporary file, then
 * renamed).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv, type Options, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import standaloneModule from "ajv/dist/standalone/index.js";
import type { JsonSchema } from "../../charts-src/lib/engine/index.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (
  ajv: Ajv,
  validate: ValidateFunction,
) => string;

/** How the values are checked: every error (each is a line of the report), with the value at fault (`verbose`). */
const options: Options = { allErrors: true, strict: false, verbose: true };

// The standalone code requires ajv's runtime helpers (and ajv-formats' formats) by name: resolved from here.
const requireHere = createRequire(import.meta.url);
const versionOf = (name: string): string => (requireHere(`${name}/package.json`) as { version: string }).version;

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The name a schema's validator is kept under: what its code depends on. */
export const compiledSchemaFile = (schema: JsonSchema): string =>
  `values-schema-${sha256(
    JSON.stringify([`ajv ${versionOf("ajv")}`, `ajv-formats ${versionOf("ajv-formats")}`, options, schema]),
  )}.cjs`;

const compile = (schema: JsonSchema, source: boolean) => {
  const ajv = new Ajv({ ...options, code: { source } });
  addFormats(ajv);
  return { ajv, validate: ajv.compile(schema) };
};

/** The validator of `schema` kept in `dir`, or undefined when there is none to trust. */
export const keptValidator = (schema: JsonSchema, dir: string): ValidateFunction | undefined => {
  const path = join(dir, compiledSchemaFile(schema));
  try {
    const text = readFileSync(path, "utf8");
    const newline = text.indexOf("\n");
    const code = text.slice(newline + 1);
    if (newline < 0 || text.slice(0, newline) !== `// sha256 ${sha256(code)}`) return undefined;
    const module = { exports: {} as unknown };
    new Function("module", "exports", "require", code)(module, module.exports, requireHere);
    return typeof module.exports === "function" ? (module.exports as ValidateFunction) : undefined;
  } catch {
    return undefined;
  }
};

let written = 0;

/** Keeps a validator's code at `path`; a cache that cannot be written is left as it is (the next run compiles again). */
const store = (path: string, code: string): void => {
  const temporary = `${path}.${process.pid}.${++written}.tmp`;
  try {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(temporary, `// sha256 ${sha256(code)}\n${code}`);
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
};

/**
 * The validator of `schema`: loaded from `dir` when it holds it, else compiled (and, with `dir`, kept there). Without
 * `dir`, always compiled.
 */
export const valuesValidator = (schema: JsonSchema, dir?: string): ValidateFunction => {
  if (dir === undefined) return compile(schema, false).validate;
  const kept = keptValidator(schema, dir);
  if (kept) return kept;
  const { ajv, validate } = compile(schema, true);
  store(join(dir, compiledSchemaFile(schema)), standaloneCode(ajv, validate));
  return validate;
};
