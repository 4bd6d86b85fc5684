// Linking a conversation to the LOFT customer it belongs to (after identity verification).
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../db/client.ts';
import { requireConversation, withEvents, type ConversationRow } from './conversation-store.ts';

export interface CustomerLink {
  customer_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  verified: boolean;
}

export async function setConversationCustomer(database: Database, conversationId: string, link: CustomerLink): Promise<ConversationRow> {
  const { result } = await withEvents(database, async (tx) => {
    const before = await requireConversation(tx, conversationId, { forUpdate: true });
    const [after] = await rows<ConversationRow>(
      tx,
      sql`UPDATE chatbot_conversations SET customer_id = ${link.customer_id},
            customer_name = coalesce(${link.name}, customer_name), customer_phone = coalesce(${link.phone}, customer_phone),
            customer_email = coalesce(${link.email}, customer_email), customer_verified = ${link.verified}, updated_at = now()
          WHERE conversation_id = ${conversationId}
          RETURNING conversation_id::text AS conversation_id`,
    );
    void after;
    const updated = await requireConversation(tx, conversationId);
    return {
      result: updated,
      events: [{
        type: 'conversation.updated' as const,
        conversationId,
        data: { conversation_id: conversationId, changes: { customer_id: { from: before.customer_verified ? before.customer_id : null, to: link.customer_id } }, cause: 'identity_verified' } },
      ],
    };
  });
  return result;
}
