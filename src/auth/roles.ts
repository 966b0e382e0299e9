// Who may do what: the one permission matrix. Routes name a permission; roles grant sets of them;
// API tokens carry a subset (scopes). The RBAC test walks every route of the OpenAPI document for
// every role against this table.

export const ROLES = ['admin', 'supervisor', 'agent', 'technician'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'system.read',        // health, version, doctor
  'settings.read', 'settings.write',
  'users.read', 'users.write',
  'tokens.read', 'tokens.write',
  'audit.read',
  'flows.read', 'flows.write',
  'queues.read', 'queues.write',
  'agents.read',
  'agents.state',       // log in/out, pause: an agent only their own
  'calls.read',         // call records, trails, transcripts
  'calls.control',      // transfer, recording start/pause: an agent only on their own call
  'recordings.read',    // metadata
  'recordings.listen',  // audio (every listen is audited)
  'recordings.qa',      // QA: set the scoring criteria, score calls, comment
  'live.monitor',       // listen / whisper / barge on live calls
  'knowledge.read', 'knowledge.write', 'knowledge.publish',
  'assist.use',         // suggestions on one's own calls; opened / helpful
  'alerts.read',        // escalation alerts
  'reports.read',
  'followups.read', 'followups.write',
  'webhooks.read', 'webhooks.write',
  'campaigns.read', 'campaigns.write', // outbound campaigns and the do-not-call list
  'events.subscribe',   // the live event stream (topics filtered by the permissions above)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const all = [...PERMISSIONS];
const grants: Record<Role, readonly Permission[]> = {
  admin: all,
  supervisor: [
    'system.read', 'flows.read', 'queues.read', 'agents.read', 'agents.state', 'calls.read', 'calls.control', 'recordings.read', 'recordings.listen', 'recordings.qa', 'live.monitor',
    'knowledge.read', 'knowledge.write', 'knowledge.publish', 'assist.use', 'alerts.read', 'reports.read', 'followups.read', 'followups.write', 'events.subscribe',
    'campaigns.read', 'campaigns.write',
  ],
  agent: ['queues.read', 'agents.state', 'calls.control', 'knowledge.read', 'assist.use', 'followups.read', 'followups.write', 'events.subscribe'],
  // Technicians provision and watch the box; they never see calls, recordings or people's data.
  technician: ['system.read', 'settings.read', 'settings.write', 'events.subscribe'],
};

const byRole = new Map(ROLES.map((role) => [role, new Set(grants[role])]));

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return byRole.get(role) ?? new Set();
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return permissionsOf(role).has(permission);
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
export const isPermission = (value: unknown): value is Permission => typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
