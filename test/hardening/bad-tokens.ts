import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET } from '../helpers/test-app';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens the API must refuse, each with what is wrong with it. */
export function badTokens(workspaceId: string): Record<string, string> {
  const claims = { sub: 'mallory', wid: workspaceId, role: 'ADMIN' };
  return {
    'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
    'another algorithm (HS512)': jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS512' }),
    'a bad signature': jwt.sign(claims, 'another-secret-of-sufficient-length', { algorithm: 'HS256' }),
    'an expired token': jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
    'no wid': jwt.sign({ sub: 'mallory', role: 'ADMIN' }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
    'an unknown role': jwt.sign({ ...claims, role: 'OWNER' }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
  };
}
