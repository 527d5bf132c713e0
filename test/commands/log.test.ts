// Operator logs: one line per event, JSON or text, levels, and never a secret.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createLogger} from '../../source/commands/log.js';

const at = () => new Date(Date.UTC(2026, 11, 6, 21, 0, 0));

describe('createLogger', () => {
  it('writes one JSON object a line, without secret-named fields', () => {
    const lines: string[] = [];
    const log = createLogger({format: 'json', name: 'stacky serve', write: (l) => lines.push(l), now: at});
    log.info('start', {url: 'http://x', token: 'stk_secret', Authorization: 'Bearer stk_secret', api_password: 'p'});
    assert.deepEqual(lines, ['{"ts":"2026-12-06T21:00:00.000Z","level":"info","name":"stacky serve","event":"start","url":"http://x"}\n']);
  });

  it('writes text on one line, quoting values with spaces or line breaks, and drops lower levels', () => {
    const lines: string[] = [];
    const log = createLogger({format: 'text', level: 'warn', write: (l) => lines.push(l), now: at});
    log.info('hidden');
    log.warn('request refused', {status: 401, path: '/a b', why: 'x\ny'});
    assert.deepEqual(lines, ['2026-12-06T21:00:00.000Z warn  request refused status=401 path="/a b" why="x\\ny"\n']);
  });
});
