// Issue 10's automated-campaign acceptance on the real sandbox Asterisk: a survey campaign of 20
// contacts whose phones are sipp UAS endpoints — ten answer and press 1, 2 or 3, four are busy,
// four never answer, one is on the do-not-call list, one lives where it is night. The clock is
// shifted, never waited on: retries come due when it is moved 10 and 20 minutes on, the night
// contact when it is moved to that contact's morning.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { freeUdpPort } from '../../src/asterisk/free-port.ts';
import type { SipEndpointSpec } from '../../src/asterisk/render-configs.ts';
import type { Contact } from '../../src/campaigns/campaign-types.ts';
import { ShiftedClock } from '../../src/core/clock.ts';
import { tempDir } from '../helpers/appliance.ts';
import { useDeskline } from '../helpers/sandbox.ts';
import { sippScenario } from '../helpers/sipp.ts';
import { until } from '../helpers/campaigns.ts';

// Tuesday 1 December 2026, 10:00 in Shanghai (02:00 UTC): 21:00 on Monday in New York.
const tuesday10amShanghai = Date.parse('2026-12-01T02:00:00Z');
const clock = new ShiftedClock(tuesday10amShanghai);
const MINUTE = 60_000;

type Behaviour = 'dtmf-1' | 'dtmf-2' | 'dtmf-3' | 'busy' | 'no-answer';
const scenarios: Record<Behaviour, string> = {
  'dtmf-1': 'uas-answer-dtmf-1.xml', 'dtmf-2': 'uas-answer-dtmf-2.xml', 'dtmf-3': 'uas-answer-dtmf-3.xml', busy: 'uas-busy.xml', 'no-answer': 'uas-no-answer.xml',
};
const ports = Object.fromEntries(await Promise.all(Object.keys(scenarios).map(async (b) => [b, await freeUdpPort()]))) as Record<Behaviour, number>;

/** 7001–7010 answer (pressing 1, 2, 3 in turn), 7011–7014 busy, 7015–7018 never answer, 7019 DNC, 7020 answers (New York). */
function behaviourOf(n: number): Behaviour {
  if (n <= 10 || n === 20) return `dtmf-${(n % 3) + 1}` as Behaviour;
  return n <= 14 ? 'busy' : 'no-answer';
}
const numbers = Array.from({ length: 20 }, (_, i) => 7001 + i);
// Each number is a PJSIP endpoint of the sandbox whose contact is the sipp phone behaving that way.
const endpoints: SipEndpointSpec[] = numbers.map((n) => ({ name: String(n), context: 'deskline-inbound', codecs: 'ulaw', callerId: `<${n}>`, password: '', contact: `sip:${n}@127.0.0.1:${ports[behaviourOf(n - 7000)]}` }));

const flows = await tempDir('campaign-flows-');
await writeFile(`${flows.path}/survey-visit.yaml`, [
  'id: survey-visit',
  'name: After-visit survey',
  'languages: [en]',
  'defaultLanguage: en',
  'start: ask',
  'variables: { customer: "" }',
  'nodes:',
  '  ask: { kind: gather, prompts: [{ sound: beep }], variable: rating, maxDigits: 1, timeoutSeconds: 10, next: bye, onFailure: bye }',
  '  bye: { kind: hangup }',
  '',
].join('\n'));

const sipps: ChildProcess[] = [];
for (const [behaviour, file] of Object.entries(scenarios) as [Behaviour, string][]) {
  const mediaPort = 42000 + 2 * Math.floor(Math.random() * 8000);
  sipps.push(spawn('sipp', ['-sf', sippScenario(file), '-i', '127.0.0.1', '-p', String(ports[behaviour]), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-nostdin', '-timeout', '900s'], { stdio: 'ignore', cwd: '/tmp' }));
}

const { appliance, sandbox } = useDeskline(test, { site: { id: 'campaigns', timezone: 'Asia/Shanghai' }, ivr: { flowsDir: flows.path } }, { sandbox: { endpoints }, clock });
sandbox.cleanup(async () => {
  for (const sipp of sipps) sipp.kill('SIGKILL');
  await flows.remove();
});

test.serial('given a survey campaign of 20 contacts, when it runs, then outcomes, retries, the DNC number and the calling window are right and the results match what each phone pressed', async (t) => {
  const service = appliance().campaigns.service;
  await service.addDnc([{ number: '7019', reason: 'asked not to be called' }], 'test');
  const campaign = await service.create({
    name: 'After-visit survey', type: 'automated', flowId: 'survey-visit', dial: 'PJSIP/{number}',
    callerId: { number: '4000', name: 'Deskline' },
    schedule: { windows: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '20:00' }]])), holidays: [] },
    pacing: { maxConcurrent: 5, callsPerMinute: 60, ringSeconds: 6 },
    retry: { busy: { afterMinutes: 10, maxAttempts: 2 }, noAnswer: { afterMinutes: 20, maxAttempts: 2 }, failed: { afterMinutes: 5, maxAttempts: 2 } },
  }, 'test');
  await service.addContacts(campaign.id, numbers.map((n) => ({
    id: `n${n}`, number: String(n), name: `Customer ${n}`, fields: { customer: `Customer ${n}` },
    ...(n === 7020 ? { timezone: 'America/New_York' } : {}),
  })), 'test');
  await service.setState(campaign.id, 'start', 'test');
  const contacts = () => new Map(service.contacts(campaign.id).map((c) => [Number(c.number), c]));
  const settled = (c: Contact | undefined) => c !== undefined && c.state !== 'dialing' && c.state !== 'pending';

  // First pass: everyone inside the window is called once.
  await until('first attempts', () => (numbers.filter((n) => n !== 7020).every((n) => settled(contacts().get(n))) ? true : undefined), 120_000);
  let now = contacts();
  for (let n = 7001; n <= 7010; n++) t.like(now.get(n), { state: 'completed' }, `${n} answered`);
  for (let n = 7011; n <= 7018; n++) t.is(now.get(n)!.state, 'retry-wait', `${n} waits for its retry`);
  t.deepEqual(now.get(7011)!.attempts.map((a) => a.outcome), ['busy']);
  t.deepEqual(now.get(7015)!.attempts.map((a) => a.outcome), ['no-answer']);
  t.like(now.get(7019), { state: 'dnc', attempts: [] });
  t.like(now.get(7020), { state: 'pending', attempts: [] }, 'night in New York: not dialed');
  t.true(appliance().campaigns.dialer.maxRinging.get(campaign.id)! <= 5, 'never more than maxConcurrent at once');

  // 10 minutes on: the busy ones are retried (and are busy again: exhausted); the no-answers wait 20.
  clock.advance(10 * MINUTE);
  const movedAt = clock.now();
  await until('busy retries', () => ([7011, 7012, 7013, 7014].every((n) => contacts().get(n)!.state === 'exhausted') ? true : undefined));
  now = contacts();
  const busy = now.get(7011)!;
  t.deepEqual(busy.attempts.map((a) => a.outcome), ['busy', 'busy']);
  t.true(busy.attempts[1]!.startedAt - busy.attempts[0]!.endedAt! >= 10 * MINUTE, 'not before the retry time');
  t.true(busy.attempts[1]!.startedAt < movedAt + 5000, 'and at once when it came due');
  for (let n = 7015; n <= 7018; n++) t.is(now.get(n)!.attempts.length, 1, `${n}: its 20 minutes are not up`);

  clock.advance(10 * MINUTE);
  await until('no-answer retries', () => ([7015, 7016, 7017, 7018].every((n) => contacts().get(n)!.state === 'exhausted') ? true : undefined), 90_000);
  t.deepEqual(contacts().get(7015)!.attempts.map((a) => a.outcome), ['no-answer', 'no-answer']);
  t.like(contacts().get(7020), { state: 'pending' }, 'still night in New York');

  // 12 hours on: 09:00 in New York (22:00 in Shanghai): the last contact is called and the campaign ends.
  clock.advance(12 * 60 * MINUTE);
  await until('campaign completed', () => (service.get(campaign.id).state === 'completed' ? true : undefined));
  now = contacts();
  t.like(now.get(7020), { state: 'completed' });

  // Each answered phone's key press is its survey answer.
  for (const n of [...numbers.slice(0, 10), 7020]) {
    const contact = now.get(n)!;
    const pressed = String(((n - 7000) % 3) + 1);
    t.is(contact.result?.digits, pressed, `${n} pressed ${pressed}`);
    t.like(contact.result?.vars, { rating: pressed, customer: `Customer ${n}` });
  }
  const progress = service.progress(campaign.id);
  t.deepEqual(progress.contacts, { pending: 0, preview: 0, dialing: 0, 'retry-wait': 0, completed: 11, exhausted: 8, dnc: 1 });
  t.like(progress.attempts, { answered: 11, busy: 8, 'no-answer': 8, failed: 0, total: 27 });
  // The DNC number never reached Asterisk: no call record of any attempt to it exists.
  t.is((await appliance().records.list({ caller: '7019', limit: 10 })).length, 0);
  t.is((await appliance().records.list({ caller: '7002', limit: 10 })).length, 1, 'an answered contact has its call record');
  const csv = service.resultsCsv(campaign.id).split(/\r?\n/).filter(Boolean);
  t.is(csv.length, 21);
  t.regex(csv.find((l) => l.startsWith('n7002,'))!, /,completed,1,answered,.*,3,/);
});
