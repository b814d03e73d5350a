/** The command was asked for something it cannot do as written (a missing file, options that conflict): exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
