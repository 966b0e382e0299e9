// The agent console's live state: GET /agents/{id}/console on load and whenever the agent's
// state moves (the phone rings, a call connects), then the event stream for the call's
// transcript lines and knowledge suggestions. The last call stays on screen through wrap-up,
// until the next one rings.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, API } from '../../api.ts';

export type AgentState = 'logged-out' | 'available' | 'ringing' | 'on-call' | 'wrap-up' | 'paused';
export interface AgentInfo { id: string; state: AgentState; since: number; reason?: string; callId?: string }
export interface RecentCall { callId: string; startedAt: number; outcome?: string }
export interface ScreenPop {
  callId: string; caller: { number: string; name?: string }; dialed: string; startedAt: number; answeredAt?: number;
  flow?: { flowId: string; version: number }; language?: string; queue?: string;
  repeat?: { recentCalls: number; windowHours: number; calls: RecentCall[] };
  path: { flow?: string; node: string; kind: string; at: number }[];
  inputs: { node: string; digit?: string; variable?: string; digits?: string }[];
  variables: Record<string, unknown>;
  bot?: { turns: { text: string; outcome: string; articleId?: string; confidence?: number }[]; handoff?: { reason: string; transcript: string[] } };
}
export interface AgentPreview {
  campaign: { id: string; name: string; autoDialSeconds: number };
  contact: { id: string; number: string; name?: string; fields?: Record<string, string>; attempts: { n: number; outcome?: string }[] };
  autoDialAt?: number;
}
export interface TranscriptLine { leg: string; text: string; startMs: number; key: string }
export interface Suggestion { articleId: string; title: string; score: number; confidence: number; matchedTerms: string[] }

export function useAgentConsole(agentId: string) {
  const [agent, setAgent] = useState<AgentInfo>();
  const [call, setCall] = useState<ScreenPop>();
  const [preview, setPreview] = useState<AgentPreview>();
  const [lines, setLines] = useState<TranscriptLine[]>([]);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string>();
  const callRef = useRef<string | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const r = await api<{ agent: AgentInfo; call: ScreenPop | null; preview: AgentPreview | null }>(`/agents/${encodeURIComponent(agentId)}/console`);
      setAgent(r.agent);
      setPreview(r.preview ?? undefined);
      if (r.call && r.call.callId !== callRef.current) {
        // A new call: its own transcript and suggestions from here on.
        callRef.current = r.call.callId;
        setLines([]);
        setSuggestions([]);
      }
      if (r.call) setCall(r.call);
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, [agentId]);

  useEffect(() => {
    void refresh();
    const events = new EventSource(`${API}/events?types=agent.state,transcript,assist.suggestions`);
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    const parse = (e: Event) => JSON.parse((e as MessageEvent<string>).data) as { id?: number; at: number; callId?: string; data: Record<string, unknown> };
    events.addEventListener('agent.state', (e) => {
      const { data } = parse(e);
      if (data.agentId === agentId) void refresh();
    });
    events.addEventListener('transcript', (e) => {
      const ev = parse(e);
      const callId = ev.callId;
      if (!callId || callId !== callRef.current) return;
      const line = { leg: String(ev.data.leg), text: String(ev.data.text), startMs: Number(ev.data.startMs), key: `${ev.data.leg}-${ev.data.startMs}` };
      setLines((all) => (all.some((l) => l.key === line.key) ? all : [...all, line].sort((a, b) => a.startMs - b.startMs)));
    });
    events.addEventListener('assist.suggestions', (e) => {
      const ev = parse(e);
      if (!ev.callId || ev.callId !== callRef.current) return;
      setSuggestions((ev.data.suggestions as Suggestion[]).slice(0, 3));
    });
    return () => events.close();
  }, [agentId, refresh]);

  return { agent, call, preview, lines, suggestions, live, error, refresh };
}
