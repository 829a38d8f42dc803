/**
 * HuJSON (JSON with `//` and `/* *\/` comments and trailing commas), as Tailscale policy files use it.
 *
 * A hand-written port of the behaviour of Tailscale's Go package github.com/tailscale/hujson: no npm package
 * reproduces hujson.Format byte for byte, and we need that (gitops-pusher compares sha256(hujson.Format(file))
 * with the policy ETag). Split by concern:
 *   hujson-ast.ts       syntax tree, positions, HujsonSyntaxError, packing
 *   hujson-parse.ts     text → tree
 *   hujson-document.ts  parseHujson: value, locate, commentsBefore
 *   hujson-extra.ts     formatting of comments and whitespace
 *   hujson-format.ts    formatHujson (Go's Format), standardizeHujson (Go's Standardize)
 *   hujson-build.ts     hu builder and printHujson for emitters
 */
export { HujsonSyntaxError, type Position } from './hujson-ast';
export {
  type HuArray,
  type HuCompositeOptions,
  type HuLiteral,
  type HuMember,
  type HuNode,
  type HuObject,
  hu,
  printHujson,
} from './hujson-build';
export { type HujsonDocument, type JsonPath, parseHujson } from './hujson-document';
export { formatHujson, standardizeHujson, standardizeHujsonFast } from './hujson-format';
