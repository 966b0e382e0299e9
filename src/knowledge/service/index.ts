// The knowledge service's public surface: the API, agent assist, the bot and the speech LM import from here.
export { KnowledgeService, NOT_PUBLISHED, type KnowledgeAnswer, type KnowledgeMatch, type KnowledgeServiceDeps, type PublishInfo } from './knowledge-service.ts';
export { readingsOf, surestReading } from './readings.ts';
