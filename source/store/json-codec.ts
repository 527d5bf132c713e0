// Raw notification JSON is compressed with zstd (codec 4, zstd-keyframe-4): the first row about
// an instance (or request) against a dictionary trained on OpenStack notifications, every later
// row against that first row's text, which shares most of its payload. A ~3.7 KB body becomes
// ~300 B on disk, at about a quarter of the CPU of codec 3's keyframe deflate (README, storage).
import {createRequire} from 'node:module';
import type * as Zstd from 'zstd-napi/binding.js';
import {ZSTD_DICTIONARY} from './json-dictionary.js';
import {inflateReferenced, inflateStatic, REFERENCED_2, REFERENCED_3, STATIC_2, STATIC_3} from './json-deflate.js';

// The package's low-level binding is CommonJS and exports a native module: require it.
const zstd = createRequire(import.meta.url)('zstd-napi/binding.js') as typeof Zstd;

// Leading byte of a stored blob. 1–4 are codecs 2 and 3 (json-deflate.ts, still read); 5 and 6 are written now.
const STATIC = 5;
const REFERENCED = 6;
/** A referenced blob: leading byte, the keyframe's row id (6 bytes, little-endian), the frame. */
const HEAD = 7;
// Level 3 for keyframes (a sixth of the rows) is 4% smaller than level 1 at under a µs more;
// level 1 against a keyframe is within 2% of level 3's size at less CPU.
const STATIC_LEVEL = 3;
const REFERENCED_LEVEL = 1;
// Every frame starts with these 4 bytes: they are stripped when stored and put back to decode.
const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

export const CODEC_ID = 'zstd-keyframe-4';
/** Codecs whose rows this version still inflates: a database written by them opens as it is. */
export const READABLE_CODECS: readonly string[] = ['deflate-raw-keyframe-2', 'deflate-raw-keyframe-3', CODEC_ID];

/** A stored row whose JSON text (or its UTF-8 bytes) serves as the dictionary of later rows. */
export interface Keyframe {
  id: number;
  text: string | Uint8Array;
}

const utf8 = (text: string | Uint8Array): Uint8Array => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

// Contexts are made once per thread, on first use (the preparing workers each get their own).
let contexts: {staticCtx: Zstd.CCtx; keyframeCtx: Zstd.CCtx; dctx: Zstd.DCtx; ddict: Zstd.DDict; out: Buffer} | undefined;

function ctx(): NonNullable<typeof contexts> {
  if (contexts) return contexts;
  const staticCtx = new zstd.CCtx();
  staticCtx.loadDictionary(ZSTD_DICTIONARY);
  staticCtx.setParameter(zstd.CParameter.compressionLevel, STATIC_LEVEL);
  // The blob's leading byte names the dictionary: the frame need not carry its id.
  staticCtx.setParameter(zstd.CParameter.dictIDFlag, 0);
  return (contexts = {staticCtx, keyframeCtx: new zstd.CCtx(), dctx: new zstd.DCtx(), ddict: new zstd.DDict(ZSTD_DICTIONARY),
    out: Buffer.allocUnsafe(64 * 1024)});
}

/** Room for the compressed frame of `size` bytes in the shared output buffer. */
function outFor(c: NonNullable<typeof contexts>, size: number): Buffer {
  const need = zstd.compressBound(size);
  if (c.out.length < need) c.out = Buffer.allocUnsafe(need);
  return c.out;
}

/**
 * Compresses a raw row's JSON. With a keyframe (an earlier row of the same instance or request)
 * the row is compressed against that row's text, a raw-content dictionary; keyframes themselves
 * are compressed against the trained dictionary only, so decoding never chains more than one
 * level. The result owns its whole ArrayBuffer, so it can be transferred between threads as it is.
 */
export function encodeJson(text: string | Uint8Array, keyframe?: Keyframe): Uint8Array {
  const data = utf8(text);
  const c = ctx();
  const out = outFor(c, data.length);
  // The stored text always starts with '[', never with zstd's dictionary magic, so a keyframe is
  // taken as raw content.
  const n = keyframe
    ? c.keyframeCtx.compressUsingDict(out, data, utf8(keyframe.text), REFERENCED_LEVEL)
    : c.staticCtx.compress2(out, data);
  const head = keyframe ? HEAD : 1;
  const blob = new Uint8Array(head + n - MAGIC.length);
  blob[0] = keyframe ? REFERENCED : STATIC;
  if (keyframe) Buffer.from(blob.buffer).writeUIntLE(keyframe.id, 1, 6);
  blob.set(out.subarray(MAGIC.length, n), head);
  return blob;
}

/** Writes the keyframe's row id into a referenced blob compressed before that id was known. */
export function setReference(blob: Uint8Array, id: number): void {
  Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).writeUIntLE(id, 1, 6);
}

/** True when a blob's leading byte marks a row stored against a keyframe (any codec). */
export function refersToKeyframe(leadingByte: number): boolean {
  return leadingByte === REFERENCED || leadingByte === REFERENCED_3 || leadingByte === REFERENCED_2;
}

/** The keyframe row a blob refers to, or null when it stands alone. */
export function referenceOf(blob: Uint8Array): number | null {
  return refersToKeyframe(blob[0]!)
    ? Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).readUIntLE(1, 6) : null;
}

/** A stored zstd frame (without its magic) decompressed against a dictionary, as UTF-8. */
function decompress(frame: Buffer, dictionary: Zstd.DDict | Uint8Array): Buffer {
  const c = ctx();
  const whole = Buffer.concat([MAGIC, frame]);
  const size = zstd.getFrameContentSize(whole);
  if (size === null) throw new Error('raw JSON frame without its size');
  const out = Buffer.allocUnsafe(size);
  const n = dictionary instanceof Uint8Array
    ? c.dctx.decompressUsingDict(out, whole, dictionary)
    : c.dctx.decompressUsingDDict(out, whole, dictionary);
  return out.subarray(0, n);
}

/** A standalone blob's text (a keyframe's, or a row without one) as UTF-8; undefined if it is not standalone. */
function decodeStatic(buf: Buffer): Buffer | undefined {
  if (buf[0] === STATIC) return decompress(buf.subarray(1), ctx().ddict);
  if (buf[0] === STATIC_3 || buf[0] === STATIC_2) return inflateStatic(buf);
  return undefined;
}

/** Inflates a row; `loadKeyframe` returns the stored blob of the referenced row of the same table. */
export function decodeJson(blob: Uint8Array, loadKeyframe: (id: number) => Uint8Array | undefined): string {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const alone = decodeStatic(buf);
  if (alone !== undefined) return alone.toString('utf8');
  if (buf[0] !== REFERENCED && buf[0] !== REFERENCED_3 && buf[0] !== REFERENCED_2) {
    throw new Error(`unknown raw JSON encoding ${buf[0]}`);
  }
  const id = buf.readUIntLE(1, 6);
  const ref = loadKeyframe(id);
  // A keyframe of any codec serves: what a row was compressed against is the keyframe's text.
  const refText = ref && decodeStatic(Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength));
  if (refText === undefined) throw new Error(`raw JSON refers to row ${id}, which is missing`);
  if (buf[0] === REFERENCED) return decompress(buf.subarray(HEAD), refText).toString('utf8');
  return inflateReferenced(buf, refText);
}
