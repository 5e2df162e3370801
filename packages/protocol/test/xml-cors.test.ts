/** The CORSConfiguration codec: both ends' builder and parser, and the value rules COS states. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildCorsConfiguration,
  type CorsConfiguration,
  type CorsRule,
  checkCorsConfiguration,
  LIMITS,
  normalizeCorsConfiguration,
  parseCorsConfiguration,
  XmlCodecError,
} from '../src/index.js';

const config: CorsConfiguration = {
  CORSRule: [
    {
      ID: 'a & <b>',
      AllowedOrigin: ['http://*.example.com', 'https://example.net:8443'],
      AllowedMethod: ['PUT', 'GET'],
      AllowedHeader: ['*'],
      ExposeHeader: ['ETag', 'x-cos-meta-author'],
      MaxAgeSeconds: 600,
    },
    { AllowedOrigin: ['*'], AllowedMethod: ['HEAD'], AllowedHeader: [], ExposeHeader: [] },
  ],
  ResponseVary: true,
};

test('build then parse gives the model back, escaping included', () => {
  const xml = buildCorsConfiguration(config);
  assert.ok(
    xml.startsWith(
      "<?xml version='1.0' encoding='utf-8' ?><CORSConfiguration><CORSRule><ID>a &amp; &lt;b&gt;</ID>",
    ),
  );
  assert.deepEqual(parseCorsConfiguration(xml), config);
});

test('parse reads COS documentation bodies: pretty-printed, single values, no ID, no MaxAgeSeconds', () => {
  const parsed = parseCorsConfiguration(`<?xml version="1.0" encoding="UTF-8" ?>
<CORSConfiguration>
    <CORSRule>
        <ID>1234</ID>
        <AllowedOrigin>http://www.qq.com</AllowedOrigin>
        <AllowedMethod>PUT</AllowedMethod>
        <AllowedHeader>x-cos-meta-test</AllowedHeader>
        <MaxAgeSeconds> 500 </MaxAgeSeconds>
        <ExposeHeader>x-cos-meta-test1</ExposeHeader>
    </CORSRule>
    <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>get</AllowedMethod></CORSRule>
</CORSConfiguration>`);
  assert.deepEqual(parsed.CORSRule[0], {
    ID: '1234',
    AllowedOrigin: ['http://www.qq.com'],
    AllowedMethod: ['PUT'],
    AllowedHeader: ['x-cos-meta-test'],
    ExposeHeader: ['x-cos-meta-test1'],
    MaxAgeSeconds: 500,
  });
  assert.equal(parsed.CORSRule[1]?.MaxAgeSeconds, undefined);
  assert.equal(parsed.ResponseVary, undefined);
  assert.equal(checkCorsConfiguration(parsed), undefined, 'lower-case methods are accepted');
  assert.deepEqual(normalizeCorsConfiguration(parsed).CORSRule[1]?.AllowedMethod, ['GET']);
  assert.throws(
    () =>
      parseCorsConfiguration(
        '<CORSConfiguration><CORSRule><MaxAgeSeconds>-1</MaxAgeSeconds></CORSRule></CORSConfiguration>',
      ),
    XmlCodecError,
  );
  assert.throws(() => parseCorsConfiguration('<Error/>'), XmlCodecError);
});

test('value rules: each broken rule names its problem and the COS code', () => {
  const rule: CorsRule = {
    AllowedOrigin: ['*'],
    AllowedMethod: ['GET'],
    AllowedHeader: [],
    ExposeHeader: [],
  };
  const cases: [Partial<CorsRule>, string, RegExp][] = [
    [{ AllowedOrigin: [] }, 'MalformedXML', /AllowedOrigin/],
    [{ AllowedMethod: [] }, 'MalformedXML', /AllowedMethod/],
    [{ AllowedMethod: ['OPTIONS'] }, 'InvalidArgument', /unsupported AllowedMethod "OPTIONS"/],
    [{ AllowedOrigin: ['http://*.*'] }, 'InvalidArgument', /more than one "\*"/],
    [{ AllowedHeader: ['x-*-*'] }, 'InvalidArgument', /more than one "\*"/],
    [{ ExposeHeader: ['*'] }, 'InvalidArgument', /cannot be a wildcard/],
    [{ ID: 'x'.repeat(256) }, 'InvalidArgument', /at most 255/],
  ];
  for (const [change, code, message] of cases) {
    const problem = checkCorsConfiguration({ CORSRule: [{ ...rule, ...change }] });
    assert.equal(problem?.code, code, JSON.stringify(change).slice(0, 60));
    assert.match(problem?.message ?? '', message);
  }
  assert.equal(checkCorsConfiguration({ CORSRule: [] })?.code, 'MalformedXML');
  assert.equal(checkCorsConfiguration({ CORSRule: Array(LIMITS.maxCorsRules).fill(rule) }), undefined);
  assert.equal(
    checkCorsConfiguration({ CORSRule: Array(LIMITS.maxCorsRules + 1).fill(rule) })?.code,
    'InvalidArgument',
  );
});
