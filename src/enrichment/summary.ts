// Extractive conversation summary for an agent picking up a conversation: what the customer wants
// (their most informative sentences, quoted), what the assistant did (functions used), and the
// current state. No model, no database; cheap enough to run on every enrichment.

import { cleanText, foldForMatching } from './text.ts';
import { classifyFolded, TOPIC_LABELS, type TopicId } from './topics.ts';
import { sentimentFolded } from './sentiment.ts';

export interface SummaryMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  function_name?: string | null;
}

export interface SummaryOptions {
  /** Maximum length of the paragraph (default 400). */
  maxChars?: number;
  /** Customer sentences quoted (default 2). */
  maxCustomerSentences?: number;
  /** Only the last N messages are read (default 80): long threads hold hundreds. */
  recentMessages?: number;
}

/** What each assistant function means, for the "what the assistant did" part. */
export const FUNCTION_DESCRIPTIONS: Record<string, string> = {
  getCustomerByPhone: 'looked up the customer',
  getCustomerByEmail: 'looked up the customer',
  getOrdersByCustomer: 'listed orders',
  getDetailsByOrder: 'opened order details',
  analyzeCustomerPatterns: 'reviewed purchase patterns',
  getProductRecommendations: 'recommended products',
  handleProductRecommendations: 'recommended products',
  handleOrderConfirmationAndCrossSell: 'confirmed an order',
  handleSupportEscalation: 'escalated to support',
  handleLoyaltyUpgrade: 'checked loyalty status',
  getCustomerJourney: 'reviewed the customer journey',
  getCustomerAnalytics: 'reviewed customer analytics',
  connectToSupport: 'connected the customer to a person',
  showDirections: 'shared store directions',
  searchProducts: 'searched products',
  getProductsByCategory: 'searched products',
  getProductsByPriceRange: 'searched products',
  getProductsByBrand: 'searched products',
  getFeaturedProducts: 'showed featured products',
  getProductPhotos: 'showed product photos',
};

const HANDOFF_FUNCTIONS = new Set(['handleSupportEscalation', 'connectToSupport', 'handle_support_escalation', 'connect_to_support']);

const TOPIC_SHORT: Record<TopicId, string> = {
  order_status: 'order status',
  delivery_scheduling: 'delivery',
  damaged_defective: 'damaged item',
  returns_refunds: 'return/refund',
  product_search: 'products',
  pricing_financing: 'pricing/financing',
  store_locations_hours: 'store hours/locations',
  loyalty: 'loyalty',
  account_identity: 'account',
  complaint: 'complaint',
  human_request: 'asked for a person',
};

function describeFunction(name: string): string {
  const known = FUNCTION_DESCRIPTIONS[name];
  if (known) return known;
  // camelCase / snake_case → "used <words>"
  const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const fromCamel = Object.entries(FUNCTION_DESCRIPTIONS).find(([k]) => k.toLowerCase() === camel.toLowerCase());
  if (fromCamel) return fromCamel[1];
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words ? `used ${words}` : '';
}

const SENTENCE_RE = /[^.!?\n]+(?:[.!?]+|$)/g;
const GREETING_ONLY_RE =
  /^(?:hi|hello|hey|hola|ok|okay|thanks|thank you|gracias|ok gracias|ok thanks|buenas|buenos dias|buenas tardes|yes|no|si|sure|bye|adios)[.!? ]*$/;

interface Candidate {
  text: string;
  score: number;
  order: number;
  topics: TopicId[];
}

function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return s.slice(0, Math.max(0, max));
  const cut = s.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return (sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,;:.-]+$/, '') + '…';
}

/**
 * A short paragraph (≤ maxChars, default 400) for an agent. Messages in chronological order; HTML
 * and the legacy `**Function Result (name):** {json}` / `**CAROUSEL_DATA:** {...}` markers are
 * stripped first. Never throws; returns '' for an empty conversation.
 */
export function extractiveSummary(messages: readonly SummaryMessage[], opts: SummaryOptions = {}): string {
  if (!Array.isArray(messages) || messages.length === 0) return '';
  const maxChars = Math.max(40, Math.floor(opts.maxChars ?? 400));
  const maxSentences = Math.max(1, Math.floor(opts.maxCustomerSentences ?? 2));
  const window = messages.slice(-Math.max(1, Math.floor(opts.recentMessages ?? 80)));

  const functions: string[] = [];
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  const topicWeight = new Map<TopicId, number>();
  let userCount = 0;
  for (const msg of window) if (msg?.role === 'user') userCount++;

  let userIdx = 0;
  let order = 0;
  let lastRole: SummaryMessage['role'] | null = null;
  let handedOff = false;
  for (const msg of window) {
    if (!msg || typeof msg !== 'object') continue;
    const names: string[] = [];
    const clean = cleanText(msg.content, names);
    if (typeof msg.function_name === 'string' && msg.function_name) names.unshift(msg.function_name);
    for (const n of names) {
      if (HANDOFF_FUNCTIONS.has(n)) handedOff = true;
      const d = describeFunction(n);
      if (d) {
        const i = functions.indexOf(d);
        if (i !== -1) functions.splice(i, 1);
        functions.push(d);
      }
    }
    if (msg.role === 'user') {
      lastRole = 'user';
      const recency = Math.pow(0.5, (userCount - 1 - userIdx) / 3);
      userIdx++;
      if (!clean) continue;
      SENTENCE_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
      let perMessage = 0;
      while ((m = SENTENCE_RE.exec(clean)) !== null && perMessage < 12) {
        const sentence = m[0].trim();
        if (sentence.length < 2) continue;
        perMessage++;
        const folded = foldForMatching(sentence);
        const key = folded.replace(/[^a-z0-9]+/g, ' ').trim();
        if (!key || seen.has(key)) continue;
        seen.add(key);
        const topics = classifyFolded(folded);
        const sent = sentimentFolded(folded, topics);
        let topicScore = 0;
        for (const t of topics) {
          topicScore += t.topic === 'human_request' ? t.score * 0.6 : t.score;
          topicWeight.set(t.topic, (topicWeight.get(t.topic) ?? 0) + t.score * recency);
        }
        const words = key.split(' ').length;
        let score = 2 * topicScore + Math.abs(sent.score) + Math.min(words, 20) / 40 + 1.5 * recency;
        if (GREETING_ONLY_RE.test(key) || words < 2) score -= 3;
        candidates.push({ text: sentence, score, order: order++, topics: topics.map((t) => t.topic) });
      }
    } else if (msg.role === 'assistant') {
      lastRole = 'assistant';
    }
  }

  // Customer part: best sentences, shown in chronological order.
  const chosen = [...candidates]
    .sort((a, b) => b.score - a.score || b.order - a.order)
    .slice(0, maxSentences)
    .filter((c, i) => i === 0 || c.score > 0)
    .sort((a, b) => a.order - b.order);

  const mainTopics = [...topicWeight.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([t]) => TOPIC_SHORT[t] ?? TOPIC_LABELS[t]);

  const did = functions.slice(-4);
  const assistantPart = did.length ? `Assistant ${joinList(did)}.` : '';
  let state = '';
  if (handedOff) state = lastRole === 'user' ? 'Handed to the team; customer awaits a reply.' : 'Handed to the team.';
  else if (lastRole === 'user') state = 'Customer awaits a reply.';
  else if (lastRole === 'assistant') state = 'Assistant replied last.';

  const prefix = chosen.length
    ? mainTopics.length
      ? `Customer (${mainTopics.join(', ')}): `
      : 'Customer: '
    : '';
  const tail = [assistantPart, state].filter(Boolean).join(' ');

  // Fit the quotes into what the other parts leave.
  let quotes = '';
  if (chosen.length) {
    const budget = maxChars - prefix.length - (tail ? tail.length + 1 : 0);
    const per = Math.floor(budget / chosen.length) - 3;
    if (per >= 20) {
      quotes = chosen.map((c) => `"${truncate(c.text, per)}"`).join(' ');
    } else {
      quotes = `"${truncate(chosen[chosen.length - 1].text, Math.max(20, budget - 3))}"`;
    }
  }
  const out = [prefix + quotes, tail].filter((s) => s.trim()).join(' ').trim();
  return truncate(out, maxChars);
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
