import {test} from 'node:test';
import assert from 'node:assert/strict';
import {isRequestIdLike, isUuidLike} from '../../source/core/ids.js';

test('uuid-like (docs/api.md §5.4)', () => {
  assert.equal(isUuidLike('2222bbbb-6352-4dbc-8271-96cc54bf14cd'), true);
  assert.equal(isUuidLike('08f685d963524dbc827196cc54bf14cd'), true);
  assert.equal(isUuidLike('$-^&#$'), false);
});

test('uuid-like rejects non-canonical spellings (docs/api.md §1.11)', () => {
  for (const bad of [
    '2222BBBB-6352-4dbc-8271-96cc54bf14cd', '{2222bbbb-6352-4dbc-8271-96cc54bf14cd}',
    'urn:uuid:2222bbbb-6352-4dbc-8271-96cc54bf14cd', '2222bbbb6352-4dbc-8271-96cc54bf14cd-', '',
    '2222bbbb-6352-4dbc-8271-96cc54bf14cd\n', 'obviouslybaduuid',
  ]) assert.equal(isUuidLike(bad), false, bad);
});

test('request-id-like (docs/api.md §5.4 and §1.11)', () => {
  assert.equal(isRequestIdLike('4444dddd-29a2-43f2-9ba1-ccb3e53ab6c8'), true);
  assert.equal(isRequestIdLike('req-8888bbbb-9e47-4b27-a95e-27996cc40c06'), true);
  assert.equal(isRequestIdLike('req-8888bbbb9e474b27a95e27996cc40c06'), true);
  assert.equal(isRequestIdLike('req-$-^&#$'), false);
  assert.equal(isRequestIdLike('$-^&#$'), false);
  assert.equal(isRequestIdLike('REQ-8888bbbb-9e47-4b27-a95e-27996cc40c06'), false);
  assert.equal(isRequestIdLike('req-req-8888bbbb-9e47-4b27-a95e-27996cc40c06'), false);
});
