// The interpreter's toolbox for node kinds. A Runtime collects effects and trail entries for one
// step; it never performs IO. Node kinds call rt.play, rt.goto, rt.http… and the interpreter
// returns what they asked for.
import { compileExpression, compileTemplate, type CompiledExpression, type CompiledTemplate, type Value } from './expression/index.ts';
import { localTime } from './business-hours.ts';
import type { FlowDocument, FlowNodeAny, Language, PromptRef } from './flow-types.ts';
import type { CallFacts, IvrEffect, IvrEvent, IvrState, IvrTrail } from './ivr-types.ts';
import type { Problem } from './flow-types.ts';
import type { z } from 'zod';

export interface CheckContext {
  flow: FlowDocument;
  /** Is this prompt id in the library for that language? */
  hasPrompt(language: Language, id: string): boolean;
  /** Is there a flow with this id (for sub-flow calls)? */
  hasFlow(id: string): boolean;
}

export interface NodeKind<N extends FlowNodeAny = FlowNodeAny> {
  kind: string;
  /** Shape of the node (zod); the factory validates every node against it. */
  schema: z.ZodType;
  /** Outgoing edges: [path of the field inside the node, target node id]. */
  edges(node: N): [(string | number)[], string][];
  /** Entering this node waits for the caller or the outside world (so a loop through it is not infinite). */
  waits(node: N): boolean;
  /** Semantic checks beyond the shape: expressions, regexes, prompts. */
  check?(node: N, ctx: CheckContext, path: (string | number)[]): Problem[];
  enter(node: N, rt: Runtime): void;
  on?(node: N, rt: Runtime, event: IvrEvent): void;
}

export interface FlowLookup {
  /** A published version of a flow (compiled); undefined when absent. */
  get(flowId: string, version: number): FlowDocument | undefined;
  /** The version new calls (and sub-flow calls) use now. */
  current(flowId: string): number | undefined;
}

/** How many node entries without caller input or a wait count as a runaway loop. */
export const maxHops = 50;

/** Compiled sources, shared by the validator and every call: each text is parsed once (bounded). */
function memo<T>(compile: (source: string) => T): (source: string) => T {
  const cache = new Map<string, T>();
  return (source) => {
    let compiled = cache.get(source);
    if (!compiled) {
      compiled = compile(source);
      if (cache.size > 5000) cache.clear();
      cache.set(source, compiled);
    }
    return compiled;
  };
}

export const cachedExpression: (source: string) => CompiledExpression = memo(compileExpression);
export const cachedTemplate: (source: string) => CompiledTemplate = memo(compileTemplate);

export class IvrFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Runtime {
  readonly effects: IvrEffect[] = [];
  readonly trail: IvrTrail[] = [];

  constructor(
    public state: IvrState,
    readonly flows: FlowLookup,
    readonly kinds: Map<string, NodeKind>,
    readonly facts: CallFacts,
    readonly now: number,
  ) {}

  get flow(): FlowDocument {
    const frame = this.state.frames.at(-1)!;
    const flow = this.flows.get(frame.flowId, frame.version);
    if (!flow) throw new IvrFault('IVR_FLOW_MISSING', `flow ${frame.flowId} v${frame.version} is not available`);
    return flow;
  }

  get node(): FlowNodeAny {
    const node = this.flow.nodes[this.state.nodeId];
    if (!node) throw new IvrFault('IVR_NODE_MISSING', `flow ${this.flow.id} has no node ${this.state.nodeId}`);
    return node;
  }

  local<T extends Value>(key: string, fallback: T): T {
    return (this.state.local[key] as T | undefined) ?? fallback;
  }

  setLocal(key: string, value: Value): void {
    this.state = { ...this.state, local: { ...this.state.local, [key]: value } };
  }

  note(type: string, fields: Record<string, unknown> = {}): void {
    this.trail.push({ type, flow: this.state.frames.at(-1)?.flowId, node: this.state.nodeId, ...fields });
  }

  /** The caller did something: the loop guard starts over. */
  callerActed(): void {
    this.state = { ...this.state, hops: 0 };
  }

  scope(): Record<string, Value> {
    const time = localTime(this.now, this.facts.timezone);
    return {
      vars: this.state.vars,
      caller: { number: this.facts.callerNumber, name: this.facts.callerName },
      dialed: this.facts.dialed,
      callId: this.facts.callId,
      language: this.state.language,
      now: { ...time },
      local: this.state.local,
    };
  }

  evaluate(source: string): Value {
    return cachedExpression(source).evaluate(this.scope());
  }

  render(source: string): string {
    return cachedTemplate(source).render(this.scope());
  }

  setVar(name: string, value: Value): void {
    this.state = { ...this.state, vars: { ...this.state.vars, [name]: value } };
  }

  setLanguage(language: Language): void {
    this.state = { ...this.state, language };
  }

  /** Plays prompts; the tag gets a serial number so a stale finish of an earlier playback is never mistaken for this one. */
  play(prompts: PromptRef[], tag = 'prompt', options: { verbatim?: boolean } = {}): void {
    this.stopPlay();
    // Verbatim: texts that are not the flow author's (a knowledge-base answer) are never templates.
    const rendered = options.verbatim ? prompts : prompts.map((p) => ('say' in p ? { ...p, value: this.render(p.value) } : 'tts' in p ? { tts: this.render(p.tts) } : p));
    const serial = (this.state.playSerial ?? 0) + 1;
    const fullTag = `${tag}#${serial}`;
    this.effects.push({ type: 'play', tag: fullTag, prompts: rendered, language: this.state.language });
    this.state = { ...this.state, playing: fullTag, playSerial: serial };
  }

  stopPlay(): void {
    if (!this.state.playing) return;
    this.effects.push({ type: 'stop-play', tag: this.state.playing });
    this.state = { ...this.state, playing: undefined };
  }

  timer(name: string, seconds: number): void {
    this.effects.push({ type: 'set-timer', name, ms: Math.round(seconds * 1000) });
    if (!this.state.timers.includes(name)) this.state = { ...this.state, timers: [...this.state.timers, name] };
  }

  clearTimer(name: string): void {
    if (!this.state.timers.includes(name)) return;
    this.effects.push({ type: 'clear-timer', name });
    this.state = { ...this.state, timers: this.state.timers.filter((t) => t !== name) };
  }

  hasTimer(name: string): boolean {
    return this.state.timers.includes(name);
  }

  /** Starts an outside request; its result comes back as an event with the same id. */
  request(effect: Extract<IvrEffect, { id: string }>): void {
    this.effects.push(effect);
    this.state = { ...this.state, pending: effect.id };
  }

  /** Tells the party behind the outstanding request something, without starting a new request. */
  signal(effect: Extract<IvrEffect, { type: 'queue-action' }>): void {
    this.effects.push(effect);
  }

  requestId(suffix: string): string {
    return `${this.state.frames.length}:${this.state.nodeId}:${suffix}:${this.state.hops}`;
  }

  finish(how: NonNullable<IvrState['finished']>, reason: string): void {
    this.stopPlay();
    if (how === 'hangup' || how === 'error') this.effects.push({ type: 'hangup', reason });
    this.state = { ...this.state, finished: how };
  }

  /** Leave the current node and enter another in the same flow. */
  goto(target: string): void {
    this.stopPlay();
    this.note('node-exit');
    this.enter(target);
  }

  enter(target: string): void {
    for (const name of this.state.timers) this.clearTimer(name);
    const hops = this.state.hops + 1;
    this.state = { ...this.state, nodeId: target, local: {}, pending: undefined, hops };
    if (hops > maxHops) throw new IvrFault('IVR_LOOP', `more than ${maxHops} nodes without caller input (last: ${target})`);
    const node = this.node;
    const kind = this.kinds.get(node.kind);
    if (!kind) throw new IvrFault('IVR_UNKNOWN_KIND', `node ${target} has unknown kind ${node.kind}`);
    this.note('node-enter', { kind: node.kind });
    if (kind.waits(node)) this.callerActed();
    if (node.transcription === 'caller' || node.transcription === 'both') this.effects.push({ type: 'transcribe', policy: node.transcription });
    kind.enter(node, this);
  }

  /** A node that failed: take its onError branch when it has one, else end the call. */
  fail(code: string, message: string): void {
    this.note('error', { code, message });
    const onError = this.node.onError;
    if (typeof onError === 'string') this.goto(onError);
    else this.finish('error', code);
  }
}
