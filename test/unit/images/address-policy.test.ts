import { describe, expect, it } from 'vitest';
import { AddressPolicy } from '../../../adapters/http-fetch/address-policy.ts';

describe('AddressPolicy', () => {
  const policy = new AddressPolicy();

  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '0.0.0.0',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    '64:ff9b::127.0.0.1',
    '2002:7f00:1::1',
    'not an address',
  ])('refuses %s', (address) => {
    expect(policy.isAllowed(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '64:ff9b::808:808', '::ffff:8.8.8.8'])(
    'admits the public address %s',
    (address) => {
      expect(policy.isAllowed(address)).toBe(true);
    },
  );

  it('admits what the allowlist names, and only that', () => {
    const allowing = new AddressPolicy(['127.0.0.1', '10.1.0.0/16', '::1']);
    expect(allowing.isAllowed('127.0.0.1')).toBe(true);
    expect(allowing.isAllowed('::ffff:127.0.0.1')).toBe(true);
    expect(allowing.isAllowed('127.0.0.2')).toBe(false);
    expect(allowing.isAllowed('10.1.200.3')).toBe(true);
    expect(allowing.isAllowed('10.2.0.1')).toBe(false);
    expect(allowing.isAllowed('::1')).toBe(true);
  });

  it('refuses an allowlist entry that is not an address or CIDR', () => {
    expect(() => new AddressPolicy(['example.com'])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => new AddressPolicy(['10.0.0.0/33'])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
