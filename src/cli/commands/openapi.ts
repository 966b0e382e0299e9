import { readFileSync } from 'node:fs';
import { fullOpenApiDocument } from '../../api/v1/openapi-document.ts';
import { UsageError, type Command } from './command.ts';

export const openapiCommand: Command = {
  name: 'openapi',
  summary: 'print the admin API\'s OpenAPI 3.1 document (JSON), for client generators',
  help: 'Usage: deskline openapi\n\nPrints the OpenAPI document of /api/v1 (the same as GET /api/v1/openapi.json) without a running service.',
  async run(argv) {
    if (argv.length) throw new UsageError(`deskline openapi takes no arguments (got ${argv.join(' ')})`);
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(JSON.stringify(fullOpenApiDocument(version), null, 2));
    return 0;
  },
};
