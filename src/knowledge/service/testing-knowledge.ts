// Hand-written articles (en and zh-CN) and a service on a memory store, for this folder's tests.
import { ManualClock } from '../../core/clock.ts';
import { createLogger } from '../../core/logger.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import type { Store } from '../../store/store.ts';
import type { ArticleInput } from '../base/index.ts';
import { KnowledgeService } from './knowledge-service.ts';

export const START = Date.parse('2026-03-01T10:00:00Z');

const article = (id: string, language: 'en' | 'zh-CN', title: string, questions: string[], answer: string, extra: Partial<ArticleInput> = {}): ArticleInput => ({
  id, language, title, standardQuestion: questions[0]!, similarQuestions: questions.slice(1), answer, author: 'alice', ...extra,
});

export const ENGLISH: ArticleInput[] = [
  article('reset-password', 'en', 'Reset your password', ['How do I reset my password?', 'I forgot my password', 'cannot log in because I lost my password', 'change my login password', 'my password does not work anymore', 'help me recover my password'], 'Use "Forgot password" on the login page.', { keywords: ['password reset'] }),
  article('refund', 'en', 'Refunds', ['How do I get a refund?', 'I want a refund', 'how do I get my money back', 'refund my order please', 'can I return this and be refunded', 'when will my refund arrive', 'I was refunded the wrong amount'], 'Refunds are paid within 14 days.', { categoryPath: ['billing', 'refunds'] }),
  article('billing-charge', 'en', 'Unknown charges', ['Why was I charged twice?', 'there is an unknown charge on my credit card', 'my bill is too high this month', 'explain the charges on my invoice', 'I was overcharged', 'what is this fee on my bill'], 'Check the invoice; duplicate charges are reversed in 3 days.', { categoryPath: ['billing'] }),
  article('opening-hours', 'en', 'Opening hours', ['What are your opening hours?', 'when are you open', 'are you open on sunday', 'what time do you close today', 'what time does the store open', 'holiday opening times'], 'Mon–Sat 9:00–18:00.'),
  article('cancel-subscription', 'en', 'Cancel a subscription', ['How do I cancel my subscription?', 'cancel my subscription', 'I want to stop my plan', 'how do I end my contract', 'unsubscribe me from the service', 'terminate my membership', 'I no longer want the monthly plan'], 'Cancel any time under Account › Plan.'),
  article('delivery-status', 'en', 'Where is my order', ['Where is my package?', 'track my order', 'my delivery has not arrived', 'when will my parcel be delivered', 'the courier did not come', 'order shipping status'], 'Track it with the link in your e-mail.'),
];

export const CHINESE: ArticleInput[] = [
  article('zh-reset-password', 'zh-CN', '重置密码', ['密码忘记了怎么办？', '怎么重置密码', '我登录不了，密码不对', '修改登录密码', '找回密码', '密码输错被锁了'], '在登录页点击"忘记密码"。'),
  article('zh-refund', 'zh-CN', '退款', ['怎么申请退款？', '我要退款', '退款什么时候到账', '订单退货退款', '钱什么时候退回来', '退款金额不对'], '退款在14天内到账。'),
  article('zh-phone-bill', 'zh-CN', '话费查询', ['怎么查询话费？', '这个月话费为什么这么高', '手机欠费了怎么办', '话费扣错了', '怎么交话费', '查一下我的账单'], '发送短信 CXHF 到 10086 查询话费。'),
  article('zh-broadband', 'zh-CN', '宽带故障', ['宽带上不了网怎么办？', '网速太慢了', '路由器一直断网', '宽带故障报修', 'WiFi连不上', '光猫亮红灯'], '请先重启光猫和路由器。'),
  article('zh-opening-hours', 'zh-CN', '营业时间', ['营业厅几点开门？', '你们周末上班吗', '营业时间是什么时候', '节假日营业吗', '营业厅几点关门', '今天营业到几点'], '营业厅每天 9:00–18:00 营业。'),
  article('zh-change-plan', 'zh-CN', '变更套餐', ['怎么变更套餐？', '我想换套餐', '怎么办理流量套餐', '有没有便宜一点的套餐', '取消现在的套餐', '升级套餐'], '在 App 的"套餐"页变更。'),
];

export interface Harness {
  store: Store;
  clock: ManualClock;
  service: KnowledgeService;
  /** Edit metadata at the clock's time. */
  meta: (author?: string) => { author: string; at: Date };
  /** A second service on the same store, as after a restart. */
  reopen: () => Promise<KnowledgeService>;
}

export async function harness(store: Store = new MemoryStore()): Promise<Harness> {
  const clock = new ManualClock(START);
  const logger = createLogger('silent');
  const service = await KnowledgeService.open({ store, clock, logger });
  return {
    store, clock, service,
    meta: (author = 'admin') => ({ author, at: new Date(clock.now()) }),
    reopen: () => KnowledgeService.open({ store, clock, logger }),
  };
}

/** A service with both languages' articles stored and published. */
export async function publishedHarness(): Promise<Harness> {
  const h = await harness();
  await h.service.articles.putMany([...ENGLISH, ...CHINESE], h.meta());
  await h.service.publish(h.meta('publisher'));
  return h;
}
