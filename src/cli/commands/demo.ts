import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { buildConfig } from '../../config/load.ts';
import type { Command } from './command.ts';
import { runUntilSignal } from './serve.ts';

const demoAgents = [
  { id: 'alice', extension: '1001' },
  { id: 'bob', extension: '1002' },
];

const cacheDir = fileURLToPath(new URL('../../../.cache/', import.meta.url));

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the appliance with a demo site on the sandbox Asterisk',
  help: `Usage: deskline demo [--port N]

Starts the sandbox Asterisk 22 (deploy/sandbox/prepare-root.sh must have run; the README's demo
command does that) and Deskline with a demo site, then prints where to reach it.

Options:
  --port N   admin HTTP port (default 8080; 0 = any free port)`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { port: { type: 'string' } }, strict: true });
    const config = buildConfig(
      {
        site: { id: 'demo', name: 'Deskline demo site', locale: 'en', timezone: 'UTC' },
        asterisk: { sandbox: true },
        http: { port: values.port === undefined ? 8080 : Number(values.port) },
        store: { path: `${cacheDir}demo-data` },
        ivr: {
          flowsDir: fileURLToPath(new URL('../../../ivr-flows/', import.meta.url)),
          routes: [
            { number: '4000', flow: 'customer-service-en' },
            { number: '4001', flow: 'customer-service-zh' },
            { number: '4002', flow: 'minimal' },
            { number: '4003', flow: 'queue-direct' },
            { number: '4004', flow: 'faq-bot' },
          ],
        },
        // The voice FAQ bot's knowledge base: 30 English and 10 Chinese articles of a made-up
        // telecom, published at the first start (later edits are the admins').
        knowledge: { importOnStart: fileURLToPath(new URL('../../../firmware-config/examples/knowledge/demo-kb.json', import.meta.url)) },
        // The flows' support queue, staffed by two simulated agents (phones the sandbox answers).
        queues: [{ id: 'support', name: 'Support', strategy: 'longest-idle', recording: 'all', announceEverySeconds: 45, overflow: { kind: 'flow' } }],
        agents: [
          ...demoAgents.map((a) => ({ id: a.id, endpoint: `Local/${a.id}@deskline-sim/n`, extension: a.extension, skills: { en: 3, zh: 3 } })),
          // A person at a browser: the agent console's softphone (WebRTC through Deskline).
          { id: 'carol', endpoint: 'webrtc', extension: '1003', skills: { en: 3, zh: 3 } },
        ],
        acd: { callbackDial: 'Local/{number}@deskline-sim/n' },
        log: { level: 'info' },
      },
      'demo site',
    );
    return runUntilSignal(config, async (appliance) => {
      const sb = appliance.sandbox!;
      // The demo's admin gets a fresh password at every start, printed below (loopback only).
      const adminPassword = `demo-${randomBytes(9).toString('base64url')}`;
      await appliance.auth.users.update('admin', { password: adminPassword }).catch(async () => appliance.auth.users.create({ username: 'admin', password: adminPassword, role: 'admin' }));
      await appliance.audit.append({ actor: 'system:demo', action: 'users.update', target: 'admin', detail: { passwordChanged: true } });
      // Carol is an agent who works in the browser: log in as her to use the agent console.
      const agentPassword = `agent-${randomBytes(9).toString('base64url')}`;
      await appliance.auth.users.update('carol', { password: agentPassword }).catch(async () => appliance.auth.users.create({ username: 'carol', password: agentPassword, role: 'agent', agentId: 'carol' }));
      await appliance.audit.append({ actor: 'system:demo', action: 'users.update', target: 'carol', detail: { passwordChanged: true } });
      void (async () => {
        for (const agent of demoAgents) {
          // A simulated agent answers after 2 s, says a few words, stays 20 s, then hangs up.
          await appliance.telephony.rest.request('POST', '/asterisk/variable', { variable: `SIM_${agent.id}`, value: 'answer,2,20,demo-congrats' });
          await appliance.queues!.agentAction(agent.id, 'login');
        }
      })().catch((error: Error) => process.stderr.write(`demo agents could not log in: ${error.message}\n`));
      process.stderr.write(
        [
          '',
          '  Deskline demo is running.',
          `  Web UI:         ${appliance.httpUrl}/   login "admin", password ${adminPassword}`,
          `  Agent console:  ${appliance.httpUrl}/agent   login "carol", password ${agentPassword}   (her phone is the page: allow the microphone)`,
          '  Desk phone:     the admin\'s "Desk phone" page calls any number below from the browser',
          `  Admin API:      ${appliance.httpUrl}/api/v1/docs   (the same login)`,
          `  Health:         ${appliance.httpUrl}/healthz`,
          `  Asterisk:       ${sb.version} (sandbox, ARI on ${sb.ariUrl}, loopback only)`,
          `  SIP test phone: sip:4000@127.0.0.1:${sb.sipPort}  user "caller", no password (loopback only)`,
          '  Numbers:        4000 customer service (en), 4001 客户服务 (zh-CN), 4002 minimal flow, 4003 support queue, 4004 voice FAQ bot (ask in English), others: greeting',
          `  Knowledge base: ${JSON.stringify(appliance.knowledge.service.published()?.articles ?? {})} articles published; ask it: DESKLINE_SOCKET=${appliance.controlSocket} node src/cli/deskline.js kb ask "how do I pay my bill"`,
          '  Queue:          "support" (4003, or 4000 → 1 → 2 in office hours), agents alice and bob (simulated phones) and carol (the browser); calls are recorded',
          `  Watch it:       DESKLINE_SOCKET=${appliance.controlSocket} node src/cli/deskline.js queues   (and: agents, calls list)`,
          `  Try a call:     DESKLINE_SOCKET=${appliance.controlSocket} node src/cli/deskline.js test-call --to 4002 --script "wait 3; dtmf 2; wait 2; dtmf 42#; wait 6; hangup"`,
          '  Stop with Ctrl-C.',
          '',
        ].join('\n'),
      );
    });
  },
};
