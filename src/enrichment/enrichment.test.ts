import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import {
  analyzeMessage,
  classifyTopics,
  cleanText,
  computePriority,
  conversationSentiment,
  extractiveSummary,
  rollupTopics,
  scoreSentiment,
  type PriorityInput,
  type TopicId,
} from './index.ts';
import { evaluate, validateEvalItems } from './evaluate.ts';

const ids = (text: string) => classifyTopics(text).map((t) => t.topic);

/** Priority of a conversation whose latest customer message is `text` (no wait, no hand-off). */
function priorityOf(text: string, extra: Partial<PriorityInput> = {}) {
  const a = analyzeMessage(text);
  const topics = a.topics.map((t) => t.topic);
  return computePriority({
    topics,
    sentiment: { score: a.sentiment.score, label: a.sentiment.label, trend: 'steady' },
    handoffRequested: false,
    waitingSinceMinutes: null,
    lastCustomerMessageTopics: topics,
    ...extra,
  });
}

const atLeastHigh = (level: string) => level === 'high' || level === 'urgent';

describe('angry damaged delivery', () => {
  it('English: damaged_defective, negative, urgent with reasons', () => {
    const text =
      'My new sofa arrived with a huge tear and one leg is broken. This is unacceptable, nobody answers the phone!';
    const a = analyzeMessage(text);
    expect(a.topics.map((t) => t.topic)).toContain('damaged_defective');
    expect(a.topics.find((t) => t.topic === 'damaged_defective')!.cues.length).toBeGreaterThan(0);
    expect(a.sentiment.label).toBe('negative');
    const p = priorityOf(text);
    expect(atLeastHigh(p.level)).toBe(true);
    expect(p.reasons).toContain('Damaged item reported');
  });

  it('Spanish (accents, ¡!): damaged_defective, negative, at least high', () => {
    const text = '¡Llegó roto el sofá y nadie contesta! Pésimo servicio, estoy muy molesta.';
    const a = analyzeMessage(text);
    expect(a.topics.map((t) => t.topic)).toEqual(expect.arrayContaining(['damaged_defective', 'complaint']));
    expect(a.sentiment.label).toBe('negative');
    const p = priorityOf(text);
    expect(atLeastHigh(p.level)).toBe(true);
    expect(p.reasons).toContain('Damaged item reported');
  });

  it('a calm damage report is still a problem: negative and high, not urgent', () => {
    const p = priorityOf('The headboard came cracked and one of the slats is broken');
    expect(p.level).toBe('high');
    expect(scoreSentiment('The headboard came cracked').label).toBe('negative');
  });
});

describe('informational questions', () => {
  it('"what time does the Canton store open on Sunday?" → store hours, neutral, low', () => {
    const text = 'what time does the Canton store open on Sunday?';
    expect(ids(text)).toEqual(['store_locations_hours']);
    expect(scoreSentiment(text).label).toBe('neutral');
    const p = priorityOf(text);
    expect(p.level).toBe('low');
    expect(p.reasons[0]).toMatch(/Informational/);
  });

  it('factual questions stay neutral', () => {
    for (const t of ['what are your hours on Sunday?', 'show me my orders', 'Do you have a loyalty program?', '¿Cuál es el horario de la tienda?']) {
      expect(scoreSentiment(t).label, t).toBe('neutral');
    }
  });

  it('positive thanks without a request is low', () => {
    const p = priorityOf('Thank you so much! The sofa looks amazing in our living room');
    expect(p.level).toBe('low');
    expect(scoreSentiment('Thank you so much! The sofa looks amazing').label).toBe('positive');
  });
});

describe('request for a person', () => {
  it.each([
    'Can I talk to a real person please?',
    'agent',
    'quiero hablar con una persona',
    'Que alguien me llame por favor al 678-555-0123',
  ])('%s → human_request, high', (text) => {
    expect(ids(text)).toContain('human_request');
    const p = priorityOf(text);
    expect(p.level).toBe('high');
    expect(p.reasons).toContain('Customer asked for a person');
  });

  it('negated requests do not count', () => {
    expect(ids("I don't need a person, just tell me if the Oslo bed is in stock")).not.toContain('human_request');
    expect(ids('no necesito hablar con nadie, solo quiero saber el horario')).toEqual(['store_locations_hours']);
  });
});

describe('topics', () => {
  it('is multi-label and explains itself', () => {
    const r = classifyTopics('My bed frame squeaks every time I move. Want to return it.');
    expect(r.map((t) => t.topic)).toEqual(expect.arrayContaining(['damaged_defective', 'returns_refunds']));
    for (const t of r) {
      expect(t.score).toBeGreaterThan(0);
      expect(t.score).toBeLessThanOrEqual(1);
      expect(t.cues.length).toBeGreaterThan(0);
    }
  });

  it('handles negation of damage and refunds', () => {
    expect(ids('Everything arrived in one piece, no damage at all. Thanks guys!')).not.toContain('damaged_defective');
    expect(ids("I'm not asking for a refund, I just need a replacement leg")).not.toContain('returns_refunds');
    expect(ids('I cancelled 3 weeks ago and still no refund')).toContain('returns_refunds');
  });

  it('is accent-insensitive', () => {
    expect(ids('¿Dónde está mi pedido?')).toEqual(['order_status']);
    expect(ids('donde esta mi pedido')).toEqual(['order_status']);
    expect(ids('REEMBOLSO')).toEqual(['returns_refunds']);
  });

  it('rolls up a conversation by relevance', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const at = (m: number) => new Date(t0 + m * 60_000);
    const r = rollupTopics([
      { topics: classifyTopics('what are your hours?'), at: at(0) },
      { topics: classifyTopics('my sofa arrived broken'), at: at(5) },
      { topics: ['damaged_defective', 'human_request'] as TopicId[], at: at(9) },
      { topics: [], at: at(10) },
    ]);
    expect(r[0].topic).toBe('damaged_defective');
    expect(r[0].count).toBe(2);
    expect(r[0].last_at.getTime()).toBe(at(9).getTime());
    expect(r.map((x) => x.topic)).toEqual(['damaged_defective', 'human_request', 'store_locations_hours']);
    expect(rollupTopics([])).toEqual([]);
  });
});

describe('conversation sentiment', () => {
  const at = (i: number) => new Date(Date.UTC(2024, 0, 1, 0, i));
  it('weighs recent messages more and detects a worsening trend', () => {
    const scores = [0.5, 0.4, 0.5, 0.3, -0.6, -0.7, -0.8];
    const c = conversationSentiment(scores.map((score, i) => ({ score, at: at(i) })));
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(c.score).toBeLessThan(mean);
    expect(c.score).toBeLessThan(0);
    expect(c.trend).toBe('worsening');
  });
  it('detects improvement and handles empty input', () => {
    const c = conversationSentiment([-0.8, -0.7, -0.6, 0.5, 0.6, 0.7].map((score, i) => ({ score, at: at(i) })));
    expect(c.trend).toBe('improving');
    expect(conversationSentiment([])).toEqual({ score: 0, label: 'neutral', trend: 'steady' });
  });
});

describe('priority rules', () => {
  const neutral = { score: 0, label: 'neutral' as const, trend: 'steady' as const };
  it('waiting > 4 h for a person → urgent, with the wait in the reasons', () => {
    const p = computePriority({ topics: ['order_status'], sentiment: neutral, handoffRequested: true, waitingSinceMinutes: 250 });
    expect(p.level).toBe('urgent');
    expect(p.reasons).toContain('Waiting 4 h 10 min for a reply');
  });
  it('waiting > 60 min for a person → high; a bot conversation is not raised by waiting', () => {
    expect(computePriority({ topics: ['human_request'], sentiment: neutral, handoffRequested: false, waitingSinceMinutes: 130 }).reasons).toContain(
      'Waiting 2 h 10 min for a reply',
    );
    expect(computePriority({ topics: ['order_status'], sentiment: neutral, handoffRequested: false, waitingSinceMinutes: 300 }).level).toBe('normal');
  });
  it('worsening sentiment raises one level; high-value raises an issue to high', () => {
    const p = computePriority({
      topics: ['order_status'],
      sentiment: { score: -0.4, label: 'negative', trend: 'worsening' },
      handoffRequested: false,
      waitingSinceMinutes: null,
    });
    expect(p.level).toBe('high');
    expect(p.reasons).toContain('Negative and worsening sentiment');
    const hv = computePriority({
      topics: ['order_status'],
      sentiment: { score: -0.4, label: 'negative', trend: 'steady' },
      handoffRequested: false,
      waitingSinceMinutes: null,
      lifetimeSpend: 4210,
    });
    expect(hv.level).toBe('high');
    expect(hv.reasons).toContain('High-value customer ($4,210 lifetime)');
  });
  it('is deterministic and tolerates junk input', () => {
    const input: PriorityInput = { topics: ['damaged_defective'], sentiment: { score: -0.9, label: 'negative', trend: 'steady' }, handoffRequested: false, waitingSinceMinutes: null };
    expect(computePriority(input)).toEqual(computePriority(input));
    expect(computePriority(input).level).toBe('urgent');
    expect(() => computePriority({ topics: ['nope' as TopicId], sentiment: { score: NaN, label: 'neutral', trend: 'steady' }, handoffRequested: false, waitingSinceMinutes: NaN })).not.toThrow();
  });
});

describe('robustness', () => {
  const inputs: unknown[] = [
    '',
    '   ',
    '<div class="card"><b>Order</b> <script>alert(1)</script>&amp; &#x1F600;</div>',
    '**Function Result (getOrdersByCustomer):** {"entry":[{"orderid":"1","status":"F","note":"a } \\" brace"}]} thanks',
    '**CAROUSEL_DATA:** {"products":[{"name":"Sofa"',
    '😡😡😡🛋️💥',
    'x'.repeat(6000),
    ('my sofa arrived broken, donde esta mi pedido? ' + '<p>hola</p> ').repeat(120),
    '\u0000\uFFFF\uD800',
    null,
    undefined,
    42,
  ];
  it('never throws on empty, HTML, markers, emoji, long or non-string input', () => {
    for (const x of inputs) {
      expect(() => analyzeMessage(x as string)).not.toThrow();
      expect(() => classifyTopics(x as string)).not.toThrow();
      expect(() => scoreSentiment(x as string)).not.toThrow();
      const s = scoreSentiment(x as string);
      expect(s.score).toBeGreaterThanOrEqual(-1);
      expect(s.score).toBeLessThanOrEqual(1);
    }
    expect(analyzeMessage('')).toEqual({ topics: [], sentiment: { score: 0, label: 'neutral', cues: [] } });
  });
  it('strips legacy markers and HTML', () => {
    const names: string[] = [];
    const c = cleanText('Here you go **Function Result (getOrdersByCustomer):** {"a":{"b":"}"}} <b>done</b>', names);
    expect(c).toBe('Here you go done');
    expect(names).toEqual(['getOrdersByCustomer']);
  });
});

describe('summary', () => {
  it('says what the customer wants, what the assistant did and the state, in ≤ 400 chars', () => {
    const s = extractiveSummary([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
      { role: 'user', content: 'My phone is 404-555-0142' },
      { role: 'assistant', content: '**Function Result (getCustomerByPhone):** {"entry":[{"firstname":"Ana"}]}', function_name: 'getCustomerByPhone' },
      { role: 'assistant', content: '<div>Your orders</div>', function_name: 'getOrdersByCustomer' },
      { role: 'user', content: 'The dresser from order 100234 arrived with a cracked top. I want a replacement or a refund.' },
    ]);
    expect(s.length).toBeLessThanOrEqual(400);
    expect(s).toMatch(/cracked top/);
    expect(s).toMatch(/looked up the customer/);
    expect(s).toMatch(/listed orders/);
    expect(s).toMatch(/awaits a reply/);
    expect(s).not.toMatch(/Function Result|<div>|entry/);
  });
  it('handles empty, huge and looped conversations', () => {
    expect(extractiveSummary([])).toBe('');
    const looped = Array.from({ length: 500 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: 'where is my order? '.repeat(300) }));
    const s = extractiveSummary(looped);
    expect(s.length).toBeLessThanOrEqual(400);
    expect(s).toMatch(/where is my order/i);
    expect(extractiveSummary([{ role: 'user', content: 'x'.repeat(6000) }], { maxChars: 120 }).length).toBeLessThanOrEqual(120);
  });
});

describe('evaluation set', () => {
  const path = fileURLToPath(new URL('../../test/fixtures/enrichment-eval.json', import.meta.url));
  const items = validateEvalItems(JSON.parse(readFileSync(path, 'utf8')));
  it('is large, bilingual and covers every topic', () => {
    expect(items.length).toBeGreaterThanOrEqual(180);
    const es = items.filter((i) => i.lang === 'es').length / items.length;
    expect(es).toBeGreaterThan(0.3);
    expect(es).toBeLessThan(0.5);
  });
  it('meets the quality thresholds (topic macro-F1 ≥ 0.8, sentiment accuracy ≥ 0.8)', () => {
    const r = evaluate(items);
    expect(r.macroF1).toBeGreaterThanOrEqual(0.8);
    expect(r.sentimentAccuracy).toBeGreaterThanOrEqual(0.8);
    for (const t of r.topics) expect(t.support, t.topic).toBeGreaterThanOrEqual(10);
  });
});
