import { describe, expect, it } from 'vitest';
import {
  mergeNixAttrs,
  nix,
  nixAttrName,
  printNix,
  printNixModule,
  quoteString,
} from '../../../src/core/canonical/nix';

/** The canonical Nix printer: the same value prints the same bytes, escaped so Nix reads back exactly the input. */
describe('Nix printer', () => {
  it('escapes backslash, quote and interpolation in "…" strings, and leaves a lone $ alone', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Nix source text, not a template
    expect(quoteString('a\\b"c${d}$e')).toBe('"a\\\\b\\"c\\${d}$e"');
    expect(quoteString('tab\there\nnl')).toBe('"tab\\there\\nnl"');
  });

  it("prints multi-line text ending in a newline as an indented '' string with '' and ${ escaped", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Nix source text, not a template
    expect(printNix({ s: "echo ''x'' ${HOME}\n  indented\n" })).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Nix source text, not a template
      "{\n  s = ''\n    echo '''x''' ''${HOME}\n      indented\n  '';\n}",
    );
  });

  it("escapes a lone ' before ${ so it does not join the escape's quotes", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Nix source text, not a template
    expect(printNix("a'${b}\n")).toBe("''\n  a''\\'''${b}\n''");
  });

  it('keeps text in "…" when an indented string would lose its indentation or its last line', () => {
    expect(printNix('  all indented\n  lines\n')).toBe('"  all indented\\n  lines\\n"');
    expect(printNix('no final\nnewline')).toBe('"no final\\nnewline"');
  });

  it('quotes attribute names that are not identifiers, and keywords', () => {
    expect(nixAttrName('tailscale0')).toBe('tailscale0');
    expect(nixAttrName('tailnet-zones')).toBe('tailnet-zones');
    expect(nixAttrName('net.core.rmem_max')).toBe('"net.core.rmem_max"');
    expect(nixAttrName('tailscale/authkey')).toBe('"tailscale/authkey"');
    expect(nixAttrName('inherit')).toBe('"inherit"');
    expect(nixAttrName('/ollama/')).toBe('"/ollama/"');
  });

  it('sorts attributes and collapses single-child chains into dotted paths', () => {
    expect(printNix({ b: 1, a: { x: { y: true } } })).toBe('{\n  a.x.y = true;\n  b = 1;\n}');
  });

  it('parenthesises calls and negative numbers inside lists', () => {
    expect(printNix([nix.mkForce(1), -2, 'x'])).toBe('[ (lib.mkForce 1) (-2) "x" ]');
  });

  it('prints references with quoted segments where needed', () => {
    expect(printNix(nix.ref('config', 'sops', 'secrets', 'tailscale/authkey', 'path'))).toBe(
      'config.sops.secrets."tailscale/authkey".path',
    );
  });

  it('refuses numbers Nix cannot read back', () => {
    expect(() => printNix(1e21)).toThrow(/cannot print/);
    expect(() => printNix(Number.NaN)).toThrow(/cannot print/);
  });

  it('prints a module with two-segment top paths; a commented attrset stays a block under its comment', () => {
    const text = printNixModule({
      header: ['generated'],
      args: ['config', 'lib'],
      body: {
        services: { tailscale: nix.comment(['stack/Host'], { enable: true }), nginx: { enable: true } },
        boot: { kernel: { sysctl: { 'net.core.somaxconn': nix.mkDefault(8192) } } },
      },
    });
    expect(text).toBe(
      [
        '# generated',
        '{ config, lib, ... }:',
        '{',
        '  boot.kernel.sysctl."net.core.somaxconn" = lib.mkDefault 8192;',
        '  services.nginx.enable = true;',
        '  # stack/Host',
        '  services.tailscale = {',
        '    enable = true;',
        '  };',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('merges fragments: attrsets deep, lists concatenated without duplicates, comments kept', () => {
    const merged = mergeNixAttrs(
      { a: { list: ['x'], keep: 1 } },
      { a: nix.comment(['from b'], { list: ['x', 'y'], other: 2 }) as never },
    );
    expect(printNix(merged)).toBe(
      '{\n  # from b\n  a = {\n    keep = 1;\n    list = [ "x" "y" ];\n    other = 2;\n  };\n}',
    );
  });
});
