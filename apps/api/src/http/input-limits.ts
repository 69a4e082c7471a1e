/**
 * Bounds on the shape of a request's JSON input, checked on the raw text before anything
 * parses or walks it. Without them one anonymous request of deeply nested arrays kept the
 * event loop busy for seconds (every walk of the input is per node, and a recursive walk
 * overflows the stack past a few thousand levels), delaying every other request.
 *
 * The scan is one linear pass over the characters with a counter, no recursion and no
 * allocation per level, so it costs about as much as reading the body did.
 */

/** Deeper than any procedure's input (a batch adds one level, `limits` two). */
export const MAX_INPUT_DEPTH = 32;
/** Far more values than any procedure takes; a 1 MiB body can otherwise carry ~500,000. */
export const MAX_INPUT_NODES = 10_000;

export type InputLimitViolation = { limit: "depth" | "nodes"; message: string };

/**
 * Checks the nesting depth and the number of values of JSON text. Text that is not JSON
 * is left to the parser to refuse; only the counts are checked here (outside strings,
 * every `[` or `{` opens a level and every `,` adds a value).
 */
export function checkJsonInputLimits(
  text: string,
  limits: { maxDepth: number; maxNodes: number } = {
    maxDepth: MAX_INPUT_DEPTH,
    maxNodes: MAX_INPUT_NODES,
  },
): InputLimitViolation | null {
  let depth = 0;
  let nodes = text.trim() ? 1 : 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
      continue;
    }
    if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b /* [ */ || ch === 0x7b /* { */) {
      depth++;
      if (depth > limits.maxDepth) {
        return {
          limit: "depth",
          message: `Input nested too deeply (limit ${limits.maxDepth} levels)`,
        };
      }
    } else if (ch === 0x5d /* ] */ || ch === 0x7d /* } */) {
      depth--;
    } else if (ch === 0x2c /* , */) {
      nodes++;
      if (nodes > limits.maxNodes) {
        return { limit: "nodes", message: `Input has too many values (limit ${limits.maxNodes})` };
      }
    }
  }
  return null;
}
