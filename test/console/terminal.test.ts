// The alternate screen is entered once and left exactly once, whichever way the console ends.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {enterAlternateScreen} from '../../source/console/terminal.js';

function fakes() {
  const written: string[] = [];
  const out = {isTTY: true, write: (t: string) => written.push(t)};
  const proc = new EventEmitter();
  return {written, out, proc: proc as unknown as Pick<NodeJS.Process, 'once' | 'off'>, emitter: proc};
}

test('alternate screen: entered, then left once on restore', () => {
  const {written, out, proc, emitter} = fakes();
  const restore = enterAlternateScreen(out, proc);
  assert.deepEqual(written, ['\u001B[?1049h']);
  restore();
  restore();
  emitter.emit('exit');
  assert.deepEqual(written, ['\u001B[?1049h', '\u001B[?25h\u001B[?1049l']);
  assert.equal(emitter.listenerCount('exit'), 0);
});

test('alternate screen: left on process exit and before an uncaught exception is reported', () => {
  for (const event of ['exit', 'uncaughtExceptionMonitor']) {
    const {written, out, proc, emitter} = fakes();
    enterAlternateScreen(out, proc);
    emitter.emit(event);
    assert.deepEqual(written, ['\u001B[?1049h', '\u001B[?25h\u001B[?1049l'], event);
  }
});

test('alternate screen: nothing written when the output is not a terminal', () => {
  const {written, proc} = fakes();
  enterAlternateScreen({isTTY: false, write: (t: string) => written.push(t)}, proc)();
  assert.deepEqual(written, []);
});
