import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Value } from '../../ivr/expression/index.ts';
import { memoryLookup, readFlowFile, readPromptCatalog } from '../../ivr/flow-files.ts';
import { pathText, type FlowDocument } from '../../ivr/flow-types.ts';
import { simulateFlow, type SimulationScript } from '../../ivr/simulate.ts';
import { flowJsonSchema, validateFlow } from '../../ivr/validator.ts';
import { UsageError, type Command } from './command.ts';

async function catalogOption(dir: string | undefined) {
  const catalog = await readPromptCatalog(dir);
  return (language: string, id: string) => catalog.get(language as never)?.has(id) ?? false;
}

/** Every flow document in a folder (for sub-flow references). */
async function flowsIn(dir: string): Promise<FlowDocument[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json'));
  const docs: FlowDocument[] = [];
  for (const file of files) {
    const raw = await readFlowFile(join(dir, file)).catch(() => undefined);
    const checked = raw === undefined ? undefined : validateFlow(raw, { hasFlow: () => true });
    if (checked?.flow) docs.push(checked.flow);
  }
  return docs;
}

export const flowsValidateCommand: Command = {
  name: 'flows validate',
  summary: 'check IVR flow files; prints file:path: message for each problem',
  help: `Usage: deskline flows validate FILE... [--prompts DIR] [--quiet-warnings]

Checks each flow: shape of every node, targets, reachability, loops that never wait for the
caller, expressions, patterns, business hours, and that every library prompt exists for every
language the flow offers. Exit code 1 when any file has errors.

Options:
      --prompts DIR       prompt catalog (<language>.yaml files); default ivr-flows/prompts
      --quiet-warnings    print errors only`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { prompts: { type: 'string' }, 'quiet-warnings': { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    if (positionals.length === 0) throw new UsageError('give one or more flow files');
    const hasPrompt = await catalogOption(values.prompts);
    let errors = 0;
    for (const file of positionals) {
      let raw: unknown;
      try {
        raw = await readFlowFile(file);
      } catch (error) {
        console.log((error as Error).message);
        errors++;
        continue;
      }
      const siblings = new Set((await flowsIn(dirname(file))).map((f) => f.id));
      const result = validateFlow(raw, { hasPrompt, hasFlow: (id) => siblings.has(id) });
      for (const p of result.problems) {
        if (p.severity === 'warning' && values['quiet-warnings']) continue;
        console.log(`${file}:${pathText(p.path)}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`);
      }
      errors += result.errors.length;
      if (result.errors.length === 0) console.error(`${file}: ok${result.warnings.length ? ` (${result.warnings.length} warning(s))` : ''}`);
    }
    return errors ? 1 : 0;
  },
};

export const flowsSimulateCommand: Command = {
  name: 'flows simulate',
  summary: 'run a flow against a scripted caller without Asterisk; prints the path taken',
  help: `Usage: deskline flows simulate FILE [--digits 1,#,2] [--say "text"]... [--at TIME] [--var k=v]... [--json]

Runs the same interpreter as real calls, on a virtual clock. Each --digits entry answers one
question (keys pressed in a row, e.g. 1234#; "-" stays silent). Prints the nodes visited, the
prompts played, and the variables at the end.

Options:
      --digits LIST       comma-separated answers, e.g. 1,-,12345678#
      --say TEXT          an answer to a speech question (repeatable)
      --at TIME           the instant the call starts (ISO 8601, e.g. 2026-12-25T10:00+08:00); default now
      --timezone ZONE     site time zone for now.* in expressions (default UTC)
      --var k=v           preset a variable (repeatable)
      --caller NUMBER     caller number (default 5550100)
      --queue WHAT        what queues do: answered (default), overflow, wait (keys go to the queue node), unavailable
      --http-status N     answer every HTTP node with this status instead of calling out
      --http-body JSON    ... and this body (default {})
      --json              full result as JSON`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        digits: { type: 'string', default: '' }, say: { type: 'string', multiple: true, default: [] }, at: { type: 'string' }, timezone: { type: 'string', default: 'UTC' },
        var: { type: 'string', multiple: true, default: [] }, caller: { type: 'string' }, queue: { type: 'string', default: 'answered' }, 'http-status': { type: 'string' }, 'http-body': { type: 'string' }, json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const file = positionals[0];
    if (!file) throw new UsageError('give a flow file');
    const at = values.at === undefined ? Date.now() : Date.parse(values.at);
    if (!Number.isFinite(at)) throw new UsageError(`--at ${JSON.stringify(values.at)}: not a date/time`);
    const vars: Record<string, Value> = {};
    for (const pair of values.var) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new UsageError(`--var ${JSON.stringify(pair)}: use name=value`);
      vars[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    let http: SimulationScript['http'] = { mode: 'live' };
    if (values['http-status'] !== undefined) {
      let body: unknown = {};
      try {
        body = values['http-body'] === undefined ? {} : JSON.parse(values['http-body']);
      } catch {
        throw new UsageError('--http-body is not JSON');
      }
      http = { mode: 'fixed', status: Number(values['http-status']), body };
    }
    const queueModes = ['answered', 'overflow', 'wait', 'unavailable'] as const;
    const queue = queueModes.find((m) => m === values.queue);
    if (!queue) throw new UsageError(`--queue ${JSON.stringify(values.queue)}: one of ${queueModes.join(', ')}`);
    const raw = await readFlowFile(file);
    const others = await flowsIn(dirname(file));
    const checked = validateFlow(raw, { hasFlow: (id) => others.some((f) => f.id === id) });
    if (!checked.flow) {
      for (const p of checked.errors) console.error(`${file}:${pathText(p.path)}: ${p.message}`);
      return 1;
    }
    const flows = memoryLookup([checked.flow, ...others.filter((f) => f.id !== checked.flow!.id)]);
    const result = await simulateFlow(flows, checked.flow, 1, {
      digits: values.digits ? values.digits.split(',') : [], say: values.say, at, vars, callerNumber: values.caller, timezone: values.timezone, http, queue,
    });
    if (values.json) {
      console.log(JSON.stringify(result, null, 2));
      return 0;
    }
    console.log(`path:    ${result.path.join(' → ')}`);
    console.log('prompts:');
    for (const p of result.prompts) console.log(`  [${p.node}] (${p.language}) ${p.prompts.map((r) => ('prompt' in r ? r.prompt : 'tts' in r ? `tts "${r.tts}"` : 'say' in r ? `say ${r.say} ${r.value}` : `sound ${r.sound}`)).join(', ')}`);
    console.log(`vars:    ${JSON.stringify(result.vars)}`);
    console.log(`outcome: ${result.outcome}`);
    return 0;
  },
};

export const flowsSchemaCommand: Command = {
  name: 'flows schema',
  summary: 'print the JSON Schema of flow documents',
  help: 'Usage: deskline flows schema\n\nPrints the JSON Schema (draft 2020-12) of IVR flow documents (also in ivr-flows/flow.schema.json).',
  async run() {
    console.log(JSON.stringify(flowJsonSchema(), null, 2));
    return 0;
  },
};
