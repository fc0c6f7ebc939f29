import { describe, expect, it } from '@jest/globals';
import { assertOutboundAllowed, denyList, OutboundRefused } from './outbound-guard.js';

const deny = denyList(['169.254.0.0/16', 'fe80::/10', '10.0.0.0/8']);

describe('assertOutboundAllowed', () => {
  it('lets an allowed address through', async () => {
    await expect(assertOutboundAllowed('http://127.0.0.1:8080/ok', deny)).resolves.toBeInstanceOf(URL);
  });

  it('refuses cloud metadata and link-local addresses', async () => {
    await expect(
      assertOutboundAllowed('http://169.254.169.254/latest/meta-data', deny),
    ).rejects.toBeInstanceOf(OutboundRefused);
    await expect(assertOutboundAllowed('http://[fe80::1]/', deny)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(assertOutboundAllowed('http://10.1.2.3/', deny)).rejects.toBeInstanceOf(OutboundRefused);
  });

  it('refuses other schemes and non-URLs', async () => {
    await expect(assertOutboundAllowed('file:///etc/passwd', deny)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(assertOutboundAllowed('not a url', deny)).rejects.toBeInstanceOf(OutboundRefused);
  });

  it('checks what a name resolves to', async () => {
    await expect(
      assertOutboundAllowed('http://localhost:1/', denyList(['127.0.0.0/8', '::1/128'])),
    ).rejects.toBeInstanceOf(OutboundRefused);
  });
});
