// The standalone worker's listener (`stacky worker --listen`): GET /healthz and GET /metrics
// through the same Guard as serve's (tokens, roles, --metrics-open, the bound on requests);
// every other path is 404, since the worker serves no API.
import {createServer, type Server} from 'node:http';
import {pyDumps} from '../core/pyjson.js';
import type {Guard} from './guard.js';

export function createHealthServer(guard: Guard): Server {
  return createServer((req, res) => {
    guard.handle(req, res, async () => {
      const body = Buffer.from(pyDumps([['Error', 'Message'], ['Not Found', 'This worker serves /healthz and /metrics only.']]), 'utf8');
      res.writeHead(404, {'Content-Type': 'application/json', 'Content-Length': body.length});
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
}
