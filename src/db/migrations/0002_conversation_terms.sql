-- Search by conversation: each word (a lexeme of the 'simple' text-search configuration, the one
-- the message index uses) that occurs anywhere in a conversation's messages, once per
-- conversation. The inbox's `q=` for plain words reads this instead of every matching message:
-- a common word ("delivery") matches a tenth of all messages, and fetching those rows just to
-- learn their conversation ids took over a second at 10× production; here it is one short index
-- range per word. Kept in step by insertMessage (same transaction) and the demo seed.
CREATE TABLE IF NOT EXISTS conversation_terms (
  term            TEXT NOT NULL,
  conversation_id UUID NOT NULL,
  PRIMARY KEY (term, conversation_id)
);
--> statement-breakpoint
-- Adopted messages (the original system's rows, or any written before this table existed).
INSERT INTO conversation_terms (term, conversation_id)
SELECT DISTINCT t.lexeme, m.conversation_id
FROM chatbot_messages m CROSS JOIN LATERAL unnest(to_tsvector('simple', coalesce(m.message_content, ''))) t
WHERE m.conversation_id IS NOT NULL
ON CONFLICT DO NOTHING;
