import test from 'ava';
import { CallerScriptError, parseCallerScript } from './caller-script.ts';

test('given the documented script, when parsed, then steps come out in order', (t) => {
  t.deepEqual(parseCallerScript('wait 2; dtmf 1; play /tmp/q.wav; wait 0.5; hangup'), [
    { op: 'wait', seconds: 2 }, { op: 'dtmf', digits: '1' }, { op: 'play', file: '/tmp/q.wav' }, { op: 'wait', seconds: 0.5 }, { op: 'hangup' },
  ]);
});

test('given bad steps, when parsed, then the error names the step and what is allowed', (t) => {
  t.throws(() => parseCallerScript('wait two'), { instanceOf: CallerScriptError, message: /step 1 \("wait two"\): wait takes seconds/ });
  t.throws(() => parseCallerScript('wait 1; dtmf x'), { message: /step 2.*dtmf takes/ });
  t.throws(() => parseCallerScript('play a,b'), { message: /play takes a file path/ });
  t.throws(() => parseCallerScript('dance'), { message: /unknown step "dance"/ });
  t.throws(() => parseCallerScript(' ; '), { message: /empty/ });
});

test('fuzz: random text either parses or throws CallerScriptError', (t) => {
  const alphabet = 'waitdmfplyhngu 0123456789#*;,()/.\n';
  let seed = 11;
  for (let i = 0; i < 5000; i++) {
    let text = '';
    const length = (seed = (seed * 48271) % 2147483647) % 40;
    for (let j = 0; j < length; j++) text += alphabet[(seed = (seed * 48271) % 2147483647) % alphabet.length];
    try {
      parseCallerScript(text);
    } catch (error) {
      if (!(error instanceof CallerScriptError)) t.fail(`${JSON.stringify(text)}: ${error}`);
    }
  }
  t.pass();
});
