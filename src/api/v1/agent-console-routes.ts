// GET /agents/{id}/console: what the agent console needs on (re)load: the agent's state and, while
// a call rings or is connected, its screen pop (src/calls/screen-pop.ts). An agent reads only
// their own; supervisors (agents.read) anyone's. Live changes then come over GET /events.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { CallRecords } from '../../calls/call-records.ts';
import { screenPop } from '../../calls/screen-pop.ts';
import type { Agent } from '../../queue/queue-types.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { json, notFound } from './schemas.ts';
import { secured } from './secured.ts';

export interface AgentConsoleDeps {
  /** The agent as the ACD knows them; undefined for one who never logged in. */
  agent: (agentId: string) => Agent | undefined;
  configured: (agentId: string) => boolean;
  records: Pick<CallRecords, 'get' | 'trail'>;
  /** The contact a preview campaign shows this agent, if any. */
  preview?: (agentId: string) => unknown;
}

const IdParam = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const Preview = z.record(z.string(), z.unknown()).openapi('AgentPreview', { description: 'campaign {id, name, autoDialSeconds}, contact {id, number, name, fields, attempts, …}, autoDialAt (ms) when the call will be placed by itself' });
const ScreenPop = z.record(z.string(), z.unknown()).openapi('ScreenPop', { description: 'Caller, repeat-caller flag and recent calls, IVR path, inputs and variables, the FAQ bot\'s turns and handoff' });

export function agentConsoleRoutes(deps: AgentConsoleDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('agents.state', createRoute({
    method: 'get', path: '/agents/{id}/console', tags: ['agents'], summary: 'An agent\'s state and current call\'s screen pop (agents: only themselves)',
    request: { params: IdParam },
    responses: { 200: json(z.object({ agent: z.object({ id: z.string(), state: z.string(), since: z.number(), reason: z.string().optional(), callId: z.string().optional() }), call: ScreenPop.nullable(), preview: Preview.nullable() }), 'The agent, their call, and the contact a preview campaign shows them'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const p = c.get('principal');
    if (!p.permissions.has('agents.read') && p.agentId !== id) throw new ApiError(403, 'FORBIDDEN', `you can read only your own console (agent ${p.agentId ?? 'none'})`);
    if (!deps.configured(id)) throw new ApiError(404, 'AGENT_UNKNOWN', `agent ${id} is not configured on this site`);
    const agent = deps.agent(id);
    const status = agent?.status ?? { kind: 'logged-out' as const };
    const callId = 'callId' in status ? status.callId : undefined;
    const state = callId ? await deps.records.get(callId) : undefined;
    const call = state && callId ? screenPop(state, await deps.records.trail(callId)) : null;
    return c.json({
      agent: { id, state: status.kind, since: agent?.stateSince ?? 0, ...('reason' in status ? { reason: status.reason } : {}), ...(callId ? { callId } : {}) },
      call: call as unknown as Record<string, unknown> | null,
      preview: (deps.preview?.(id) as Record<string, unknown> | undefined) ?? null,
    }, 200);
  });
  return app;
}
