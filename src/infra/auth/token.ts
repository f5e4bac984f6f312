import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Role } from './roles';
import { UnauthenticatedError } from '../errors/domain-errors';

/** What a verified token says about its bearer. */
export interface Claims {
  sub: string;
  wid: string;
  role: Role;
  name?: string;
  email?: string;
  /** Seconds since the epoch, when the token names one. */
  exp?: number;
}

const ROLES = new Set<string>(Object.values(Role));
const MAX_ID_LENGTH = 200;

function text(value: unknown): value is string {
  // NUL cannot be stored in PostgreSQL text: such a token names no one we could provision.
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !value.includes('\u0000');
}

const secretKeys = new Map<string, KeyObject>();

/**
 * The secret as a KeyObject, made once: given a string, jsonwebtoken first tries to read it
 * as a PEM public key and catches the failure, on every request.
 */
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

const VERIFIED_LIMIT = 10_000;
/** Tokens already verified, per secret: the same string always verifies the same way; only `exp` moves. */
const verified = new Map<string, Claims>();

/**
 * Verifies an HS256 token (no other algorithm is accepted) and checks its claims. A token
 * seen before is answered from memory (the rate limiter and the context both ask), its
 * expiry checked again on every use.
 */
export function verifyToken(token: string, secret: string): Claims {
  const key = `${secret}\u0000${token}`;
  const known = verified.get(key);
  if (known && (known.exp === undefined || known.exp * 1000 > Date.now())) return known;
  const claims = verifyUncached(token, secret);
  if (verified.size >= VERIFIED_LIMIT) verified.clear();
  verified.set(key, Object.freeze(claims));
  return claims;
}

function verifyUncached(token: string, secret: string): Claims {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'] });
  } catch (err) {
    const expired = err instanceof jwt.TokenExpiredError;
    throw new UnauthenticatedError(expired ? 'The token has expired' : 'The token is not valid');
  }
  if (typeof payload === 'string') throw new UnauthenticatedError('The token is not valid');
  const { sub, wid, role, name, email, exp } = payload as Record<string, unknown>;
  if (!text(sub) || !text(wid)) throw new UnauthenticatedError('The token must name a user (sub) and a workspace (wid)');
  if (typeof role !== 'string' || !ROLES.has(role)) throw new UnauthenticatedError(`The token's role must be one of ${[...ROLES].join(', ')}`);
  for (const optional of [name, email]) {
    if (optional !== undefined && optional !== null && !text(optional)) throw new UnauthenticatedError('The token\'s name and email must be short text');
  }
  return {
    sub,
    wid,
    role: role as Role,
    name: typeof name === 'string' ? name : undefined,
    email: typeof email === 'string' ? email : undefined,
    exp: typeof exp === 'number' ? exp : undefined,
  };
}

/** Reads `Bearer <token>` from an Authorization header value. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Signs a token; used by the demo, `npm run token` and tests. */
export function signToken(claims: Omit<Claims, 'exp'>, secret: string, expiresIn?: jwt.SignOptions['expiresIn']): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', ...(expiresIn ? { expiresIn } : {}) });
}
