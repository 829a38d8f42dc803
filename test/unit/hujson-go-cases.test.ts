import { describe, expect, it } from 'vitest';
import { formatHujson } from '../../src/core/canonical/hujson';

/**
 * Test vectors of Go's hujson format_test.go (testdataFormat), input → Format output. As in the Go test, a
 * leading newline of the expected text is dropped and one final newline is added.
 */
const GO_FORMAT_CASES: readonly (readonly [string, string])[] = [
  ['null', 'null'],
  [' \r\n\t//comment\n\n\n/**/null \r\t//comment\n\n\n/**/\r\n\t', '//comment\n\n/**/ null //comment\n\n/**/'],
  ['//comment\r\n//comment\n\r/**\r/*/null', '//comment\n//comment\n/** /*/ null'],
  ['"\\u000F\\u000a\\/\\ud83d\\ude02"', '"\\u000f\\n/😂"'],
  ['{\n\r\t \n\r\t }', '{}'],
  ['{/**/}', '{ /**/ }'],
  ['{//\r\t\n}', '{ //\n}'],
  ['[\n\r\t \n\r\t ]', '[]'],
  ['[/**/]', '[ /**/ ]'],
  ['[//\r\t\n]', '[ //\n]'],
  ['{"name" \t \t:"value" \t \t,"name":"value"}', '{"name": "value", "name": "value"}'],
  ['{"name"/**/:"value"/**/,"name":"value"}', '{"name" /**/ : "value" /**/ , "name": "value"}'],
  ['[null \t \t,null]', '[null, null]'],
  ['[null/**/,null]', '[null /**/ , null]'],
  ['[0//\n,]', '\n[\n\t0 //\n\t\t,\n]'],
  ['[/*\n*/\n]', '[ /*\n\t */\n]'],
  ['[/*\n\n*/\n]', '[ /*\n\n\t*/\n]'],
  ['[ /*\n\t\n\t*/\n]', '[ /*\n\n\t*/\n]'],
  ['[\n\t\t\t/*\n\n\t\tline1\n  line2\n\n\t\t\t*/\n\n\t\t]', '\n[\n\t/*\n\n\t\t\tline1\n\t  line2\n\n\t*/\n]'],
  ['[\n\t\t/*\n\n  \tline1\n  line2\n\n\t\t*/\n\n\t]', '\n[\n\t/*\n\n\t\tline1\n\tline2\n\n\t*/\n]'],
  ['[\n/*\n* line1\n* line2\n*/\n\t\t]', '\n[\n\t/*\n\t * line1\n\t * line2\n\t */\n]'],
  ['[\n/*\n\t* line1\n* line2\n*/\n\t]', '\n[\n\t/*\n\t\t* line1\n\t* line2\n\t*/\n]'],
  ['//😊 \r\t☹\n/*😊 \r\t☹\n*/null//😊 \r\t\n/*\r\t\n*/', '\n//😊  \t☹\n/*😊  \t☹\n */ null //😊\n/*\n */'],
  [
    '\n\t\t\n\t\t   // LineComment   \n\t\t/* \n  BlockComment     \n\t\t\t */\n\n\t{\n\t\t\n\t\t// LineComment   \n\t /* \nBlockComment     \n\t\t  */\n\n"name"\n\n\t\t\n// LineComment   \n/* \nBlockComment     \n\t */\n\n:\n\t\t\n    // LineComment   \n/* \n BlockComment     \n\t */\n\n\t\t\t   "value"\n\n\t\t\n         \t\t\t   // LineComment   \n\t\t   \t   /* \n\t\t\t                         BlockComment     \n\t\t\t\t\t*/\n\n\t\t\t   ,\n\n\t\t\n\t    \t\t   // LineComment      \n   \t\t\t   /* \n\t\t\t   BlockComment     \n\t\t\t\t\t*/\n\t\t\t   \n\n\t}\n\n\t\t\t\n// LineComment   \n/* \nBlockComment     \n\t */\n\n\n\n\t ',
    '\n// LineComment\n/*\nBlockComment\n*/\n\n{\n\t// LineComment\n\t/*\n\tBlockComment\n\t*/\n\n\t"name"\n\t\t// LineComment\n\t\t/*\n\t\tBlockComment\n\t\t*/\n\t\t:\n\t\t// LineComment\n\t\t/*\n\t\tBlockComment\n\t\t*/\n\t\t"value"\n\t\t// LineComment\n\t\t/*\n\t\tBlockComment\n\t\t*/\n\t\t,\n\n\t// LineComment\n\t/*\n\tBlockComment\n\t*/\n}\n\n// LineComment\n/*\nBlockComment\n*/',
  ],
  [
    '\n\t\t//line1\n\t\t{//line2\n\t\t"name"//line3\n\t\t://line4\n\t\t"value"//line5\n\t\t}//line6\n\t\t',
    '\n//line1\n{ //line2\n\t"name" //line3\n\t\t: //line4\n\t\t"value", //line5\n} //line6',
  ],
  [
    '/**//**/{/**//**/"name"/**//**/:/**//**/null/**//**/,}/**//**/',
    '/**/ /**/ { /**/ /**/ "name" /**/ /**/ : /**/ /**/ null /**/ /**/ } /**/ /**/',
  ],
  [
    '/**//**/{/**//**/"name"/**//**/:/**//**/null/**//**/,/**//**/}/**//**/',
    '/**/ /**/ { /**/ /**/ "name" /**/ /**/ : /**/ /**/ null /**/ /**/ , /**/ /**/ } /**/ /**/',
  ],
  ['/**//**/[/**//**/null/**//**/,]/**//**/', '/**/ /**/ [ /**/ /**/ null /**/ /**/ ] /**/ /**/'],
  ['/**//**/[/**//**/null/**//**/,/**//**/]/**//**/', '/**/ /**/ [ /**/ /**/ null /**/ /**/ , /**/ /**/ ] /**/ /**/'],
  [
    '{\n\t\t\t\t"name": "value",\n\t\t\t\t"name______": "value",\n\t\t\t\t"name_": "value",\n\t\t\t\t"name___": "value"\n\t\t\t}',
    '\n{\n\t"name":       "value",\n\t"name______": "value",\n\t"name_":      "value",\n\t"name___":    "value"\n}',
  ],
  [
    '{\n\t\t"name": "value",\n\t\t"name______": "value",\n\t\t// comment\n\t\t"name_": "value",\n\t\t"name___": "value"\n\t\t}',
    '\n{\n\t"name":       "value",\n\t"name______": "value",\n\t// comment\n\t"name_":   "value",\n\t"name___": "value",\n}',
  ],
  [
    '{\n\t"name": "value",\n\t"name______": "value",\n\n\n\t"name_": "value",\n\t"name___": "value"\n\t}',
    '\n{\n\t"name":       "value",\n\t"name______": "value",\n\n\t"name_":   "value",\n\t"name___": "value"\n}',
  ],
  [
    '{\n\t\t\t/**/ "name": "value",\n\t\t\t/**/ "name______": "value",/**/\n\t\t\t"name_"/**/: "value"/**/,\n\t\t\t"name___":/**/ "value"\n\t\t}',
    '\n{\n\t/**/ "name":         "value",\n\t/**/ "name______":   "value", /**/\n\t"name_" /**/ :  "value" /**/ ,\n\t"name___": /**/ "value",\n}',
  ],
  [
    '{"foo": "bar", \n\t// Comment1\n\t"fizz":"buzz"\n\t// Comment2\n,}',
    '\n{\n\t"foo": "bar",\n\t// Comment1\n\t"fizz": "buzz"\n\t\t// Comment2\n\t\t,\n}',
  ],
  [
    '\n\n\t//ACls\n\n// ACLs\n{\n\n\n\t\n\t\t\t\t\t// foo\n\t\t\t\t\t// foo\n\n\n\t\t\t\t\t"k"\n\n\n\t\t\t\t\t// bar\n\t\t\t\t\t// bar\n\n\n\t\t\t\t\t:\n\n\n\n\t\t\t\t\t// baz\n\t\t\t\t\t// baz\n\n\n\n\n\n\n\t\n\t\t\t\t\t\t\t\t[\t\t\t\t\t\t\t\t\t"v",\t\t\t\t\t\t\t\t\t]\n\n\t\t\t\t\t\t\t\t// gaz\n\t\t\t\t\t\t\t\t// gaz\n\n\t\t     // ,\n\n\t\t\t  // maz\n\n\n\n\n}\n\t',
    '\n//ACls\n\n// ACLs\n{\n\t// foo\n\t// foo\n\n\t"k"\n\t\t// bar\n\t\t// bar\n\t\t:\n\t\t// baz\n\t\t// baz\n\t\t["v"],\n\n\t// gaz\n\t// gaz\n\n\t// ,\n\n\t// maz\n}',
  ],
  [
    '\t\t\t   {\n\t\t"a" :     {\t\n\t\t\t"b" : [\n  \n\t\t\t  ],\n\t\t},\n  \n  \n  \n  }   ',
    '\n{\n\t"a": {\n\t\t"b": [],\n\t},\n}',
  ],
  ['{"a":{"b":[],"c":[\n\n\n\n\n\n\t],},}', '{"a": {"b": [], "c": []}}'],
  [
    '\n\t[\n\t\t[\n\t\t\t"a",\n\t\t]\n\t\t,\n\t\t[\n\t\t\t"a",\n\t\t]\n\t\t,\n\t\t[\n\t\t\t"a",\n\t\t]\n\n\t]\n\t\n\t',
    '\n[\n\t[\n\t\t"a",\n\t],\n\t[\n\t\t"a",\n\t],\n\t[\n\t\t"a",\n\t],\n]',
  ],
  [
    '\n\t{//fizzbuzz\n\t"key"\n\t\t\n\t\t:"value"\n\t\t\n\t\t,//wizzwuzzz \n\t\t\n\t// standalone comment\n\t\n\t\t// key comment\n\t\t"key":"value"}\n\t\n\t',
    '\n{ //fizzbuzz\n\t"key": "value", //wizzwuzzz\n\n\t// standalone comment\n\n\t// key comment\n\t"key": "value",\n}',
  ],
];

describe('formatHujson reproduces the test table of Go hujson.Format', () => {
  it.each(GO_FORMAT_CASES.map(([input, want], i) => ({ i, input, want })))('case $i', ({ input, want }) => {
    const expected = `${want.replace(/^\n/, '')}\n`;
    expect(formatHujson(input)).toBe(expected);
    expect(formatHujson(expected)).toBe(expected); // idempotent
  });

  it('has all 39 cases of the Go table', () => {
    expect(GO_FORMAT_CASES).toHaveLength(39);
  });
});
