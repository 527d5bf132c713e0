// The console's source on a real server: the client itself (source/client/client.ts). It loads
// in milliseconds (node:http, no HTTP library), so the first watch poll goes out at once and the
// first rows do not wait for anything but the server (README "The console", first rows).
import {StackyClient} from '../client/client.js';
import type {ConsoleSource} from './data-source.js';

export function clientSource(url: string, timeoutMs = 10_000): ConsoleSource {
  return new StackyClient({url, timeoutMs});
}
