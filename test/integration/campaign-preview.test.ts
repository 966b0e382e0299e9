// Issue 10's preview (agent-first) campaigns on the sandbox Asterisk: the agent sees the contact
// before anything is dialled; on Call their own phone rings first and the customer is dialled only
// once they answered; Skip puts the contact back; busy and do-not-call numbers end as such.
// Agents are simulated people on Local channels (deskline-sim); customers are sipp phones over
// PJSIP (one answers, one is busy), so the customer leg takes the real SIP path.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { freeUdpPort } from '../../src/asterisk/free-port.ts';
import type { SipEndpointSpec } from '../../src/asterisk/render-configs.ts';
import { sippScenario } from '../helpers/sipp.ts';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { summarizeCall } from '../../src/calls/call-summary.ts';
import { startInProcess, tempDir } from '../helpers/appliance.ts';
import { simAgent, simulate } from '../helpers/queues.ts';
import { useSandbox } from '../helpers/sandbox.ts';
import { allWeek, until } from '../helpers/campaigns.ts';

const ports = { answer: await freeUdpPort(), busy: await freeUdpPort() };
const phones: [string, keyof typeof ports][] = [['7301', 'answer'], ['7302', 'busy'], ['7303', 'answer'], ['7304', 'answer']];
const endpoints: SipEndpointSpec[] = phones.map(([n, kind]) => ({ name: n, context: 'deskline-inbound', codecs: 'ulaw', callerId: `<${n}>`, password: '', contact: `sip:${n}@127.0.0.1:${ports[kind]}` }));
const sipps: ChildProcess[] = (['answer', 'busy'] as const).map((kind, i) => spawn('sipp', [
  '-sf', sippScenario(kind === 'answer' ? 'uas-answer.xml' : 'uas-busy.xml'), '-i', '127.0.0.1', '-p', String(ports[kind]),
  '-mi', '127.0.0.1', '-mp', String(44000 + 2 * Math.floor(Math.random() * 8000) + i * 4), '-nostdin', '-timeout', '900s',
], { stdio: 'ignore', cwd: '/tmp' }));
const sandbox = useSandbox(test, { name: 'campaign-preview', endpoints });
sandbox.cleanup(async () => void sipps.forEach((p) => p.kill('SIGKILL')));


test('given a preview campaign, when agents call or skip the contacts they are shown, then each call rings the agent before the customer and every contact ends right', async (t) => {
  const dir = await tempDir('campaign-preview-');
  sandbox.cleanup(() => dir.remove());
  const deskline = await startInProcess(sandbox(), `${dir.path}/data`, {
    queues: [{ id: 'outbound', strategy: 'longest-idle', ringTimeoutSeconds: 10, recording: 'none' }],
    agents: [simAgent('ann', {}), simAgent('bob', {})],
  });
  sandbox.cleanup(() => deskline.stop());
  for (const agent of ['ann', 'bob']) {
    await simulate(deskline, agent, 'answer,1,6');
    await deskline.queues!.agentAction(agent, 'login');
  }
  const service = deskline.campaigns.service;
  await service.addDnc([{ number: '7304' }], 'test');
  const campaign = await service.create({
    name: 'Win-back', type: 'preview', queueId: 'outbound', dial: 'PJSIP/{number}', callerId: { number: '4000' },
    schedule: { windows: allWeek }, pacing: { maxConcurrent: 4, callsPerMinute: 120, ringSeconds: 10 },
    retry: { busy: { afterMinutes: 30, maxAttempts: 1 } },
  }, 'test');
  await service.addContacts(campaign.id, ['7301', '7302', '7303', '7304'].map((number) => ({ id: `c${number}`, number })), 'test');
  await service.setState(campaign.id, 'start', 'test');

  // Each free agent is shown one contact and held (paused) for it; nothing is dialled yet.
  const shown = await until('both agents shown a contact', () => {
    const ann = service.previewOf('ann');
    const bob = service.previewOf('bob');
    return ann && bob ? { ann, bob } : undefined;
  });
  t.not(shown.ann.contact.id, shown.bob.contact.id);
  const acd = deskline.queues!.snapshot().acd;
  t.like(acd.agents.ann!.status, { kind: 'paused', reason: 'campaign-preview' });
  t.like(acd.agents.bob!.status, { kind: 'paused', reason: 'campaign-preview' });
  t.false((await deskline.telephony.listChannels()).some((c) => c.id.startsWith(`camp-${campaign.id}`)), 'nothing is dialled while agents look');

  // Bob skips his contact once: it goes back to the list, no attempt counted.
  const skippedId = shown.bob.contact.id;
  await service.preview('bob', 'skip', 'bob');
  const afterSkip = service.contacts(campaign.id).find((c) => c.id === skippedId)!;
  t.like(afterSkip, { state: 'retry-wait', skips: 1 });
  t.is(afterSkip.attempts.length, 0);

  // From here the agents call whatever they are shown, until no contact is left to show.
  const placed: string[] = [];
  const skippedAgain = new Set<string>();
  await until('every contact settled', async () => {
    for (const agent of ['ann', 'bob']) {
      const preview = service.previewOf(agent);
      if (!preview) continue;
      const result = await service.preview(agent, 'call', agent).catch(() => undefined);
      if (result?.callId) placed.push(result.callId);
    }
    // The skipped contact is due again only after the no-answer delay: bring it forward for the test.
    if (!skippedAgain.has(skippedId) && service.contacts(campaign.id).filter((c) => c.id !== skippedId).every((c) => ['completed', 'exhausted', 'dnc'].includes(c.state))) {
      skippedAgain.add(skippedId);
      await deskline.campaigns.dialer.put(service.get(campaign.id), [{ ...service.contacts(campaign.id).find((c) => c.id === skippedId)!, nextAt: 0 }]);
    }
    return service.get(campaign.id).state === 'completed' ? true : undefined;
  }, 90_000).catch((error) => {
    t.log(JSON.stringify(service.contacts(campaign.id).map((c) => [c.number, c.state, c.preview, c.attempts])));
    t.log(JSON.stringify(deskline.queues!.snapshot().acd.agents), JSON.stringify(deskline.queues!.snapshot().acd.waiting));
    throw error;
  });

  const contacts = Object.fromEntries(service.contacts(campaign.id).map((c) => [c.number, c]));
  t.like(contacts['7301'], { state: 'completed' });
  t.like(contacts['7303'], { state: 'completed' });
  t.deepEqual(contacts['7301']!.attempts.map((a) => a.outcome), ['answered']);
  t.deepEqual(contacts['7303']!.attempts.map((a) => a.outcome), ['answered']);
  t.like(contacts['7302'], { state: 'exhausted' });
  t.deepEqual(contacts['7302']!.attempts.map((a) => a.outcome), ['busy']);
  t.like(contacts['7304'], { state: 'dnc' });
  t.is(contacts['7304']!.attempts.length, 0, 'a do-not-call number is never dialled');

  // Agent-first, from each answered call's record: the agent answered, then the customer was dialled, then bridged.
  for (const number of ['7301', '7303']) {
    const contact = contacts[number]!;
    const callId = contact.result!.callId;
    const summary: CallSummary = summarizeCall((await deskline.records.get(callId))!, await deskline.records.trail(callId));
    const types = summary.trail.map((e) => e.type);
    t.is(types[0], 'placed', types.join(','));
    const dialling = summary.trail.find((e) => e.type === 'callback-dialling');
    t.truthy(dialling, types.join(','));
    t.true(types.indexOf('callback-dialling') < types.indexOf('answered') && types.indexOf('answered') < types.indexOf('agent-connected'), `${number}: ${types.join(',')}`);
    t.is(dialling!.agentId, contact.result!.reachedAgent, 'the agent who was rung first is the one who talked');
    t.true(['ann', 'bob'].includes(contact.result!.reachedAgent!));
    t.like(summary, { answered: true, outcome: 'completed' });
  }
  t.is(placed.length, 3, `placed: ${placed.join(', ')}`);
  // Agents are free again (no preview pause left behind).
  await until('agents released', () => (['ann', 'bob'].every((a) => deskline.queues!.snapshot().acd.agents[a]!.status.kind !== 'paused') ? true : undefined), 20_000);
  t.pass();
});
