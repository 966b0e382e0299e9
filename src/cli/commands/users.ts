// `deskline users …`: the appliance's logins from a root shell (the control socket is the local
// admin): list them, and give one a new random password (the way back in for a lost admin password).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { controlRequest } from '../control-client.ts';
import { UsageError, type Command } from './command.ts';
import { siteHelp, siteOptions, socketFrom } from './site-options.ts';

interface User { username: string; displayName: string; role: string; disabled: boolean; agentId?: string }
interface ServiceError { error?: { code: string; message: string } }

export const usersListCommand: Command = {
  name: 'users list',
  summary: 'list the admin API\'s users (name, role, agent id, disabled)',
  help: `Usage: deskline users list [--json]\n\nOptions:\n      --json   JSON output\n${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    if (positionals.length) throw new UsageError(`deskline users list takes no arguments (got ${positionals.join(' ')})`);
    const { status, body } = await controlRequest<{ items: User[] } & ServiceError>(await socketFrom(values), 'GET', '/api/v1/users?limit=1000');
    if (status !== 200) throw new UsageError(body.error?.message ?? `service answered ${status}`);
    if (values.json) console.log(JSON.stringify(body.items, null, 2));
    else for (const u of body.items) console.log(`${u.username.padEnd(24)} ${u.role.padEnd(11)} ${(u.agentId ?? '').padEnd(12)} ${u.disabled ? 'disabled' : ''}`.trimEnd());
    return 0;
  },
};

export const usersResetPasswordCommand: Command = {
  name: 'users reset-password',
  summary: 'give a user a new random password (printed once) and end their sessions',
  help: `Usage: deskline users reset-password NAME\n\nPrints the new password once; the user's open sessions end. Audited as the local admin.\n${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: siteOptions, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('Usage: deskline users reset-password NAME');
    const name = positionals[0]!;
    const password = `${randomBytes(12).toString('base64url')}-${randomBytes(6).toString('base64url')}`;
    const { status, body } = await controlRequest<User & ServiceError>(await socketFrom(values), 'PATCH', `/api/v1/users/${encodeURIComponent(name)}`, { password, disabled: false });
    if (status !== 200) throw new UsageError(body.error?.message ?? `service answered ${status}`);
    console.log(`new password for ${body.username}: ${password}`);
    return 0;
  },
};
