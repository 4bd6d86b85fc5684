// Conversation priority for the inbox, from topics, sentiment, hand-off state and waiting time.
// Deterministic: the same input always gives the same level and reasons.
//
// Rules, applied in this order (levels: low < normal < high < urgent):
//  1. Start at normal.
//  2. The customer asked for a person (topic human_request), or a hand-off was requested
//     → at least high. A hand-off's own priority (handoffPriority) is a floor too.
//  3. Damaged/defective item → at least high. Return/refund/cancellation → at least high.
//  4. A complaint with negative sentiment → at least high.
//  5. Damaged item and strongly negative sentiment (score ≤ -0.65, or negative and a complaint)
//     → urgent.
//  6. Sentiment trend worsening → one level up (at most urgent).
//  7. Waiting for a reply (waitingSinceMinutes = minutes since the oldest unanswered customer
//     message), only when a person must answer (hand-off requested, asked for a person, or the
//     conversation is in human hands): > 60 min → at least high; > 4 h → urgent. With a hand-off
//     requested, > 24 h → urgent as well.
//  8. High-value customer (isHighValue, or lifetime spend > $1,500) → normal becomes high when there
//     is an issue (damage, return, complaint, person requested, or negative sentiment about an
//     order, delivery, account or loyalty).
//  9. Still normal, no issue, no hand-off, nobody waiting, sentiment not negative, and the latest
//     customer message is purely informational (store hours/locations, products, prices and
//     financing, loyalty questions) or pure positive feedback → low.
// Reasons are short sentences for an agent, most important first.

import { isTopicId, TOPIC_LABELS, type TopicId } from './topics.ts';
import type { SentimentLabel, SentimentTrend } from './sentiment.ts';

export type PriorityLevel = 'urgent' | 'high' | 'normal' | 'low';

export const PRIORITY_LEVELS: readonly PriorityLevel[] = ['low', 'normal', 'high', 'urgent'];

export interface PriorityInput {
  /** Topics of the recent customer messages (conversation roll-up). */
  topics: readonly TopicId[];
  sentiment: { score: number; label: SentimentLabel; trend: SentimentTrend };
  handoffRequested: boolean;
  handoffPriority?: PriorityLevel;
  /** Minutes since the oldest unanswered customer message; null when nobody is waiting. */
  waitingSinceMinutes: number | null;
  lifetimeSpend?: number;
  isHighValue?: boolean;
  /** Topics of the latest customer message alone (defaults to `topics`). */
  lastCustomerMessageTopics?: readonly TopicId[];
  /** The conversation is handled by a human agent (handled_by = 'human'). */
  inHumanHands?: boolean;
}

export interface PriorityResult {
  level: PriorityLevel;
  reasons: string[];
}

export const HIGH_VALUE_SPEND = 1500;
const STRONGLY_NEGATIVE = -0.65;
const WAIT_HIGH_MIN = 60;
const WAIT_URGENT_MIN = 240;
const WAIT_HANDOFF_URGENT_MIN = 24 * 60;

const INFORMATIONAL: ReadonlySet<TopicId> = new Set<TopicId>([
  'store_locations_hours',
  'product_search',
  'pricing_financing',
  'loyalty',
]);
const SERVICE_TOPICS: ReadonlySet<TopicId> = new Set<TopicId>([
  'order_status',
  'delivery_scheduling',
  'account_identity',
  'loyalty',
]);

const TOPIC_PHRASE: Partial<Record<TopicId, string>> = {
  store_locations_hours: 'store hours or locations',
  product_search: 'products',
  pricing_financing: 'prices or financing',
  loyalty: 'loyalty rewards',
};

/** "2 h 10 min", "45 min", "3 days 4 h". */
export function formatWait(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) {
    const h = Math.floor(m / 60);
    const r = m % 60;
    return r ? `${h} h ${r} min` : `${h} h`;
  }
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return h ? `${d} days ${h} h` : `${d} days`;
}

function formatMoney(n: number): string {
  return `$${Math.round(n).toLocaleString('en-US')}`;
}

export function computePriority(input: PriorityInput): PriorityResult {
  const topics = new Set<TopicId>(Array.isArray(input?.topics) ? input.topics.filter(isTopicId) : []);
  const last = Array.isArray(input?.lastCustomerMessageTopics)
    ? input.lastCustomerMessageTopics.filter(isTopicId)
    : [...topics];
  const s = input?.sentiment ?? { score: 0, label: 'neutral', trend: 'steady' };
  const score = Number.isFinite(s.score) ? s.score : 0;
  const negative = s.label === 'negative' || score <= -0.3;
  const handoff = input?.handoffRequested === true;
  const waiting =
    typeof input?.waitingSinceMinutes === 'number' && Number.isFinite(input.waitingSinceMinutes)
      ? Math.max(0, input.waitingSinceMinutes)
      : null;

  let level = 1; // normal
  const reasons: string[] = [];
  const raiseTo = (l: number, reason?: string) => {
    if (reason && !reasons.includes(reason)) reasons.push(reason);
    if (l > level) level = l;
  };

  // 2. A person was asked for.
  const askedForPerson = topics.has('human_request');
  if (askedForPerson) raiseTo(2, 'Customer asked for a person');
  if (handoff) raiseTo(2, askedForPerson ? undefined : 'Handed off to the team');
  if (input?.handoffPriority && PRIORITY_LEVELS.includes(input.handoffPriority)) {
    const hp = PRIORITY_LEVELS.indexOf(input.handoffPriority);
    if (hp > 1) raiseTo(hp, `Hand-off marked ${input.handoffPriority}`);
  }

  // 3. Damage, returns.
  const damaged = topics.has('damaged_defective');
  if (damaged) raiseTo(2, 'Damaged item reported');
  if (topics.has('returns_refunds')) raiseTo(2, 'Return or refund requested');

  // 4. Complaint.
  const complaint = topics.has('complaint');
  if (complaint && negative) raiseTo(2, 'Customer complaint');

  // 5. Damaged and strongly negative.
  if (damaged && (score <= STRONGLY_NEGATIVE || (complaint && negative))) {
    raiseTo(3, 'Damaged item and a very upset customer');
  }

  // 6. Worsening sentiment.
  if (s.trend === 'worsening') {
    const reason = negative ? 'Negative and worsening sentiment' : 'Sentiment worsening';
    raiseTo(Math.min(3, level + 1), reason);
  } else if (negative && reasons.length > 0 && !reasons.includes('Customer complaint')) {
    reasons.push('Negative sentiment');
  }

  // 7. Waiting for a person.
  const needsPerson = handoff || askedForPerson || input?.inHumanHands === true;
  if (waiting !== null && needsPerson) {
    const why = `Waiting ${formatWait(waiting)} for a reply`;
    if (handoff && waiting > WAIT_HANDOFF_URGENT_MIN) raiseTo(3, why);
    else if (waiting > WAIT_URGENT_MIN) raiseTo(3, why);
    else if (waiting > WAIT_HIGH_MIN) raiseTo(2, why);
  }

  // 8. High-value customer with an issue.
  const spend = typeof input?.lifetimeSpend === 'number' && Number.isFinite(input.lifetimeSpend) ? input.lifetimeSpend : 0;
  const highValue = input?.isHighValue === true || spend > HIGH_VALUE_SPEND;
  const hasIssue =
    damaged ||
    complaint ||
    askedForPerson ||
    topics.has('returns_refunds') ||
    (negative && [...topics].some((t) => SERVICE_TOPICS.has(t)));
  if (highValue && hasIssue) {
    const why = spend > 0 ? `High-value customer (${formatMoney(spend)} lifetime)` : 'High-value customer';
    if (level === 1) raiseTo(2, why);
    else if (!reasons.includes(why)) reasons.push(why);
  }

  // 9. Purely informational or positive, nothing pending.
  if (level === 1 && !hasIssue && !handoff && !negative && (waiting === null || waiting <= 5)) {
    const lastTopics = last;
    if (lastTopics.length > 0 && lastTopics.every((t) => INFORMATIONAL.has(t))) {
      const what = [...new Set(lastTopics.map((t) => TOPIC_PHRASE[t] ?? t))].join(', ');
      return { level: 'low', reasons: [`Informational question (${what})`] };
    }
    if (lastTopics.length === 0 && s.label === 'positive') {
      return { level: 'low', reasons: ['Positive feedback, nothing to act on'] };
    }
    if (
      lastTopics.length > 0 &&
      s.label === 'positive' &&
      lastTopics.every((t) => INFORMATIONAL.has(t) || SERVICE_TOPICS.has(t))
    ) {
      return { level: 'low', reasons: ['Positive message, nothing to act on'] };
    }
  }

  if (reasons.length === 0) {
    const about = [...topics].map((t) => TOPIC_LABELS[t].toLowerCase()).join(', ');
    if (negative) reasons.push(about ? `Unhappy customer (${about})` : 'Negative sentiment, no urgent signal');
    else reasons.push(about ? `Routine request (${about})` : 'No urgent signal');
  }
  return { level: PRIORITY_LEVELS[level], reasons };
}

/** Compare levels: positive when a is more urgent than b. */
export function comparePriority(a: PriorityLevel, b: PriorityLevel): number {
  return PRIORITY_LEVELS.indexOf(a) - PRIORITY_LEVELS.indexOf(b);
}
