// The console's source on a real server. The first watch poll goes out over node:http at once,
// and the client library (axios: 0.1–0.4 s to load) loads once it has answered, so the first
// rows do not wait for it (README "The console", first rows under 500 ms). Every other call,
// and a first poll that does not answer 200 with a watch reply, go through the client, which
// says what went wrong as it always does.
import {request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';
import type {WatchReply} from '../client/types.js';
import {defaultCredentials} from '../client/credentials.js';
import type {ConsoleSource} from './data-source.js';

/** GET `url` as JSON; undefined unless the server answers 200 with JSON. */
function getJson(url: URL, timeoutMs: number): Promise<unknown> {
  const c = defaultCredentials();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(url, {headers: c.token ? {Authorization: `Bearer ${c.token}`} : {}, ...(c.ca ? {ca: c.ca} : {}), timeout: timeoutMs}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', () => resolve(undefined));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(undefined);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

export function clientSource(url: string, timeoutMs = 10_000): ConsoleSource {
  const baseUrl = url.replace(/\/+$/, '');
  let client: Promise<ConsoleSource> | undefined;
  const real = () => (client ??= import('../client/client.js').then(({StackyClient}) => new StackyClient({url, timeoutMs})));
  let first = true;
  const watch: ConsoleSource['watch'] = async (deployment, opts = {}) => {
    if (!first) return (await real()).watch(deployment, opts);
    first = false;
    const u = new URL(`${baseUrl}/stacky/watch/${deployment}/`);
    const params = {service: opts.service ?? 'nova', event_name: opts.eventName, since: opts.since, extra: opts.extra ? '1' : undefined};
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
    const reply = await getJson(u, timeoutMs);
    if (Array.isArray(reply) && Array.isArray(reply[1])) {
      void real().catch(() => undefined);
      return reply as WatchReply;
    }
    return (await real()).watch(deployment, opts);
  };
  return {
    baseUrl,
    watch,
    deployments: () => real().then((s) => s.deployments()),
    events: (...a) => real().then((s) => s.events(...a)),
    hosts: (...a) => real().then((s) => s.hosts(...a)),
    uuid: (...a) => real().then((s) => s.uuid(...a)),
    timingsForUuid: (...a) => real().then((s) => s.timingsForUuid(...a)),
    request: (...a) => real().then((s) => s.request(...a)),
    show: (...a) => real().then((s) => s.show(...a)),
    search: (...a) => real().then((s) => s.search(...a)),
    reports: (...a) => real().then((s) => s.reports(...a)),
    report: (...a) => real().then((s) => s.report(...a)),
    summary: (...a) => real().then((s) => s.summary(...a)),
    kpi: (...a) => real().then((s) => s.kpi(...a)),
  };
}
