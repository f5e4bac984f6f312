import { lookup as lookupCallback } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { BadInputError } from '../../infra/errors/domain-errors';

/** How long saving a webhook waits for its host to resolve before leaving the check to delivery. */
const LOOKUP_TIMEOUT_MS = 3_000;

/** Loopback, private, link-local and every other special-purpose range: anything but public unicast. */
export function isPrivateAddress(address: string): boolean {
  return ipaddr.parse(address).range() !== 'unicast';
}

/** The addresses a host resolves to; empty when it does not resolve (in time). */
async function addressesOf(host: string): Promise<string[]> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return [bare];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => { timer = setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS); });
  try {
    const resolved = lookup(bare, { all: true }).then((all) => all.map((a) => a.address), () => []);
    return await Promise.race([resolved, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The URL a webhook may be saved with: https to a public address, or, with `allowPrivate`,
 * also http to a loopback or private one. A host that does not resolve now is accepted over
 * https: delivery checks every address again when it connects (DNS can change, or rebind).
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean, field: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BadInputError('url must be an absolute https URL', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BadInputError('url must be an https URL', field);
  if (url.username || url.password) throw new BadInputError('url must not carry credentials', field);
  const addresses = await addressesOf(url.hostname);
  const anyPrivate = addresses.some(isPrivateAddress);
  if (url.protocol === 'http:') {
    if (!allowPrivate || addresses.length === 0 || !addresses.every(isPrivateAddress)) {
      throw new BadInputError('url must be an https URL', field);
    }
  } else if (anyPrivate && !allowPrivate) {
    throw new BadInputError('url resolves to a loopback, private or link-local address', field);
  }
  return url.toString();
}

/** Why a connection to `address` is refused (undefined: it is not). */
export function refusal(host: string, address: string): string | undefined {
  if (!isPrivateAddress(address)) return undefined;
  return `address refused: ${host} is ${address}, a loopback, private or link-local address`;
}

/**
 * A DNS lookup for http(s).request that refuses private addresses: the check made when
 * connecting, after the name is resolved, so a host that rebinds to such an address is caught.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookupCallback(hostname, options, (err, address, family) => {
    if (err) return callback(err, address as string, family);
    const addresses = Array.isArray(address) ? address : [{ address, family }];
    const refused = addresses.map((a) => refusal(hostname, a.address)).find(Boolean);
    if (refused) return callback(Object.assign(new Error(refused), { code: 'EADDRREFUSED' }), '', 0);
    callback(null, address as string, family);
  });
};
