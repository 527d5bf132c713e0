// What every print handler gets: the parsed arguments, the settings, a client and the output.
import type {StackyClient} from '../../client/client.js';
import type {Settings} from '../settings.js';
import type {PrintArgs} from './args.js';
import type {Output} from './output.js';

export interface PrintContext {
  args: PrintArgs;
  settings: Settings;
  client: StackyClient;
  out: Output;
  /** Resolves when the user asks to stop (Ctrl-C); only watch waits on it. */
  stopped: Promise<void>;
}

export type Handler = (ctx: PrintContext) => Promise<number>;
