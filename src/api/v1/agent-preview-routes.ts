// Preview campaigns at the agent's desk: POST /agents/{id}/preview/{action} with call (the call is
// placed for the agent: their phone rings first, then the customer is dialled) or skip (the
// contact goes back to the list). What the agent sees comes with GET /agents/{id}/console.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { CampaignService } from '../../campaigns/campaign-service.ts';
import type { ApiEnv } from './api-env.ts';
import { ApiError } from './api-error.ts';
import { json, notFound } from './schemas.ts';
import { secured } from './secured.ts';

const Params = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }),
  action: z.enum(['call', 'skip']).openapi({ param: { name: 'action', in: 'path' } }),
});

export function agentPreviewRoutes(deps: { campaigns: () => CampaignService }) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('agents.state', createRoute({
    method: 'post', path: '/agents/{id}/preview/{action}', tags: ['agents', 'campaigns'],
    summary: 'Call or skip the contact a preview campaign shows the agent (agents: only their own)',
    request: { params: Params },
    responses: {
      200: json(z.object({ callId: z.string().optional(), dnc: z.boolean().optional() }), 'Placed (callId), skipped, or not called: the number is on the do-not-call list (dnc)'),
      409: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'The campaign is not running'),
      ...notFound,
    },
  })), async (c) => {
    const { id, action } = c.req.valid('param');
    const p = c.get('principal');
    if (p.agentId !== id && !p.permissions.has('campaigns.write')) throw new ApiError(403, 'FORBIDDEN', `you can act only on your own preview (agent ${p.agentId ?? 'none'})`);
    return c.json(await deps.campaigns().preview(id, action, p.username), 200);
  });
  return app;
}
