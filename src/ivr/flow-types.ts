// Flow documents are data (Node-RED style): a map of nodes by id, each of one kind. This file holds
// the shapes shared by the schema, the node kinds, the validator and the interpreter.

export type Language = 'en' | 'zh-CN';
export const languages: Language[] = ['en', 'zh-CN'];

/** What to play: a library prompt, text to speech, a spoken value, or an Asterisk sound by name. */
export type PromptRef =
  | { prompt: string }
  | { tts: string }
  | { say: 'digits' | 'number' | 'date' | 'currency'; value: string }
  | { sound: string };

export interface FlowNodeBase {
  kind: string;
  /** Free text for the editor and reports. */
  label?: string;
}

export type FlowNodeAny = FlowNodeBase & Record<string, unknown>;

export interface FlowDocument {
  id: string;
  name: string;
  languages: Language[];
  defaultLanguage: Language;
  start: string;
  transcription?: 'off' | 'caller' | 'both';
  variables?: Record<string, string | number | boolean | null>;
  nodes: Record<string, FlowNodeAny>;
  /** The visual editor's node positions (no effect on calls). */
  layout?: { nodes: Record<string, { x: number; y: number }> };
}

export interface Problem {
  /** JSON path into the document, e.g. ['nodes', 'main-menu', 'options', '1']. */
  path: (string | number)[];
  message: string;
  severity: 'error' | 'warning';
}

export const pathText = (path: (string | number)[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(document)';
