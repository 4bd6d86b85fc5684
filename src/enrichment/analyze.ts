// Per-message analysis: one normalisation pass shared by topics and sentiment.

import { normalizeText } from './text.ts';
import { classifyFolded, type TopicMatch } from './topics.ts';
import { sentimentFolded, type SentimentResult } from './sentiment.ts';

export interface MessageAnalysis {
  topics: TopicMatch[];
  sentiment: SentimentResult;
}

/**
 * Topics and sentiment of one customer message. Accepts any stored content (HTML, legacy markers,
 * emoji, empty, very long); never throws. Typical cost: a few microseconds.
 */
export function analyzeMessage(text: string): MessageAnalysis {
  const folded = normalizeText(text);
  const topics = classifyFolded(folded);
  return { topics, sentiment: sentimentFolded(folded, topics) };
}
