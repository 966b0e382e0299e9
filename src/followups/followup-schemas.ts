// Input checks for what people send: a new follow-up, a change, a comment, a status step. The
// admin API documents and validates bodies with these same schemas; the service checks again (the
// CLI and other callers do not pass through the API) and names every bad field.
import { z } from 'zod';
import { invalid } from './errors.ts';
import { FOLLOWUP_STATUSES, MAX_COMMENT, MAX_NOTE, MAX_REASON, MAX_TITLE, NAME_PATTERN, PRIORITIES } from './followup-types.ts';

/** A time in ms since the epoch, before the year 2286 (13 digits keep store keys sorted). */
const epochMs = z.number().int().min(0).max(9_999_999_999_999);
const name = z.string().regex(NAME_PATTERN, '1–64 of A–Z, a–z, 0–9, ".", "_", "@", "-", starting with a letter or digit');
/** Printable text: control characters other than tab and newline are refused. */
const text = (max: number) => z.string().max(max).refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'must not contain control characters');

export const AssigneeInput = z.union([
  z.object({ agent: name }).strict(),
  z.object({ skill: name }).strict(),
  z.null(),
]).describe('{"agent": id}, {"skill": name}, or null (unassigned)');

export const CreateInput = z.object({
  title: text(MAX_TITLE).refine((s) => s.trim().length > 0, 'must not be empty'),
  note: text(MAX_NOTE).optional(),
  assignee: AssigneeInput.optional(),
  priority: z.enum(PRIORITIES).optional(),
  dueAt: epochMs.optional().describe('ms since epoch; default: the site\'s due time for manual follow-ups'),
  callId: z.string().min(1).max(256).optional().describe('the call it is about'),
  callerNumber: z.string().max(40).regex(/^[0-9+*#() .-]*$/, 'digits, "+", spaces and ( ) . -').optional(),
}).strict();
export type CreateInput = z.infer<typeof CreateInput>;

export const PatchInput = z.object({
  title: text(MAX_TITLE).refine((s) => s.trim().length > 0, 'must not be empty').optional(),
  note: text(MAX_NOTE).optional(),
  assignee: AssigneeInput.optional(),
  priority: z.enum(PRIORITIES).optional(),
  dueAt: epochMs.optional(),
  revision: z.number().int().min(1).optional().describe('the revision you read (or send If-Match)'),
}).strict();
export type PatchInput = z.infer<typeof PatchInput>;

export const CommentInput = z.object({
  text: text(MAX_COMMENT).refine((s) => s.trim().length > 0, 'must not be empty'),
}).strict();

export const StatusInput = z.object({
  status: z.enum(FOLLOWUP_STATUSES),
  reason: text(MAX_REASON).optional(),
  revision: z.number().int().min(1).optional(),
}).strict();
export type StatusInput = z.infer<typeof StatusInput>;

/** Parses or throws FOLLOWUP_INVALID naming each bad field ('assignee.agent', 'title', …). */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })));
}
