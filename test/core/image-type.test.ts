import {test} from 'node:test';
import assert from 'node:assert/strict';
import {IMPORT_IMAGE, LINUX, SNAPSHOT_IMAGE, WINDOWS, imageTypeBits} from '../../source/core/image-type.js';

test('base ubuntu linux is 0x111 = 273', () => {
  assert.equal(imageTypeBits({image_meta: {image_type: 'base', os_type: 'linux', os_distro: 'ubuntu'}}), 273);
});

test('each value sets its bit', () => {
  const bits = (meta: Record<string, unknown>) => imageTypeBits({image_meta: meta});
  assert.equal(bits({image_type: 'snapshot'}), SNAPSHOT_IMAGE);
  assert.equal(bits({image_type: 'import'}), IMPORT_IMAGE);
  assert.equal(bits({os_type: 'windows'}), WINDOWS);
  assert.equal(bits({os_type: 'freebsd'}), 0x40);
  assert.equal(bits({os_distro: 'debian'}), 0x200);
  assert.equal(bits({os_distro: 'centos'}), 0x400);
  assert.equal(bits({os_distro: 'rhel'}), 0x800);
});

test('matches are exact and case-sensitive', () => {
  assert.equal(imageTypeBits({image_meta: {image_type: 'Base', os_type: 'Linux', os_distro: 'ubuntu '}}), 0);
  assert.equal(imageTypeBits({image_meta: {os_type: 'toString'}}), 0);
});

test('os_type falls back to the payload only when image_meta lacks the key', () => {
  assert.equal(imageTypeBits({os_type: 'linux'}), LINUX);
  assert.equal(imageTypeBits({os_type: 'linux', image_meta: {}}), LINUX);
  assert.equal(imageTypeBits({os_type: 'linux', image_meta: {os_type: null}}), 0);
  assert.equal(imageTypeBits({os_type: 'linux', image_meta: {os_type: 'windows'}}), WINDOWS);
});

test('a non-object image_meta counts as empty', () => {
  assert.equal(imageTypeBits({image_meta: null, os_type: 'linux'}), LINUX);
});
