// oslo.messaging's 2.0 envelope: what opens, and what is refused with a reason naming it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {EnvelopeError, looksEnveloped, unwrapEnvelope} from '../../source/core/envelope.js';

const inner = {event_type: 'instance.create.start', publisher_id: 'nova-compute:c-01', payload: {}};
const text = JSON.stringify(inner);

test('a 2.0 envelope opens to the notification and its text as sent', () => {
  assert.deepEqual(unwrapEnvelope({'oslo.version': '2.0', 'oslo.message': text}), {body: inner, text});
});

test('a newer minor version and extra keys beside the two are accepted, as oslo.messaging does', () => {
  assert.deepEqual(unwrapEnvelope({'oslo.version': '2.1', 'oslo.message': text, extra: 1}), {body: inner, text});
});

test('anything that is not an envelope passes through untouched', () => {
  for (const value of [inner, [1, 2], 'text', 5, null]) assert.deepEqual(unwrapEnvelope(value), {body: value});
  assert.equal(looksEnveloped(inner), false);
  assert.equal(looksEnveloped({'oslo.message': text}), true);
});

test('broken envelopes are refused with a reason that names the envelope', () => {
  const cases: [unknown, string][] = [
    [{'oslo.version': '1.0', 'oslo.message': text}, 'oslo.messaging envelope version "1.0" is not 2.x'],
    [{'oslo.version': 2, 'oslo.message': text}, 'oslo.messaging envelope version 2 is not 2.x'],
    [{'oslo.message': text}, 'oslo.messaging envelope without oslo.version'],
    [{'oslo.version': '2.0'}, 'oslo.messaging envelope without oslo.message'],
    [{'oslo.version': '2.0', 'oslo.message': inner}, 'oslo.messaging envelope: oslo.message is not a string of JSON'],
    [{'oslo.version': '2.0', 'oslo.message': '{"event_type": '},
      'oslo.messaging envelope: oslo.message is not JSON: Unexpected end of JSON input'],
    [{'oslo.version': '2.0', 'oslo.message': JSON.stringify({'oslo.version': '2.0', 'oslo.message': text})},
      'oslo.messaging envelope inside an envelope'],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => unwrapEnvelope(value), (e: Error) => e instanceof EnvelopeError && e.message === message, message);
  }
});
