import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { AssistService } from '../knowledge/assist/assist-service.ts';
import { phraseMatcher } from '../knowledge/assist/phrases.ts';
import { assistControlRoutes } from './assist-control-routes.ts';

function setup() {
  const notes: unknown[] = [];
  const assist = new AssistService({ knowledge: { ask: () => ({ outOfScope: true, matches: [] }) }, escalation: phraseMatcher({ en: [], 'zh-CN': [] }), clock: new ManualClock(0), note: (_id, e) => notes.push(e) });
  const app = assistControlRoutes({ assist, isLive: (id) => id === 'c1' });
  const post = (id: string, body: unknown) => app.request(`/calls/${id}/assist`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { app, notes, post };
}

test('given a live call, when the agent opens and marks a suggestion helpful, then both are recorded in the call', async (t) => {
  const { notes, post, app } = setup();
  t.is((await post('c1', { articleId: 'pay-bill', action: 'opened', by: 'alice' })).status, 200);
  t.is((await post('c1', { articleId: 'pay-bill', action: 'helpful', by: 'alice' })).status, 200);
  t.deepEqual(notes, [{ type: 'assist-opened', articleId: 'pay-bill', by: 'alice' }, { type: 'assist-helpful', articleId: 'pay-bill', by: 'alice' }]);
  t.deepEqual(await (await app.request('/calls/c1/assist')).json(), { callId: 'c1', suggestions: [] });
});

test('given bad bodies or an ended call, when posted, then the error names what is wrong and nothing is recorded', async (t) => {
  const { notes, post } = setup();
  const bad = await post('c1', { articleId: 'Bad Id', action: 'liked', by: '' });
  t.is(bad.status, 400);
  const message = ((await bad.json()) as { error: { message: string } }).error.message;
  t.regex(message, /articleId: an article id/);
  t.regex(message, /action: /);
  t.regex(message, /by: /);
  t.is((await post('c1', '{not json')).status, 400);
  t.is((await post('gone', { articleId: 'pay-bill', action: 'opened', by: 'alice' })).status, 404);
  t.deepEqual(notes, []);
});
