import test from 'ava';
import { chooseThreshold } from './calibrate.ts';
import { seededRandom } from './softmax-model.ts';

test('given confidences, when the threshold is chosen, then it is the one a pass per threshold would choose', (t) => {
  const random = seededRandom(3);
  for (let round = 0; round < 20; round++) {
    const inScope = Array.from({ length: 200 }, () => ({ confidence: Math.round(random() * 50) / 50, correct: random() < 0.8 }));
    const outOfScope = Array.from({ length: 40 }, () => Math.round(random() * 50) / 50);
    // The definition, one pass over the questions per candidate threshold.
    const candidates = [...new Set([0, ...inScope.map((c) => c.confidence), ...outOfScope])].sort((a, b) => a - b);
    let best = 0, bestScore = -1;
    for (const th of candidates) {
      const score = (inScope.filter((c) => c.correct && c.confidence >= th).length / inScope.length + outOfScope.filter((c) => c < th).length / outOfScope.length) / 2;
      if (score > bestScore) { bestScore = score; best = th; }
    }
    t.deepEqual(chooseThreshold(inScope, outOfScope, 0.05), { threshold: best, thresholdRule: 'balanced-oos-validation' });
  }
});
