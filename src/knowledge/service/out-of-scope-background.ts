/**
 * Questions no contact-center knowledge base answers (small talk, trivia, weather, media), per
 * language. The matcher fits its out-of-scope threshold on them. Without any, the threshold only
 * bounds the in-scope loss on a few held-out similar questions, which on a small knowledge base
 * rejects almost nothing: "what is the weather on mars" came back as an opening-hours answer.
 * They are validation data only; they never become training questions.
 */
import type { ArticleLanguage } from '../base/index.ts';

export const OUT_OF_SCOPE_BACKGROUND: Record<ArticleLanguage, readonly string[]> = {
  en: [
    'what is the capital of france', 'tell me a joke', 'play some music', 'how tall is mount everest',
    'who won the football game last night', 'what is the weather tomorrow', 'will it rain today', 'sing me a song',
    'what is the meaning of life', 'how old is the universe', 'recommend a good movie', 'what is your favourite colour',
    'translate hello into spanish', 'what is two plus two', 'who is the president of brazil', 'how far is the moon',
    'book me a table at a restaurant', 'set an alarm for seven', 'what is a good recipe for pancakes', 'do you like cats',
    'how many legs does a spider have', 'who wrote romeo and juliet', 'what day is christmas this year', 'tell me a bedtime story',
    'how do airplanes fly', 'which planet is the largest', 'what is the best pizza topping', 'read me the news headlines',
  ],
  'zh-CN': [
    '今天天气怎么样', '给我讲个笑话', '播放一首歌', '北京到上海多远',
    '明天会下雨吗', '昨晚的足球比赛谁赢了', '推荐一部好看的电影', '地球离月亮有多远',
    '中国的首都是哪里', '你喜欢什么颜色', '一加一等于几', '唱首歌给我听',
    '帮我订一张去广州的机票', '附近有什么好吃的餐厅', '讲个睡前故事', '长城有多长',
    '世界上最高的山是哪座', '红烧肉怎么做', '你是男的还是女的', '李白是哪个朝代的',
    '帮我定一个早上七点的闹钟', '太阳系最大的行星是哪个', '猫和狗哪个更聪明', '今天有什么新闻',
    '人生的意义是什么', '飞机为什么能飞', '春节是几月几号', '英语的你好怎么说',
  ],
};
