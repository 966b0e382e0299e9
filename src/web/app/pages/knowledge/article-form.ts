// The editor's form state: every field as the person types it (lists as one item a line), and the
// conversions to and from the API's article. Pure, so the page stays about layout.
import type { Article, FieldIssue, Language } from './knowledge-api.ts';

export interface ArticleForm {
  id: string; language: Language; title: string; standardQuestion: string; similarQuestions: string; keywords: string;
  answer: string; agentScript: string; category: string; tags: string; validFrom: string; validUntil: string;
  audioEn: string; audioZh: string; author: string;
}

const lines = (text: string) => text.split('\n').map((s) => s.trim()).filter(Boolean);
// Tags and category parts: commas (Latin or Chinese) and slashes are what people type between them.
const parts = (text: string, separators: RegExp) => text.split(separators).map((s) => s.trim()).filter(Boolean);

export const emptyForm = (language: Language, author: string): ArticleForm => ({
  id: '', language, title: '', standardQuestion: '', similarQuestions: '', keywords: '', answer: '', agentScript: '',
  category: '', tags: '', validFrom: '', validUntil: '', audioEn: '', audioZh: '', author,
});

export const formOf = (a: Article): ArticleForm => ({
  id: a.id, language: a.language, title: a.title, standardQuestion: a.standardQuestion,
  similarQuestions: a.similarQuestions.join('\n'), keywords: a.keywords.join('\n'), answer: a.answer, agentScript: a.agentScript,
  category: a.categoryPath.join(' / '), tags: a.tags.join(', '), validFrom: a.validFrom ?? '', validUntil: a.validUntil ?? '',
  audioEn: a.answerAudio?.en ?? '', audioZh: a.answerAudio?.['zh-CN'] ?? '', author: a.author,
});

export function articleOf(f: ArticleForm): Article {
  const audio: Partial<Record<Language, string>> = {};
  if (f.audioEn.trim()) audio.en = f.audioEn.trim();
  if (f.audioZh.trim()) audio['zh-CN'] = f.audioZh.trim();
  return {
    id: f.id.trim(), language: f.language, title: f.title.trim(), standardQuestion: f.standardQuestion.trim(),
    similarQuestions: lines(f.similarQuestions), keywords: lines(f.keywords), answer: f.answer, agentScript: f.agentScript,
    categoryPath: parts(f.category, /[/／]/), tags: parts(f.tags, /[,，、]/),
    ...(f.validFrom ? { validFrom: f.validFrom } : {}), ...(f.validUntil ? { validUntil: f.validUntil } : {}),
    ...(Object.keys(audio).length ? { answerAudio: audio } : {}), author: f.author,
  };
}

/** The form field a problem's path (similarQuestions.3, answerAudio.en) belongs to. */
export function fieldOf(issue: FieldIssue): keyof ArticleForm | 'other' {
  const [head, second] = issue.path.split('.');
  switch (head) {
    case 'categoryPath': return 'category';
    case 'answerAudio': return second === 'en' ? 'audioEn' : 'audioZh';
    case 'id': case 'language': case 'title': case 'standardQuestion': case 'similarQuestions': case 'keywords': case 'answer':
    case 'agentScript': case 'tags': case 'validFrom': case 'validUntil': case 'author': return head;
    default: return 'other';
  }
}

/** The fields that differ between two versions of an article (for the history's "what changed"). */
export function changedFields(before: Article | null, after: Article | null): { field: string; before: string; after: string }[] {
  const show = (a: Article | null, key: keyof Article): string => {
    const v = a?.[key];
    return v === undefined ? '' : Array.isArray(v) ? v.join(' | ') : typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k}: ${x}`).join(', ') : String(v);
  };
  const keys: (keyof Article)[] = ['title', 'language', 'standardQuestion', 'similarQuestions', 'keywords', 'answer', 'agentScript', 'categoryPath', 'tags', 'validFrom', 'validUntil', 'answerAudio'];
  return keys.map((k) => ({ field: k, before: show(before, k), after: show(after, k) })).filter((c) => c.before !== c.after);
}
