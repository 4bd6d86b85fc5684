// Enrichment analyzers: pure functions (no I/O) for topics, sentiment, priority and summaries.
export { analyzeMessage, type MessageAnalysis } from './analyze.ts';
export {
  TOPIC_IDS,
  TOPIC_LABELS,
  classifyTopics,
  rollupTopics,
  isTopicId,
  type TopicId,
  type TopicMatch,
  type TopicRollup,
} from './topics.ts';
export {
  scoreSentiment,
  conversationSentiment,
  labelForScore,
  POSITIVE_THRESHOLD,
  NEGATIVE_THRESHOLD,
  SENTIMENT_HALF_LIFE,
  type SentimentLabel,
  type SentimentTrend,
  type SentimentResult,
  type ConversationSentiment,
} from './sentiment.ts';
export {
  computePriority,
  comparePriority,
  formatWait,
  PRIORITY_LEVELS,
  HIGH_VALUE_SPEND,
  type PriorityLevel,
  type PriorityInput,
  type PriorityResult,
} from './priority.ts';
export {
  extractiveSummary,
  FUNCTION_DESCRIPTIONS,
  type SummaryMessage,
  type SummaryOptions,
} from './summary.ts';
export { cleanText, normalizeText, stripHtml, stripLegacyMarkers } from './text.ts';

// Enrichment at work: per-conversation enrichment, the live scheduler and the bulk re-run. These
// read and write the database (the analyzers above stay pure).
export {
  enrichConversation,
  computedPriorityOf,
  manualReason,
  toStoredAnalysis,
  ANALYSIS_VERSION,
  type EnrichOptions,
  type EnrichResult,
  type EnrichmentDetails,
  type StoredContext,
  type StoredMessageAnalysis,
  type TopicDetail,
} from './enricher.ts';
export {
  buildCustomerContext,
  createCustomerContextCache,
  readStoredContext,
  type CustomerContext,
  type CustomerContextCache,
  type IdentityLevel,
} from './customer-context.ts';
export { startEnrichment, type EnrichmentService, type StartEnrichmentOptions } from './scheduler.ts';
export { enrichAll, openLoftClient, type EnrichAllOptions, type EnrichAllResult } from './re-enrich.ts';
