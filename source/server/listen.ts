// Listening, for serve and for the worker's --listen: resolves with the URL the server answers
// at once it accepts connections, rejects when it cannot listen (EADDRINUSE, EACCES, …).
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';

export function listenAt(server: Server, port: number, host: string, scheme: 'http' | 'https' = 'http'): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      // Port 0 picks a free one: the URL names the one picked.
      const picked = (server.address() as AddressInfo).port;
      resolve(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${picked}`);
    });
  });
}
