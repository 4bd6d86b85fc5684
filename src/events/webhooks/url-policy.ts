// Where endpoints created through the API may point. http(s) only, no credentials in the URL,
// and, unless WEBHOOK_ALLOW_PRIVATE=true, no loopback, private, link-local or otherwise
// non-public address: every address the host name resolves to is checked, at creation and again
// when connecting (a name can be re-pointed after it was checked). The env WEBHOOK_URL endpoint
// is the operator's and is not checked.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../shared/errors.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach any IPv4 address
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d or ::ffff:7f00:1), as IPv4; else null. */
function embeddedIpv4(ip: string): string | null {
  const m = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(ip) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (!m) return null;
  const rest = m[1]!;
  if (isIP(rest) === 4) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(ip, 'ipv6');
  }
  return true; // not an address at all: refuse
}

const invalid = (detail: string) => new AppError('invalid_webhook_url', detail, 400);

/** Checks the URL's form (scheme, credentials, host); throws a 400 AppError. Returns the parsed URL. */
export function checkUrlShape(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url: not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('url: only http and https URLs are allowed');
  if (url.username || url.password) throw invalid('url: credentials in the URL are not allowed; verify deliveries with the signing secret instead');
  if (!url.hostname) throw invalid('url: a host is required');
  if (raw.length > 2000) throw invalid('url: at most 2000 characters');
  return url;
}

/**
 * Checks an endpoint URL given through the API or the CLI. With `allowPrivate` false, every
 * address the host resolves to must be public.
 */
export async function checkEndpointUrl(raw: string, opts: { allowPrivate: boolean; resolveTimeoutMs?: number }): Promise<string> {
  const url = checkUrlShape(raw);
  if (opts.allowPrivate) return url.toString();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        dnsLookupAsync(host, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), opts.resolveTimeoutMs ?? 5_000);
        }),
      ]);
      addresses = found.map((a) => a.address);
    } catch {
      throw invalid(`url: the host ${host} could not be resolved`);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
  if (addresses.length === 0) throw invalid(`url: the host ${host} could not be resolved`);
  const bad = addresses.find(isPrivateAddress);
  if (bad) {
    throw invalid(`url: ${host} resolves to ${bad}, a loopback, private or link-local address; webhooks must reach a public address (the operator can set WEBHOOK_ALLOW_PRIVATE=true)`);
  }
  return url.toString();
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses private addresses at connect time, so a host name
 * re-pointed after its check still cannot reach the internal network.
 */
export function publicOnlyLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, options.all ? [] : '', undefined);
    const list = (addresses as LookupAddress[]).filter((a) => !isPrivateAddress(a.address));
    if (list.length === 0) {
      const e: NodeJS.ErrnoException = new Error(`${hostname} resolves only to private addresses (blocked)`);
      e.code = 'EPRIVATEADDRESS';
      return callback(e, options.all ? [] : '', undefined);
    }
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}
