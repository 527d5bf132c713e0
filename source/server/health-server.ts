// The standalone worker's listener (`stacky worker --listen`): GET /healthz and GET /metrics
// through the same Guard as serve's (tokens, roles, --metrics-open, the bound on requests);
// every other path is 404, since the worker serves no API.
import {createServer, type Server} from 'node:http';
import type {Guard} from './guard.js';
import {errorTable, notFound} from './http-error.js';
import {sendJson} from './respond.js';

export function createHealthServer(guard: Guard): Server {
  return createServer((req, res) => {
    guard.handle(req, res, async () => sendJson(res, 404, errorTable(notFound('This worker serves /healthz and /metrics only.'))));
  });
}
