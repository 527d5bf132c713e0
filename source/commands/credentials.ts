// The token and CA of the settings, as the client takes them (the CA file read here, once).
import {readFileSync} from 'node:fs';
import type {Credentials} from '../client/credentials.js';
import type {Settings} from './settings.js';

export function credentialsOf(settings: Settings): Credentials {
  let ca: Buffer | undefined;
  if (settings.ca) {
    try {
      ca = readFileSync(settings.ca);
    } catch (error) {
      throw new Error(`cannot read the CA file ${settings.ca}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        {cause: error});
    }
  }
  return {...(settings.token ? {token: settings.token} : {}), ...(ca ? {ca} : {})};
}
