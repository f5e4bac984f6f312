import { createHmac } from 'node:crypto';

/**
 * The `Dealstream-Signature` header of a body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`. Signing the time with the body lets receivers refuse old replays.
 */
export function signatureHeader(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
