// Identity verification for the chat (like Intercom's): the host site signs a short-lived JWT
// (HS256, IDENTITY_SECRET) naming the customer by LOFT id (sub), phone or email. Only a verified
// identity sees customer records and orders.
import { jwtVerify, SignJWT } from 'jose';
import { AppError } from '../shared/errors.ts';
import { normalizeEmail, normalizePhone } from '../shared/phone.ts';

export interface VerifiedIdentity {
  customer_id?: string;
  phone?: string;
  email?: string;
  name?: string;
}

export async function verifyIdentityToken(token: string, secret: string | undefined): Promise<VerifiedIdentity> {
  if (!secret) {
    throw new AppError('identity_not_configured', 'identity_token was sent but this server has no IDENTITY_SECRET configured', 400);
  }
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], requiredClaims: ['exp'] });
    const identity: VerifiedIdentity = {};
    if (typeof payload.sub === 'string' && payload.sub) identity.customer_id = payload.sub;
    if (typeof payload.phone === 'string') identity.phone = normalizePhone(payload.phone);
    if (typeof payload.email === 'string') identity.email = normalizeEmail(payload.email);
    if (typeof payload.name === 'string') identity.name = payload.name;
    if (!identity.customer_id && !identity.phone && !identity.email) {
      throw new AppError('invalid_identity_token', 'identity_token must name the customer (sub, phone or email)', 401);
    }
    return identity;
  } catch (err) {
    if (err instanceof AppError) throw err;
    const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
    throw new AppError('invalid_identity_token', expired ? 'identity_token has expired' : 'identity_token is not valid', 401);
  }
}

/** What a host site does (documented in docs/identity.md); used by tests. */
export async function signIdentityToken(claims: { sub?: string; phone?: string; email?: string; name?: string }, secret: string, expiresIn = '1h'): Promise<string> {
  const jwt = new SignJWT({ ...(claims.phone ? { phone: claims.phone } : {}), ...(claims.email ? { email: claims.email } : {}), ...(claims.name ? { name: claims.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (claims.sub) jwt.setSubject(claims.sub);
  return jwt.sign(new TextEncoder().encode(secret));
}
