// What the client sends a server that wants more than a URL: a bearer token and the CA that
// signed its TLS certificate. commands/ reads them (flags, STACKY_TOKEN, STACKY_CA, the saved
// config) and sets them here once; every StackyClient made afterwards uses them, so the
// console, which builds its own client, gets them too.
export interface Credentials {
  token?: string;
  /** PEM text of the CA certificate(s) to trust for https:// URLs. */
  ca?: string | Buffer;
}

let defaults: Credentials = {};

export function setDefaultCredentials(c: Credentials): void {
  defaults = {...c};
}

export function defaultCredentials(): Credentials {
  return defaults;
}
