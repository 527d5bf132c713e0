// `stacky demo`: a server fed generated traffic, with the console (run: source/commands/demo.ts).
import type {CommandSpec} from '../spec.js';
import {DEMO_SHAPES} from '../../demo/types.js';

export const demoSpec = {
  name: 'demo',
  group: 'server',
  summary: 'Serve generated, realistic OpenStack traffic on a fresh SQLite file and open the console on it.',
  details: ['Several deployments and many hosts; create, resize, snapshot, rebuild and delete flows; exists audits; ' +
    'errors; glance images, cinder volumes, neutron ports. Without a terminal it runs headless.'],
  flags: {
    db: {type: 'string', value: 'PATH', description: 'database file (default: a new file in the temp directory)'},
    port: {type: 'int', value: 'N', description: 'port (default 8000, or a free one when 8000 is taken)'},
    rate: {type: 'int', value: 'N', min: 1, default: 200, description: 'notifications per second'},
    'no-tui': {type: 'boolean', description: 'run headless: print where the server listens and a progress line'},
    write: {type: 'string', value: 'FILE', description: 'write a corpus of JSON Lines to FILE instead, and exit'},
    count: {type: 'int', value: 'N', min: 1, description: 'notifications --write writes (default 100000)'},
    seed: {type: 'int', value: 'N', description: 'generator seed (default: random live, 1 for --write)'},
    shape: {type: 'string', value: 'S', choices: DEMO_SHAPES, description: 'how the notifications travel (default: mixed live, flat for --write):\n' +
      '  flat       StackTach\'s traffic: legacy nova and glance bodies on monitor.*\n' +
      '  enveloped  the flat stream, each body in oslo.messaging\'s 2.0 envelope\n' +
      '  versioned  nova\'s versioned notifications only, enveloped\n' +
      '  mixed      per request flat, enveloped or versioned, plus cinder and neutron events and nova\'s flavor, ' +
      'aggregate, keypair and service events, as a current cloud sends them'},
  },
  examples: ['stacky demo', 'stacky demo --no-tui --rate 2000', 'stacky demo --write corpus.jsonl --count 1000000',
    'stacky demo --write current-cloud.jsonl --count 10000 --shape mixed'],
} as const satisfies CommandSpec;
