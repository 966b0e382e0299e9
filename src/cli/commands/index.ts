import { callsListCommand, callsShowCommand } from './calls.ts';
import type { Command } from './command.ts';
import { configDocsCommand } from './config-docs.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';
import { flowsSchemaCommand, flowsSimulateCommand, flowsValidateCommand } from './flows.ts';
import { promptsImportCommand, promptsListCommand } from './prompts.ts';
import { recordingsVerifyCommand } from './recordings.ts';
import { agentsCommand, queuesCommand } from './queues.ts';
import { kbCommands } from './kb.ts';
import { kbAnalyticsCommand } from './kb-analytics.ts';
import { openapiCommand } from './openapi.ts';
import { serveCommand } from './serve.ts';
import { siteValidateCommand } from './site.ts';
import { provisionCommand } from './provision.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { fleetCommands } from './fleet.ts';
import { usersListCommand, usersResetPasswordCommand } from './users.ts';
import { sttTranscribeCommand } from './stt.ts';
import { testCallCommand } from './test-call.ts';

export type { Command };

export const commands: Command[] = [serveCommand, demoCommand, testCallCommand, callsListCommand, callsShowCommand, queuesCommand, agentsCommand, recordingsVerifyCommand, flowsValidateCommand, flowsSimulateCommand, flowsSchemaCommand, promptsListCommand, promptsImportCommand, siteValidateCommand, provisionCommand, doctorCommand, sttTranscribeCommand, ...kbCommands, kbAnalyticsCommand, configDocsCommand, openapiCommand, usersListCommand, usersResetPasswordCommand, backupCommand, restoreCommand, ...fleetCommands];
