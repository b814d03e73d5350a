/**
 * Colour for people at a terminal, and for nobody else: verdicts are coloured only when the stream is a TTY, never
 * when NO_COLOR is set (https://no-color.org) or the terminal is `dumb`. What a pipe, a file or CI reads stays plain
 * text, byte for byte what the tests and the machine formats expect.
 */
type Stream = { isTTY?: boolean };

/** Whether text written to `stream` may be coloured. */
export const colourFor = (stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean =>
  stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";

// The codes themselves: util.styleText decides by process.stdout and its own reading of the environment.
const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
const green = (s: string) => `\u001b[32m${s}\u001b[39m`;

/**
 * A report's verdicts coloured: FAIL and a non-zero failed count red, PASS, ok and OK green, MISSING red, each only as
 * a word at the start of a line or in a column of its own, so that messages quoting them are left alone.
 */
export const colourVerdicts = (text: string, stream: Stream, env: NodeJS.ProcessEnv = process.env): string => {
  if (!colourFor(stream, env)) return text;
  return text
    .replace(
      /^(\s*)(FAIL|PASS|ok)(?= )/gm,
      (_, space: string, word: string) => `${space}${word === "FAIL" ? red(word) : green(word)}`,
    )
    .replace(
      /^(\S+ +)(OK|MISSING)(?= )/gm,
      (_, before: string, word: string) => `${before}${word === "OK" ? green(word) : red(word)}`,
    )
    .replace(/\b([1-9]\d*) failed\b/g, (m) => red(m));
};
