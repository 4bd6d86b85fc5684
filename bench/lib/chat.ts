// A chat turn with the offline model and the sandbox LOFT, one tool: POST /v1/chat/completions
// with stream: true, a new session (a new visitor) per turn so every turn does the same work
// (create the conversation, store the message, one tool call, store the answer) and none drags a
// growing history. Timed from sending the request to the first byte of the stream and to its end.
import { request, Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { BarResult } from './report.ts';
import { log, ms, now, round, since, summarize } from './util.ts';
import { roundSummary } from './list.ts';

/** The offline model answers it with exactly one tool (showDirections: hours and address); checked after the run. */
export const CHAT_QUESTION = 'What are your hours at the Canton store?';

interface Turn {
  firstByte: number;
  firstText: number;
  total: number;
  conversationId: string | null;
  ok: boolean;
  /** chunks that carried answer text */
  textChunks: number;
}

function countTextChunks(stream: string): number {
  let n = 0;
  for (const frame of stream.split('\n\n')) {
    if (!frame.startsWith('data: {')) continue;
    try {
      const c = JSON.parse(frame.slice(6)) as { choices?: { delta?: { content?: string } }[] };
      if (c.choices?.[0]?.delta?.content) n++;
    } catch {
      // not a chunk
    }
  }
  return n;
}

function turn(base: string, agent: Agent, sessionId: string, question: string): Promise<Turn> {
  const body = JSON.stringify({ session_id: sessionId, stream: true, messages: [{ role: 'user', content: question }] });
  const url = new URL('/v1/chat/completions', base);
  return new Promise((resolve, reject) => {
    const t0 = now();
    let firstByte = NaN;
    let firstText = NaN;
    let buf = '';
    let conversationId: string | null = null;
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (Number.isNaN(firstByte)) firstByte = since(t0);
        buf += chunk;
        if (Number.isNaN(firstText) && /"content":"[^"]/.test(chunk)) firstText = since(t0);
        if (!conversationId) conversationId = /"conversation_id":"([0-9a-f-]{36})"/.exec(buf)?.[1] ?? null;
      });
      res.on('end', () => resolve({ firstByte, firstText, total: since(t0), conversationId, ok: res.statusCode === 200 && buf.includes('data: [DONE]'), textChunks: countTextChunks(buf) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runChat(o: { base: string; url: string; turns: number; warmup: number; question?: string }): Promise<{ bars: BarResult[]; details: Record<string, unknown> }> {
  const question = o.question ?? CHAT_QUESTION;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const prefix = `bench-chat-${randomBytes(3).toString('hex')}`;
  const turns: Turn[] = [];
  const allIds: string[] = [];
  log(`chat: "${question}" — ${o.warmup} warm-up + ${o.turns} turns, stream: true, a new session each, one at a time`);
  try {
    for (let i = 0; i < o.warmup + o.turns; i++) {
      const t = await turn(o.base, agent, `${prefix}-${i}`, question);
      if (t.conversationId) allIds.push(t.conversationId);
      if (i >= o.warmup) turns.push(t);
      if ((i + 1 - o.warmup) % 10 === 0 && i >= o.warmup) log(`chat: ${i + 1 - o.warmup}/${o.turns} turns`);
    }
  } finally {
    agent.destroy();
  }
  const failed = turns.filter((t) => !t.ok).length;
  const fb = summarize(turns.map((t) => t.firstByte));
  const ft = summarize(turns.map((t) => t.firstText).filter(Number.isFinite));
  const total = summarize(turns.map((t) => t.total));
  // The server's offline model pauses between text chunks (src/chat/providers.ts: chunkDelayMs 10,
  // "so a page shows the answer being written"): part of every turn is that deliberate pause.
  const chunks = summarize(turns.map((t) => t.textChunks));

  // How many tools each turn called, from what the turn stored.
  const ids = turns.map((t) => t.conversationId).filter((x): x is string => !!x);
  const c = new pg.Client({ connectionString: o.url });
  await c.connect();
  let tools: { calls: number; conversations: number; names: string }[] = [];
  try {
    tools = (await c.query(`
      SELECT calls, count(*)::int AS conversations, string_agg(DISTINCT names, ' | ') AS names FROM (
        SELECT c.conversation_id, count(m.executed_function_name)::int AS calls, coalesce(string_agg(m.executed_function_name, ',' ORDER BY m.message_created_at), '') AS names
        FROM chatbot_conversations c LEFT JOIN chatbot_messages m ON m.conversation_id = c.conversation_id AND m.message_role = 'tool'
        WHERE c.conversation_id = ANY($1::uuid[]) GROUP BY c.conversation_id) x GROUP BY calls ORDER BY calls`, [ids])).rows;
  } finally {
    await c.end();
  }
  const oneTool = tools.length === 1 && tools[0]!.calls === 1;
  log(`chat: ${chunks.p50} text chunks per answer (p50): with the offline model's 10 ms pause between chunks, about ${(chunks.p50 - 1) * 10} ms of each turn is deliberate`);
  log(`chat: first byte p50 ${ms(fb.p50)}, first text p50 ${ms(ft.p50)}, whole turn p50 ${ms(total.p50)}; tools per turn: ${tools.map((t) => `${t.calls} (${t.conversations}× ${t.names})`).join(', ')}`);
  const note = oneTool ? `1 tool (${tools[0]!.names})` : `tools per turn: ${tools.map((t) => `${t.calls}×${t.conversations}`).join(', ')}`;
  return {
    bars: [
      { section: 'chat', bar: 'chat turn, offline model + sandbox LOFT: first streamed byte p50', measured: `${ms(fb.p50)} (p99 ${ms(fb.p99)}; first text ${ms(ft.p50)})`, target: '≤ 50 ms', pass: fb.p50 <= 50 && failed === 0, values: { p50: round(fb.p50), p99: round(fb.p99), first_text_p50: round(ft.p50) } },
      { section: 'chat', bar: `chat turn, ${note}: whole turn p50`, measured: `${ms(total.p50)} (p99 ${ms(total.p99)}; ${chunks.p50} text chunks${failed ? `, ${failed} failed` : ''})`, target: '≤ 150 ms', pass: total.p50 <= 150 && failed === 0 && oneTool, values: { p50: round(total.p50), p99: round(total.p99) } },
    ],
    details: { question, turns: o.turns, warmup: o.warmup, session: 'new session per turn', failed, first_byte: roundSummary(fb), first_text: roundSummary(ft), whole_turn: roundSummary(total), text_chunks: roundSummary(chunks), tools_per_turn: tools, conversation_ids: allIds },
  };
}

/** Removes the conversations the chat turns created (a reused database stays as seeded). */
export async function removeChatConversations(url: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query('DELETE FROM chatbot_messages WHERE conversation_id = ANY($1::uuid[])', [ids]);
    await c.query('DELETE FROM inbox_events WHERE conversation_id = ANY($1::uuid[])', [ids]);
    await c.query('DELETE FROM chatbot_conversations WHERE conversation_id = ANY($1::uuid[])', [ids]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await c.end();
  }
}
