/**
 * The chart sources as the TypeScript compiler sees them, for tests that read them with the compiler API: one
 * program of every file under charts-src/ and of probe sources, each probe compiled as if it stood in charts-src/
 * (nothing is written), with the project's compiler options. One program, because type-checking the API types
 * dominates the time.
 */
import { join } from "node:path";
import ts from "typescript";

const root = join(import.meta.dirname, "..");
const chartsSrc = join(root, "charts-src");

export interface ChartProgram {
  checker: ts.TypeChecker;
  program: ts.Program;
  /** Every source file under charts-src/, probes included. */
  sources: ts.SourceFile[];
  /** A probe's source file. */
  probe(name: string): ts.SourceFile;
  /** A probe's diagnostics: syntax, types and options, as `tsc` reports them. */
  diagnostics(name: string): { code: number; message: string }[];
}

const probePath = (name: string) => join(chartsSrc, `probe-${name}.ts`);

export const chartProgram = (probes: Record<string, string> = {}): ChartProgram => {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const byPath = new Map(Object.entries(probes).map(([name, text]) => [probePath(name), text]));
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => byPath.get(f) ?? readFile(f);
  host.fileExists = (f) => byPath.has(f) || fileExists(f);
  const chartFiles = fileNames.filter((f) => f.startsWith(`${chartsSrc}/`));
  const program = ts.createProgram([...chartFiles, ...byPath.keys()], options, host);
  const probe = (name: string) => {
    const file = program.getSourceFile(probePath(name));
    if (!file) throw new Error(`no probe named ${name}`);
    return file;
  };
  return {
    checker: program.getTypeChecker(),
    program,
    sources: program.getSourceFiles().filter((f) => f.fileName.startsWith(`${chartsSrc}/`)),
    probe,
    diagnostics: (name) =>
      ts.getPreEmitDiagnostics(program, probe(name)).map((d) => ({
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      })),
  };
};

/** Where a node is, as a reader finds it: `tenant/secrets.ts:57`. */
export const location = (node: ts.Node): string => {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${file.fileName.slice(chartsSrc.length + 1)}:${line + 1}`;
};
