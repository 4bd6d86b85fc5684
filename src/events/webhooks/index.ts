// Webhooks: endpoints (API and CLI), the transactional outbox, the delivery worker.
//   installWebhookOutbox()     queue deliveries in the same transaction as each event (every
//                              process that writes events; registerWebhookRoutes and the CLI do it)
//   registerWebhookRoutes()    /api/webhooks… and POST /webhook/inbox/new-message
//   ensureEnvWebhook()         the WEBHOOK_URL / WEBHOOK_SECRET endpoint, at start
//   startWebhookWorker()       lease, sign, send, retry; stop() on shutdown
//   webhookCommands            the `npm run cli -- webhooks …` / `deliveries list` commands
export { installWebhookOutbox } from './outbox.ts';
export { registerWebhookRoutes, type WebhookRouteDeps } from './routes.ts';
export { ensureEnvWebhook } from './endpoint-store.ts';
export { startWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from './worker.ts';
export { closeAgents as closeWebhookConnections } from './sender.ts';
export { DELIVERIES_CHANNEL } from './delivery-store.ts';
export { webhookCommands, webhookHelp } from './cli.ts';
