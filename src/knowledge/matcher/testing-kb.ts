// Small hand-written knowledge bases for the matcher's tests (en and zh-CN).
import type { Article } from './matcher.ts';

export const ENGLISH_KB: Article[] = [
  { id: 'reset-password', language: 'en', keywords: ['password reset'], questions: ['how do I reset my password', 'I forgot my password', 'cannot log in because I lost my password', 'change my login password', 'my password does not work anymore', 'help me recover my password'] },
  { id: 'refund', language: 'en', questions: ['I want a refund', 'how do I get my money back', 'refund my order please', 'can I return this and be refunded', 'when will my refund arrive', 'I was refunded the wrong amount'] },
  { id: 'billing-charge', language: 'en', questions: ['why was I charged twice', 'there is an unknown charge on my credit card', 'my bill is too high this month', 'explain the charges on my invoice', 'I was overcharged', 'what is this fee on my bill'] },
  { id: 'opening-hours', language: 'en', questions: ['what are your opening hours', 'when are you open', 'are you open on sunday', 'what time do you close today', 'what time does the store open', 'holiday opening times'] },
  { id: 'cancel-subscription', language: 'en', questions: ['cancel my subscription', 'I want to stop my plan', 'how do I end my contract', 'unsubscribe me from the service', 'terminate my membership', 'I no longer want the monthly plan'] },
  { id: 'delivery-status', language: 'en', questions: ['where is my package', 'track my order', 'my delivery has not arrived', 'when will my parcel be delivered', 'the courier did not come', 'order shipping status'] },
];

export const CHINESE_KB: Article[] = [
  { id: 'zh-reset-password', language: 'zh-CN', questions: ['密码忘记了怎么办', '怎么重置密码', '我登录不了，密码不对', '修改登录密码', '找回密码', '密码输错被锁了'] },
  { id: 'zh-refund', language: 'zh-CN', questions: ['我要退款', '怎么申请退款', '退款什么时候到账', '订单退货退款', '钱什么时候退回来', '退款金额不对'] },
  { id: 'zh-phone-bill', language: 'zh-CN', questions: ['查询话费', '这个月话费为什么这么高', '手机欠费了怎么办', '话费扣错了', '怎么交话费', '查一下我的账单'] },
  { id: 'zh-broadband', language: 'zh-CN', questions: ['宽带上不了网', '网速太慢了', '路由器一直断网', '宽带故障报修', 'WiFi连不上', '光猫亮红灯'] },
  { id: 'zh-opening-hours', language: 'zh-CN', questions: ['营业厅几点开门', '你们周末上班吗', '营业时间是什么时候', '节假日营业吗', '营业厅几点关门', '今天营业到几点'] },
  { id: 'zh-change-plan', language: 'zh-CN', questions: ['我想换套餐', '怎么办理流量套餐', '套餐变更', '有没有便宜一点的套餐', '取消现在的套餐', '升级套餐'] },
];
