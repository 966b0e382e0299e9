// The IVR prompt library over the API: list, read and listen (flows.read), upload audio, generate
// with TTS and delete (flows.write: admins design the IVR). Uploads are the raw audio file as the
// body (any format sox reads here), converted to what Asterisk plays; every change is audited
// with before/after metadata. Language and id are checked by pattern here and again by the store,
// which also proves every path stays inside the prompt folder.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { acceptedContentTypes } from '../../prompts/audio-convert.ts';
import { promptIdPattern } from '../../prompts/prompt-library.ts';
import { defaultPromptLimits, type PromptStore } from '../../prompts/prompt-store.ts';
import { decideRange } from '../../recordings/http-range.ts';
import type { ApiEnv } from './api-env.ts';
import { paginate } from './paging.ts';
import { conflict, json, jsonBody, notFound, pageOf, tooLarge } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

/** Uploads are bigger than the API's usual 1 MB: the app's body limit must let these through (see isPromptUpload). */
export const PROMPT_UPLOAD_PATH = /\/prompts\/[^/]+\/[^/]+$/;
export const isPromptUpload = (method: string, path: string) => method === 'PUT' && PROMPT_UPLOAD_PATH.test(path);
/** The body limit for those uploads (the store refuses more as it streams, whatever the app lets through). */
export const PROMPT_UPLOAD_MAX_BYTES = defaultPromptLimits.maxUploadBytes;

const Prompt = z.object({
  language: z.string(), id: z.string(),
  source: z.enum(['catalog', 'file', 'upload', 'tts']).openapi({ description: 'catalog: text only (TTS at call time); file: installed by hand; upload/tts: written through this API' }),
  recorded: z.boolean(),
  catalogText: z.string().nullable(), durationSeconds: z.number().nullable(), bytes: z.number().int().nullable(), sha256: z.string().nullable(),
  updatedAt: z.number().nullable(), updatedBy: z.string().nullable(),
  tts: z.object({ text: z.string(), voice: z.string() }).nullable(),
}).openapi('Prompt');

const Language = z.string().max(16).regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language tag such as en or zh-CN');
const Params = z.object({
  language: Language.openapi({ param: { name: 'language', in: 'path' }, example: 'zh-CN' }),
  id: z.string().max(64).regex(promptIdPattern, 'prompt ids are 1–64 of a-z 0-9 _ -').openapi({ param: { name: 'id', in: 'path' }, example: 'welcome' }),
});
const PromptList = z.object({
  language: Language.optional(),
  source: z.enum(['catalog', 'file', 'upload', 'tts']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
  sort: z.string().max(40).optional().openapi({ description: 'language, id, durationSeconds or updatedAt; "-" for descending' }),
});
const Text = z.string().min(1).max(2000).openapi({ description: 'What to say (at most 500 characters after trimming)' });
const Voice = z.string().max(64).optional().openapi({ description: 'A voice name from GET /prompts/voices; default: the language\'s first' });
const PreviewBody = z.object({ text: Text, language: Language, voice: Voice }).openapi('PromptPreview');
const TtsBody = z.object({ text: Text, voice: Voice }).openapi('PromptTts');
const wav = (description: string) => ({ description, content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } } });
const audioBody = {
  body: {
    required: true,
    description: 'The audio file itself (WAV, MP3, Ogg Vorbis, FLAC, AIFF, AU; at most 20 MB and 10 minutes), converted to 8 kHz mono 16-bit WAV and 16 kHz signed linear',
    content: Object.fromEntries(Object.keys(acceptedContentTypes).map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }])),
  },
};
const unprocessable = { 422: { description: 'Not audio sox can read, or longer than allowed (PROMPT_BAD_AUDIO, PROMPT_TOO_LONG)', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }) } } } } as const;

export function promptRoutes(deps: { prompts: PromptStore; audit: Audit }) {
  const { prompts } = deps;
  const app = new OpenAPIHono<ApiEnv>();
  const who = (c: { get(k: 'principal'): { username: string } }) => c.get('principal').username;
  const tags = ['flows'];

  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/prompts', tags, summary: 'The prompt library: catalog texts and recordings per language', request: { query: PromptList }, responses: { 200: json(pageOf(Prompt), 'Prompts') } })), async (c) => {
    const q = c.req.valid('query');
    const all = await prompts.list(q.language !== undefined ? { language: q.language } : {});
    return c.json(paginate(q.source ? all.filter((p) => p.source === q.source) : all, q, ['language', 'id', 'durationSeconds', 'updatedAt']), 200);
  });

  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/prompts/voices', tags, summary: 'TTS voices per language (the first is the default)', responses: { 200: json(z.object({ voices: z.record(z.string(), z.array(z.object({ name: z.string(), label: z.string(), default: z.boolean() }))) }), 'Voices') } })),
    (c) => c.json({ voices: prompts.voices() }, 200));

  app.openapi(secured('flows.read', createRoute({ method: 'post', path: '/prompts/preview', tags, summary: 'Hear text as a caller would (8 kHz WAV), saved nowhere', request: jsonBody(PreviewBody), responses: { 200: wav('The spoken text'), 503: json(z.unknown(), 'The TTS engine failed (PROMPT_TTS_FAILED)') } })), async (c) => {
    const audio = await prompts.preview(c.req.valid('json'));
    return c.body(new Uint8Array(audio), 200, { 'Content-Type': 'audio/wav', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }) as never;
  });

  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/prompts/{language}/{id}', tags, summary: 'One prompt, and the published flows that play it', request: { params: Params }, responses: { 200: json(z.object({ prompt: Prompt, usedBy: z.array(z.string()) }), 'The prompt'), ...notFound } })), async (c) => {
    const { language, id } = c.req.valid('param');
    return c.json({ prompt: await prompts.get(language, id), usedBy: await prompts.usedBy(language, id) }, 200);
  });

  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/prompts/{language}/{id}/audio', tags, summary: 'The recording as Asterisk plays it (8 kHz WAV); Range supported', request: { params: Params }, responses: { 200: wav('The recording'), 206: wav('Part of it'), 416: { description: 'The range is outside the file' }, ...notFound } })), async (c) => {
    const { language, id } = c.req.valid('param');
    const path = await prompts.audioPath(language, id);
    // Open before answering: a replacement renames a new file over this one, the handle keeps the old.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return prompts.audioPath(language, id).then(() => open(path, 'r'));
      throw error;
    });
    try {
      return await answerAudio(c, handle, `${language}-${id}.wav`);
    } catch (error) {
      await handle.close();
      throw error;
    }
  });

  app.openapi(secured('flows.write', createRoute({ method: 'put', path: '/prompts/{language}/{id}', tags, summary: 'Upload the recording of a prompt (replaces any); the body is the audio file', request: { params: Params, ...audioBody }, responses: { 200: json(z.object({ prompt: Prompt }), 'Stored'), ...tooLarge, 415: json(z.unknown(), 'Not an accepted content type'), ...unprocessable } })), async (c) => {
    const { language, id } = c.req.valid('param');
    const body = c.req.raw.body ? Readable.fromWeb(c.req.raw.body as never) : null;
    const contentType = c.req.header('content-type');
    const change = await prompts.upload(language, id, body, { contentType, by: who(c) });
    await deps.audit({ actor: who(c), action: 'prompt.upload', target: `${language}/${id}`, detail: { before: change.before, after: change.after, contentType: contentType ?? null } });
    return c.json({ prompt: change.after! }, 200);
  });

  app.openapi(secured('flows.write', createRoute({ method: 'post', path: '/prompts/{language}/{id}/tts', tags, summary: 'Generate the prompt\'s recording with TTS and store it', request: { params: Params, ...jsonBody(TtsBody) }, responses: { 200: json(z.object({ prompt: Prompt }), 'Stored'), 503: json(z.unknown(), 'The TTS engine failed (PROMPT_TTS_FAILED)') } })), async (c) => {
    const { language, id } = c.req.valid('param');
    const change = await prompts.generate(language, id, c.req.valid('json'), who(c));
    await deps.audit({ actor: who(c), action: 'prompt.tts', target: `${language}/${id}`, detail: { before: change.before, after: change.after } });
    return c.json({ prompt: change.after! }, 200);
  });

  app.openapi(secured('flows.write', createRoute({ method: 'delete', path: '/prompts/{language}/{id}', tags, summary: 'Delete the recording: a catalog text then plays by TTS; a recording-only prompt goes (refused while a published flow plays it)', request: { params: Params }, responses: { 200: json(z.object({ prompt: Prompt.nullable() }), 'Deleted; what is left'), ...notFound, ...conflict } })), async (c) => {
    const { language, id } = c.req.valid('param');
    const change = await prompts.remove(language, id);
    await deps.audit({ actor: who(c), action: 'prompt.delete', target: `${language}/${id}`, detail: { before: change.before, after: change.after } });
    return c.json({ prompt: change.after }, 200);
  });
  return app;
}

/** The file behind `handle` as audio/wav, with single byte ranges (the browser's audio element seeks with them). */
async function answerAudio(c: Context, handle: FileHandle, filename: string): Promise<Response> {
  const info = await handle.stat();
  const size = info.size;
  const etag = `"${info.ino.toString(36)}-${size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}"`;
  const ifRange = c.req.header('if-range');
  const decision = ifRange !== undefined && ifRange.trim() !== etag ? { kind: 'full' as const } : decideRange(c.req.header('range'), size);
  const headers: Record<string, string> = { 'Accept-Ranges': 'bytes', ETag: etag, 'Cache-Control': 'private, no-cache', 'X-Content-Type-Options': 'nosniff' };
  if (decision.kind === 'unsatisfiable') {
    await handle.close();
    return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
  }
  const { start, end } = decision.kind === 'partial' ? decision : { start: 0, end: size - 1 };
  const status = decision.kind === 'partial' ? 206 : 200;
  Object.assign(headers, {
    'Content-Type': 'audio/wav',
    'Content-Length': String(end - start + 1),
    'Content-Disposition': `inline; filename="${filename}"`,
    ...(decision.kind === 'partial' && { 'Content-Range': `bytes ${start}-${end}/${size}` }),
  });
  if (c.req.method === 'HEAD' || size === 0) {
    await handle.close();
    return c.body(null, status, headers);
  }
  // The stream closes the handle when it ends or when the client goes away.
  return c.body(Readable.toWeb(handle.createReadStream({ start, end })) as unknown as ReadableStream, status, headers);
}
