// core/terminal-text.ts: the one rule that keeps data from driving a terminal (print commands,
// HTML error pages, and the console through the same function).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {terminalSafe} from '../../source/core/terminal-text.js';

describe('terminalSafe', () => {
  it('escapes C0 (but newline and tab), DEL, C1 and bidi overrides; leaves other text alone', () => {
    assert.equal(terminalSafe('\x1b]0;PWNED\x07'), '\\x1b]0;PWNED\\x07');
    assert.equal(terminalSafe('a\r\nb\tc\x00\x7f\u009b\u202e\u2066é☃'), 'a\\x0d\nb\tc\\x00\\x7f\\x9b\\u202e\\u2066é☃');
    assert.equal(terminalSafe('plain text 123'), 'plain text 123');
  });

  it('escapes newline and tab too for one-line text (a table cell)', () => {
    assert.equal(terminalSafe('a\nb\tc', true), 'a\\x0ab\\x09c');
  });

  it('is idempotent: escaped text is safe as it is', () => {
    const once = terminalSafe('\x1b[31mred\x1b[0m');
    assert.equal(terminalSafe(once), once);
  });
});
