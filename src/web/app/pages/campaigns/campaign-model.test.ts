// The campaigns page's pure parts: the form's draft turned into the API's input (checked against
// the server's own schema, so the form and the API cannot drift apart), calling windows typed as
// text, the API's field and row problems, and which buttons each state offers.
import test from 'ava';
import { campaignInputSchema } from '../../../../campaigns/campaign-schemas.ts';
import { ApiError } from '../../api.ts';
import { actionsFor, draftOf, errorsUnder, fieldErrors, inputOf, parseWindows, rowProblems, type Campaign } from './campaign-model.ts';

const filled = () => ({ ...draftOf(undefined), name: 'Survey', flowId: 'survey-visit', callerNumber: '4000', callerName: 'Deskline' });

test('given a new campaign\'s default draft with a name, flow and caller ID, when turned into input, then the server\'s schema accepts it as it is', (t) => {
  const parsed = campaignInputSchema.safeParse(inputOf(filled()));
  t.true(parsed.success, JSON.stringify(parsed.error?.issues));
  t.deepEqual(parsed.data?.schedule.windows.mon, [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }]);
  t.is(parsed.data?.schedule.windows.sat, undefined, 'an empty day is not called');
  t.deepEqual(parsed.data?.retry.busy, { afterMinutes: 10, maxAttempts: 3 });
});

test('given a saved campaign, when it is drafted and turned back into input, then nothing changes', (t) => {
  const input = campaignInputSchema.parse({ ...inputOf(filled()), type: 'progressive', queueId: 'sales', timezone: 'Asia/Shanghai', schedule: { windows: { sun: [{ from: '00:00', to: '00:01' }] }, holidays: ['2026-10-01'] }, pacing: { maxConcurrent: 2, callsPerMinute: 7, overdialRatio: 0.5, ringSeconds: 20 } });
  const campaign: Campaign = { ...input, id: 'c1', state: 'draft', revision: 3, createdAt: 1, updatedAt: 2 } as Campaign;
  t.deepEqual(campaignInputSchema.parse(inputOf(draftOf(campaign))), input);
});

test('given an automated campaign with a queue picked earlier, when turned into input, then no queue is sent', (t) => {
  t.false('queueId' in inputOf({ ...filled(), type: 'automated', queueId: 'sales' }));
});

test('given windows typed with Chinese commas or a typo, when parsed, then good ranges are read and a typo reaches the API, which names the field', (t) => {
  t.deepEqual(parseWindows('09:00-12:00，14:00~18:00'), [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }]);
  const parsed = campaignInputSchema.safeParse(inputOf({ ...filled(), windows: { ...filled().windows, tue: '9am' } }));
  t.false(parsed.success);
  const error = new ApiError(400, 'CAMPAIGN_INVALID', 'bad', parsed.error!.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
  t.truthy(errorsUnder(fieldErrors(error), 'schedule.windows.tue'));
  t.is(errorsUnder(fieldErrors(error), 'schedule.windows.mon'), undefined);
});

test('given an empty or unreadable pacing number, when turned into input, then empty takes the default and text is sent for the API to refuse', (t) => {
  const draft = filled();
  const parsed = campaignInputSchema.parse(inputOf({ ...draft, pacing: { ...draft.pacing, maxConcurrent: '' } }));
  t.is(parsed.pacing.maxConcurrent, 5);
  const refused = campaignInputSchema.safeParse(inputOf({ ...draft, pacing: { ...draft.pacing, callsPerMinute: 'fast' } }));
  t.deepEqual(refused.error?.issues.map((i) => i.path.join('.')), ['pacing.callsPerMinute']);
});

test('given a refused CSV upload, when its details are read, then every row problem is listed', (t) => {
  const error = new ApiError(400, 'CAMPAIGN_CONTACTS_INVALID', '1 problem(s)', [{ row: 3, field: 'number', message: 'digits, optionally after a +' }]);
  t.deepEqual(rowProblems(error), [{ row: 3, field: 'number', message: 'digits, optionally after a +' }]);
  t.deepEqual(rowProblems(new Error('network')), []);
});

test('given each state, then the buttons are the ones the API allows', (t) => {
  t.deepEqual(actionsFor('draft'), ['start', 'stop']);
  t.deepEqual(actionsFor('running'), ['pause', 'stop']);
  t.deepEqual(actionsFor('paused'), ['resume', 'stop']);
  t.deepEqual(actionsFor('stopped'), []);
  t.deepEqual(actionsFor('completed'), []);
});
