// The matcher's public surface: the API, agent assist and the bot import from here only.
export { buildMatcher, matcherFromState, trainMatcher, MatcherError, type Article, type Matcher, type MatcherOptions, type MatchResponse, type MatchResult, type MatcherStats, type Language } from './matcher.ts';
export { defaultLexicon, type Lexicon } from './lexicon.ts';
export { cleanText, MAX_QUERY_CHARS } from './text.ts';
export type { Explanation } from './explain.ts';
export { transferablesOf, type MatcherState } from './matcher-state.ts';
