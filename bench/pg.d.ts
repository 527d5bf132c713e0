// The few node-postgres and pg-copy-streams types the peer benchmark uses (bench/peer.ts).
declare module 'pg' {
  namespace pg {
    interface ClientConfig {
      host?: string;
      port?: number;
      user?: string;
      database?: string;
    }
    class Client {
      constructor(config: ClientConfig);
      connect(): Promise<void>;
      query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{rows: R[]}>;
      query<S>(stream: S): S;
      end(): Promise<void>;
    }
    function escapeIdentifier(name: string): string;
  }
  export default pg;
}

declare module 'pg-copy-streams' {
  import type {Writable} from 'node:stream';
  export function from(sql: string): Writable;
}
