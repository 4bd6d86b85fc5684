import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, isPrivateAddress } from './url-policy.ts';

describe('webhook URL policy', () => {
  it('knows loopback, private, link-local and other non-public addresses', () => {
    for (const ip of ['127.0.0.1', '10.0.0.5', '172.16.3.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::7f00:1']) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });
  it('refuses other schemes, credentials and private hosts; allows them when told', async () => {
    await expect(checkEndpointUrl('ftp://example.com/x', { allowPrivate: true })).rejects.toMatchObject({ status: 400, code: 'invalid_webhook_url' });
    await expect(checkEndpointUrl('https://u:p@example.com/x', { allowPrivate: true })).rejects.toMatchObject({ status: 400 });
    await expect(checkEndpointUrl('http://127.0.0.1:8080/x', { allowPrivate: false })).rejects.toMatchObject({ status: 400 });
    await expect(checkEndpointUrl('http://[::1]/x', { allowPrivate: false })).rejects.toMatchObject({ status: 400 });
    await expect(checkEndpointUrl('http://localhost/x', { allowPrivate: false })).rejects.toMatchObject({ status: 400 });
    await expect(checkEndpointUrl('http://127.0.0.1:8080/x', { allowPrivate: true })).resolves.toBe('http://127.0.0.1:8080/x');
    await expect(checkEndpointUrl('https://93.184.216.34/hooks', { allowPrivate: false })).resolves.toBe('https://93.184.216.34/hooks');
  });
});
