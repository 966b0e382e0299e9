// Feature codes dialled from an agent's phone (*50 log in, *51 log out, *52 pause, *53 end the
// pause). The agent is known by the number their phone calls from; the answer is a short sound.
import type { AcdSettings } from './queue-config.ts';
import { QueueError, type QueueService } from './queue-service.ts';

export function agentFeatures(queues: QueueService, codes: AcdSettings['featureCodes']) {
  const actions = new Map<string, 'login' | 'logout' | 'pause' | 'unpause'>([
    [codes.login, 'login'],
    [codes.logout, 'logout'],
    [codes.pause, 'pause'],
    [codes.unpause, 'unpause'],
  ]);
  const sounds = { login: 'sound:agent-loginok', logout: 'sound:agent-loggedoff', pause: 'sound:beep', unpause: 'sound:beep' } as const;
  return {
    recognises: (dialed: string) => actions.has(dialed),
    async perform(code: string, caller: { number: string }): Promise<{ ok: boolean; detail: string; media: string[] }> {
      const action = actions.get(code)!;
      const agent = queues.agentByExtension(caller.number);
      if (!agent) return { ok: false, detail: `${caller.number || 'an unknown number'} is not an agent's phone`, media: ['sound:agent-incorrect'] };
      try {
        const after = await queues.agentAction(agent.id, action, 'phone');
        return { ok: true, detail: `agent ${agent.id}: ${action} → ${after.status.kind}`, media: [sounds[action]] };
      } catch (error) {
        if (error instanceof QueueError) return { ok: false, detail: error.message, media: ['sound:beeperr'] };
        throw error;
      }
    },
  };
}
