// Text from the data made safe to write to a terminal: control characters (C0 but newline and
// tab, DEL, C1) and the bidirectional overrides that reorder what is shown are written as
// visible escapes (\x1b, \u009b, \u202e), so stored data can never retitle, recolour or move
// the operator's terminal. One rule for print commands, the console and HTML error pages.


const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// Table cells and one-line messages: newline and tab escaped too.
const UNSAFE_ANY = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every terminal control character shown escaped. Newline and tab are kept unless
 * `singleLine` (a table cell, a one-line message), where they are escaped too.
 */
export function terminalSafe(text: string, singleLine = false): string {
  const pattern = singleLine ? UNSAFE_ANY : UNSAFE;
  pattern.lastIndex = 0;
  return pattern.test(text) ? text.replace(pattern, escape) : text;
}
