import { describe, expect, it } from 'vitest';
import { ANY, Autogroup, Grant, Ip, SshRule, SshUser } from '../../../src';
import { newStack } from '../../helpers';

/**
 * Autogroups know where they are allowed (facts §3.2), in the types: `npm test` type-checks this file, and each
 * `@ts-expect-error` fails the type check if the misplaced selector were ever accepted. The run-time check of the
 * same table is in bad-input.test.ts (for selectors built from strings).
 */
describe('selector positions at compile time', () => {
  it('refuses autogroups where Tailscale does not allow them', () => {
    const { stack } = newStack();
    const misplaced = () => {
      // @ts-expect-error autogroup:self is a destination only
      new Grant(stack, 'SelfAsSource', { src: [Autogroup.SELF], dst: [ANY], ip: [Ip.ALL] });
      // @ts-expect-error autogroup:internet is a destination only
      new Grant(stack, 'InternetAsSource', { src: [Autogroup.INTERNET], dst: [ANY], ip: [Ip.ALL] });
      // @ts-expect-error autogroup:danger-all is a source only
      new Grant(stack, 'DangerAllAsDestination', { src: [ANY], dst: [Autogroup.DANGER_ALL], ip: [Ip.ALL] });
      // @ts-expect-error autogroup:shared is a source only
      new Grant(stack, 'SharedAsDestination', { src: [ANY], dst: [Autogroup.SHARED], ip: [Ip.ALL] });
      new SshRule(stack, 'SshToInternet', {
        src: [Autogroup.MEMBER],
        // @ts-expect-error autogroup:internet is no SSH destination
        dst: [Autogroup.INTERNET],
        users: [SshUser.ROOT],
      });
    };
    // the body exists for the type checker; running it would only add construct diagnostics
    expect(misplaced).toBeTypeOf('function');
    new Grant(stack, 'Allowed', { src: [Autogroup.MEMBER], dst: [Autogroup.SELF], ip: [Ip.ALL] });
  });
});
