// Evaluation of the analyzers against a labelled set (test/fixtures/enrichment-eval.json).
// Used by bench/eval-enrichment.ts (report) and enrichment.test.ts (thresholds).

import { analyzeMessage } from './analyze.ts';
import { computePriority, PRIORITY_LEVELS, type PriorityLevel } from './priority.ts';
import type { SentimentLabel } from './sentiment.ts';
import { isTopicId, TOPIC_IDS, type TopicId } from './topics.ts';

export interface EvalItem {
  text: string;
  lang: string;
  topics: TopicId[];
  sentiment: SentimentLabel;
  priority: PriorityLevel;
  /** 'dev': used while writing the cues; 'holdout': written afterwards, never tuned on. */
  split?: string;
}

export interface TopicMetrics {
  topic: TopicId;
  support: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalPrediction {
  item: EvalItem;
  topics: TopicId[];
  sentiment: SentimentLabel;
  sentimentScore: number;
  priority: PriorityLevel;
  priorityReasons: string[];
}

export interface SubsetMetrics {
  n: number;
  macroF1: number;
  sentimentAccuracy: number;
  priorityAccuracy: number;
}

export interface EvalReport {
  n: number;
  byLang: Record<string, number>;
  topics: TopicMetrics[];
  macroF1: number;
  microF1: number;
  exactTopicSetAccuracy: number;
  sentimentAccuracy: number;
  sentimentConfusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
  priorityAccuracy: number;
  priorityWithinOne: number;
  priorityConfusion: Record<PriorityLevel, Record<PriorityLevel, number>>;
  perLang: Record<string, SubsetMetrics>;
  perSplit: Record<string, SubsetMetrics>;
  predictions: EvalPrediction[];
}

export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

export function validateEvalItems(raw: unknown): EvalItem[] {
  if (!Array.isArray(raw)) throw new Error('eval set must be an array');
  return raw.map((r, i) => {
    const o = r as Partial<EvalItem>;
    if (typeof o.text !== 'string') throw new Error(`item ${i}: text`);
    if (!Array.isArray(o.topics) || !o.topics.every(isTopicId)) throw new Error(`item ${i}: topics`);
    if (!SENTIMENT_LABELS.includes(o.sentiment as SentimentLabel)) throw new Error(`item ${i}: sentiment`);
    if (!PRIORITY_LEVELS.includes(o.priority as PriorityLevel)) throw new Error(`item ${i}: priority`);
    return {
      text: o.text,
      lang: String(o.lang ?? '?'),
      topics: o.topics,
      sentiment: o.sentiment!,
      priority: o.priority!,
      split: typeof o.split === 'string' ? o.split : 'dev',
    };
  });
}

/** Prediction for one eval message, as the enrichment would see a conversation whose latest
 *  customer message is this one: no waiting time, no hand-off, trend steady. */
export function predict(item: EvalItem): EvalPrediction {
  const a = analyzeMessage(item.text);
  const topics = a.topics.map((t) => t.topic);
  const p = computePriority({
    topics,
    sentiment: { score: a.sentiment.score, label: a.sentiment.label, trend: 'steady' },
    handoffRequested: false,
    waitingSinceMinutes: null,
    lastCustomerMessageTopics: topics,
  });
  return {
    item,
    topics,
    sentiment: a.sentiment.label,
    sentimentScore: a.sentiment.score,
    priority: p.level,
    priorityReasons: p.reasons,
  };
}

function f1(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function topicMetrics(preds: EvalPrediction[]): { topics: TopicMetrics[]; macroF1: number; microF1: number } {
  let TP = 0;
  let FP = 0;
  let FN = 0;
  const topics = TOPIC_IDS.map((topic) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let support = 0;
    for (const p of preds) {
      const gold = p.item.topics.includes(topic);
      const got = p.topics.includes(topic);
      if (gold) support++;
      if (gold && got) tp++;
      else if (got) fp++;
      else if (gold) fn++;
    }
    TP += tp;
    FP += fp;
    FN += fn;
    const precision = tp + fp === 0 ? (support === 0 ? 1 : 0) : tp / (tp + fp);
    const recall = support === 0 ? 1 : tp / support;
    return { topic, support, tp, fp, fn, precision, recall, f1: f1(precision, recall) };
  });
  const withSupport = topics.filter((t) => t.support > 0);
  const macroF1 = withSupport.reduce((s, t) => s + t.f1, 0) / Math.max(1, withSupport.length);
  const microP = TP + FP === 0 ? 0 : TP / (TP + FP);
  const microR = TP + FN === 0 ? 0 : TP / (TP + FN);
  return { topics, macroF1, microF1: f1(microP, microR) };
}

export function evaluate(items: EvalItem[]): EvalReport {
  const predictions = items.map(predict);
  const { topics, macroF1, microF1 } = topicMetrics(predictions);
  const sentimentConfusion = Object.fromEntries(
    SENTIMENT_LABELS.map((g) => [g, Object.fromEntries(SENTIMENT_LABELS.map((p) => [p, 0]))]),
  ) as EvalReport['sentimentConfusion'];
  const priorityConfusion = Object.fromEntries(
    PRIORITY_LEVELS.map((g) => [g, Object.fromEntries(PRIORITY_LEVELS.map((p) => [p, 0]))]),
  ) as EvalReport['priorityConfusion'];
  let sOk = 0;
  let pOk = 0;
  let pNear = 0;
  let exact = 0;
  const byLang: Record<string, number> = {};
  for (const p of predictions) {
    byLang[p.item.lang] = (byLang[p.item.lang] ?? 0) + 1;
    sentimentConfusion[p.item.sentiment][p.sentiment]++;
    priorityConfusion[p.item.priority][p.priority]++;
    if (p.sentiment === p.item.sentiment) sOk++;
    if (p.priority === p.item.priority) pOk++;
    if (Math.abs(PRIORITY_LEVELS.indexOf(p.priority) - PRIORITY_LEVELS.indexOf(p.item.priority)) <= 1) pNear++;
    const g = [...p.item.topics].sort().join(',');
    const o = [...p.topics].sort().join(',');
    if (g === o) exact++;
  }
  const n = Math.max(1, predictions.length);
  const subset = (sub: EvalPrediction[]): SubsetMetrics => ({
    n: sub.length,
    macroF1: topicMetrics(sub).macroF1,
    sentimentAccuracy: sub.filter((p) => p.sentiment === p.item.sentiment).length / Math.max(1, sub.length),
    priorityAccuracy: sub.filter((p) => p.priority === p.item.priority).length / Math.max(1, sub.length),
  });
  const perLang: Record<string, SubsetMetrics> = {};
  for (const lang of Object.keys(byLang)) perLang[lang] = subset(predictions.filter((p) => p.item.lang === lang));
  const perSplit: Record<string, SubsetMetrics> = {};
  for (const split of new Set(predictions.map((p) => p.item.split ?? 'dev'))) {
    perSplit[split] = subset(predictions.filter((p) => (p.item.split ?? 'dev') === split));
  }
  return {
    n: predictions.length,
    byLang,
    topics,
    macroF1,
    microF1,
    exactTopicSetAccuracy: exact / n,
    sentimentAccuracy: sOk / n,
    sentimentConfusion,
    priorityAccuracy: pOk / n,
    priorityWithinOne: pNear / n,
    priorityConfusion,
    perLang,
    perSplit,
    predictions,
  };
}
