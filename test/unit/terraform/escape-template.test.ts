// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform expressions and template text are the subject under test
import { Fn, TerraformVariable, Token } from 'cdktf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTemplate } from '../../../src/emit/terraform/l1/fields';
import { TailscaleAcl } from '../../../src/emit/terraform/l1/policy';
import { checkTerraformJson, isTemplateExpression } from '../../../src/emit/terraform/schema-check';
import { newStack, synthWith } from './helpers';

/** What Terraform does to a JSON string without interpolations: `$${` → `${`, `%%{` → `%{` (left to right). */
function terraformUnescape(template: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === '$' || c === '%') && template[i + 1] === c && template[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
    } else out += c;
  }
  return out;
}

describe('escapeTemplate', () => {
  it('escapes interpolations and directives', () => {
    expect(escapeTemplate('a ${b} %{ if c } d')).toBe('a $${b} %%{ if c } d');
  });

  it('leaves text without template sequences alone', () => {
    expect(escapeTemplate('{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}')).toBe(
      '{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}',
    );
    expect(escapeTemplate('cost: $5 or 10%, {braces}')).toBe('cost: $5 or 10%, {braces}');
    expect(escapeTemplate('')).toBe('');
  });

  it('is not idempotent: already escaped text stays literal', () => {
    expect(escapeTemplate('$${x}')).toBe('$$${x}');
    expect(terraformUnescape(escapeTemplate('$${x}'))).toBe('$${x}');
  });

  it('keeps cdktf tokens so references still resolve', () => {
    const stack = newStack();
    const owner = new TerraformVariable(stack, 'owner', { type: 'string' });
    const text = escapeTemplate(`{"tagOwners": {"tag:x": ["${owner.stringValue}"]}, "note": "\${literal}"}`);
    expect(Token.isUnresolved(text)).toBe(true);
    const acl = synthWith((s) => {
      const v = new TerraformVariable(s, 'owner', { type: 'string' });
      new TailscaleAcl(s, 'policy', { acl: `{"tagOwners": {"tag:x": ["${v.stringValue}"]}, "note": "\${literal}"}` });
    }).resource?.tailscale_acl?.policy?.acl;
    expect(acl).toBe('{"tagOwners": {"tag:x": ["${var.owner}"]}, "note": "$${literal}"}');
  });

  it('writes a "$" right before a token as ${"$"} so the token is not swallowed by an escape', () => {
    const acl = synthWith((s) => {
      const v = new TerraformVariable(s, 'price', { type: 'string' });
      new TailscaleAcl(s, 'policy', { acl: `costs $${v.stringValue}` });
    }).resource?.tailscale_acl?.policy?.acl;
    expect(acl).toBe('costs ${"$"}${var.price}');
  });

  it('leaves a whole-token value (file(), a variable) untouched', () => {
    const acl = synthWith((s) => {
      new TailscaleAcl(s, 'policy', { acl: Fn.file('policy.hujson') });
    }).resource?.tailscale_acl?.policy?.acl;
    expect(acl).toBe('${file("policy.hujson")}');
  });

  it('makes a policy with template-like text pass the schema checker as a plain string', () => {
    const policy = '{\n  // ${HOME} and %{ if } are text here\n  "acls": [],\n}\n';
    const tf = synthWith((s) => new TailscaleAcl(s, 'policy', { acl: policy }));
    const acl = tf.resource?.tailscale_acl?.policy?.acl as string;
    expect(isTemplateExpression(acl)).toBe(false);
    expect(terraformUnescape(acl)).toBe(policy);
    expect(checkTerraformJson(tf)).toEqual([]);
  });

  it('round-trips any text through Terraform unescaping and never leaves a live template sequence', () => {
    const text = fc.string({ unit: fc.constantFrom('$', '%', '{', '}', 'a', '\n', '"') });
    fc.assert(
      fc.property(text, (s) => {
        const escaped = escapeTemplate(s);
        expect(isTemplateExpression(escaped)).toBe(false);
        expect(terraformUnescape(escaped)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * A tiny Terraform template evaluator for what escapeTemplate produces: escapes, `${"literal"}` and `${var.v}`.
 */
function terraformEvaluate(template: string, v: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    const rest = template.slice(i);
    if ((c === '$' || c === '%') && template[i + 1] === c && template[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
    } else if (rest.startsWith('${var.v}')) {
      out += v;
      i += '${var.v}'.length - 1;
    } else if (rest.startsWith('${"')) {
      const end = template.indexOf('"}', i + 3);
      out += template.slice(i + 3, end);
      i = end + 1;
    } else if (c === '$' && template[i + 1] === '{') {
      throw new Error(`live interpolation at ${i} in ${JSON.stringify(template)}`);
    } else out += c;
  }
  return out;
}

describe('escapeTemplate with embedded tokens', () => {
  it('evaluates to the text with the token substituted, whatever surrounds the token', () => {
    const stack = newStack();
    const token = new TerraformVariable(stack, 'v', { type: 'string' }).stringValue;
    const piece = fc.string({ unit: fc.constantFrom('$', '%', '{', '}', 'a') });
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), (pieces) => {
        const escaped = escapeTemplate(pieces.join(token));
        const resolved = escaped.split(token).join('${var.v}');
        expect(terraformEvaluate(resolved, 'VALUE')).toBe(pieces.join('VALUE'));
      }),
      { numRuns: 500 },
    );
  });

  it('interpolates a run of "$" before a token', () => {
    const stack = newStack();
    const token = new TerraformVariable(stack, 'v', { type: 'string' }).stringValue;
    expect(escapeTemplate(`$$${token}`).split(token).join('${var.v}')).toBe('${"$$"}${var.v}');
  });
});

describe('isTemplateExpression', () => {
  it.each([
    ['${var.x}', true],
    ['prefix-${var.x}', true],
    ['%{ if x }y%{ endif }', true],
    ['$${var.x}', false],
    ['%%{ if }', false],
    ['$$${x}', false],
    ['$$$${x}', false],
    ['$ {x}', false],
    ['plain', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isTemplateExpression(text)).toBe(expected);
  });
});
