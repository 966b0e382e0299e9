import test from 'ava';
import { estimateWait } from './wait-estimate.ts';

const steady = [100, 120, 110, 130, 90]; // mean 110 s

test('given enough recent calls, when the caller is 5th with 2 agents, then the estimate is 3 rounds of AHT rounded up to 30 s', (t) => {
  t.deepEqual(estimateWait({ position: 5, staffedAgents: 2, recentHandleSeconds: steady }), { kind: 'about', seconds: 330 });
  t.deepEqual(estimateWait({ position: 1, staffedAgents: 2, recentHandleSeconds: steady }), { kind: 'about', seconds: 120 });
});

test('given fewer than 5 recent calls, when estimating, then it says more than N minutes from the default handle time', (t) => {
  t.deepEqual(estimateWait({ position: 3, staffedAgents: 1, recentHandleSeconds: [60, 60] }), { kind: 'more-than', minutes: 9 });
  t.deepEqual(estimateWait({ position: 1, staffedAgents: 4, recentHandleSeconds: [], defaultHandleSeconds: 40 }), { kind: 'more-than', minutes: 1 });
});

test('given no staffed agent or a wait beyond the cap, when estimating, then it says more than the cap in minutes', (t) => {
  t.deepEqual(estimateWait({ position: 1, staffedAgents: 0, recentHandleSeconds: steady }), { kind: 'more-than', minutes: 10 });
  t.deepEqual(estimateWait({ position: 40, staffedAgents: 2, recentHandleSeconds: steady }), { kind: 'more-than', minutes: 10 });
  t.deepEqual(estimateWait({ position: 12, staffedAgents: 2, recentHandleSeconds: steady, capMinutes: 20 }), { kind: 'about', seconds: 660 });
});
