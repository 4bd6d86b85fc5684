// Whose eyes a conversation's history is for. The tools already refuse an unverified visitor any
// customer record or order; this guards what earlier turns stored. A conversation that holds
// personal data (a verified customer's, or what staff looked up in it) may be read, replayed or
// fed to the model only for staff or for that same verified customer. Anyone else who reaches it
// (a session id left in a shared browser's storage, a phone number or email typed as the
// identifier of GET /v1/sessions) sees it with the personal parts withheld.
import { sql } from 'drizzle-orm';
import { authenticateApiKey, bearerToken, verifyIdentityToken, type VerifiedIdentity } from '../auth/index.ts';
import type { Config } from '../config.ts';
import { rows, type Database, type Executor } from '../db/client.ts';
import type { ConversationRow } from '../conversations/conversation-store.ts';
import type { LoftClient } from '../loft/types.ts';
import { AppError } from '../shared/errors.ts';
import { normalizeEmail, normalizePhone } from '../shared/phone.ts';
import { customerDataTools, type Access } from './tools/types.ts';

/**
 * Whether the conversation holds personal data: it is linked to a verified customer, or one of the
 * personal-data functions answered in it (new rows say `error` when refused; adopted legacy rows
 * may have no status at all, so only an explicit failure counts as "nothing returned").
 */
export async function holdsPersonalData(ex: Executor, conversation: ConversationRow): Promise<boolean> {
  if (conversation.customer_verified) return true;
  const [row] = await rows<{ found: boolean }>(ex, sql`
    SELECT EXISTS (
      SELECT 1 FROM chatbot_messages
      WHERE conversation_id = ${conversation.conversation_id}
        AND executed_function_name IN (${sql.join(customerDataTools.map((f) => sql`${f}`), sql`, `)})
        AND coalesce(function_execution_status, 'success') NOT IN ('error', 'failed', 'failure')
    ) AS found`);
  return row?.found === true;
}

/**
 * Staff, or the very customer the conversation was verified for: the same LOFT id, or (when LOFT
 * could not be asked who a phone or email belongs to, e.g. during an outage) the same verified
 * phone or email the conversation was linked with.
 */
export function mayReadPersonalData(access: Access, conversation: ConversationRow): boolean {
  if (access.staff) return true;
  const v = access.verified;
  if (!v || !conversation.customer_verified) return false;
  if (v.customer_id) return conversation.customer_id === v.customer_id;
  const phone = v.phone ? normalizePhone(v.phone) : undefined;
  const email = v.email ? normalizeEmail(v.email) : undefined;
  return (
    (!!phone && !!conversation.customer_phone && normalizePhone(conversation.customer_phone) === phone) ||
    (!!email && !!conversation.customer_email && normalizeEmail(conversation.customer_email) === email)
  );
}

/** true when this caller must not see the conversation's earlier messages as they are. */
export async function historyWithheld(ex: Executor, access: Access, conversation: ConversationRow): Promise<boolean> {
  if (mayReadPersonalData(access, conversation)) return false;
  return holdsPersonalData(ex, conversation);
}

export interface CallerDeps {
  database: Database;
  config: Pick<Config, 'INBOX_API_KEY' | 'IDENTITY_SECRET'>;
  loft: Pick<LoftClient, 'getCustomerByPhone' | 'getCustomerByEmail'>;
}

/**
 * Who is asking, from `Authorization: Bearer <api key | identity JWT>` or an identity token passed
 * otherwise (the chat body's `identity_token`, the live stream's query): staff, a verified
 * customer, or an anonymous visitor. Any credential that does not check out is a 401, never a
 * silent downgrade to anonymous. (The customer routes here; /ws/chat can use the same.)
 */
export async function resolveCaller(
  deps: CallerDeps,
  headers: Record<string, string | string[] | undefined>,
  identityToken: string | undefined,
): Promise<{ access: Access; identity?: VerifiedIdentity; staffName?: string }> {
  const { database, config } = deps;
  let token = bearerToken(headers);
  // Any other Authorization header (Basic, a bare word, "Bearer" with nothing after it) is a
  // credential that cannot be checked: refuse it, never serve it as an anonymous visitor.
  const header = headers.authorization;
  if (!token && typeof header === 'string' && header.trim() !== '') {
    throw new AppError('unauthorized', 'The Authorization header must be "Bearer <api key or identity token>"', 401);
  }
  // A JWT in the Authorization header is a customer's identity token (clients such as the
  // openai SDK can only send a bearer token); anything else must be a staff API key.
  if (token && !identityToken && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
    identityToken = token;
    token = undefined;
  }
  if (token) {
    const principal = await authenticateApiKey(database.db, token, config.INBOX_API_KEY);
    // A wrong key must not silently downgrade a staff tool to a customer view.
    if (!principal) throw new AppError('unauthorized', 'The API key is not valid', 401);
    return { access: { staff: true }, staffName: principal.agent_name ?? principal.name };
  }
  if (identityToken) {
    const identity = await verifyIdentityToken(identityToken, config.IDENTITY_SECRET);
    // A token naming a phone or email is resolved to the LOFT customer it belongs to.
    if (!identity.customer_id) {
      const found = identity.phone
        ? await deps.loft.getCustomerByPhone(identity.phone)
        : identity.email ? await deps.loft.getCustomerByEmail(identity.email) : undefined;
      if (found?.ok) {
        identity.customer_id = found.value.customer_id;
        identity.name ??= found.value.name;
        identity.email ??= found.value.email;
        identity.phone ??= found.value.phone;
      }
    }
    return { access: { staff: false, verified: { customer_id: identity.customer_id, phone: identity.phone, email: identity.email } }, identity };
  }
  return { access: { staff: false } };
}
