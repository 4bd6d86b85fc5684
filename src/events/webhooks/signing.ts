// Standard Webhooks signatures through the `standardwebhooks` package: webhook-id,
// webhook-timestamp and webhook-signature ("v1,<base64 HMAC-SHA256>"). During a rotation the
// header carries one signature per secret, space-separated; the package's verify() accepts a
// request when any of them matches.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const signers = new Map<string, Webhook>();

function signer(secret: string): Webhook {
  let w = signers.get(secret);
  if (!w) {
    if (signers.size > 1_000) signers.clear();
    w = new Webhook(secret);
    signers.set(secret, w);
  }
  return w;
}

/** A new endpoint secret: whsec_ + 32 random bytes in base64, as Standard Webhooks defines it. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** true when the string is a usable Standard Webhooks secret */
export function isValidSecret(secret: string): boolean {
  try {
    new Webhook(secret);
    return secret.startsWith('whsec_');
  } catch {
    return false;
  }
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Signs `body` with every given secret (the current one first). */
export function signHeaders(opts: { id: string; body: string; secrets: string[]; at?: Date }): SignedHeaders {
  const at = opts.at ?? new Date();
  const signatures = opts.secrets.map((s) => signer(s).sign(opts.id, at, opts.body));
  return {
    'webhook-id': opts.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
