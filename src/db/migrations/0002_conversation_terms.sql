-- Search by conversation: each word (a lexeme of the 'simple' text-search configuration, the one
-- the message index uses) that occurs anywhere in a conversation's messages, once per
-- conversation. The inbox's `q=` for plain words reads this instead of every matching message:
-- a common word ("delivery") matches a tenth of all messages, and fetching those rows just to
-- learn their conversation ids took over a second at 10× production; here it is one short index
-- range per word. Kept in step by a trigger on chatbot_messages (below).
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
--> statement-breakpoint
-- Every message inserted from now on, by any writer (this service, a bulk load, or the original
-- system still writing during the move), adds its words: one statement-level trigger, so a bulk
-- insert of thousands of rows indexes them in one INSERT … SELECT. Words are only ever added: a
-- message edited in place keeps its old words findable (messages are not edited here).
CREATE OR REPLACE FUNCTION conversation_terms_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_terms (term, conversation_id)
  SELECT DISTINCT w.lexeme, a.conversation_id
  FROM added a CROSS JOIN LATERAL unnest(to_tsvector('simple', coalesce(a.message_content, ''))) w
  WHERE a.conversation_id IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS trg_conversation_terms ON chatbot_messages;
--> statement-breakpoint
CREATE TRIGGER trg_conversation_terms AFTER INSERT ON chatbot_messages
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION conversation_terms_add();
