import test from 'ava';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createLogger, logFileOf, rotateLogFile } from './logger.ts';

test('given a log file, when rotated past keep, then file.1 … file.N hold the older lines and the file starts again', async (t) => {
  const dir = await mkdtemp(`${tmpdir()}/log-`);
  const logger = createLogger('info', { file: `${dir}/deskline.log`, keep: 2 });
  t.is(logFileOf(logger), `${dir}/deskline.log`);
  for (const n of [1, 2, 3]) {
    logger.info({ n }, 'line');
    await rotateLogFile(logger);
  }
  logger.info({ n: 4 }, 'line');
  await new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));
  t.deepEqual((await readdir(dir)).sort(), ['deskline.log', 'deskline.log.1', 'deskline.log.2']);
  const n = async (name: string) => (await readFile(`${dir}/${name}`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).n);
  t.deepEqual(await n('deskline.log'), [4]);
  t.deepEqual(await n('deskline.log.1'), [3]);
  t.deepEqual(await n('deskline.log.2'), [2]);
});

test('given logging to stdout, when rotated, then nothing happens', async (t) => {
  t.is(await rotateLogFile(createLogger('silent')), undefined);
});
