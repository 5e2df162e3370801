/**
 * The `CORSConfiguration` body of PUT / GET Bucket cors (COS API "PUT Bucket cors", 8279): the
 * model, the one builder both ends write it with (the client sends it, the server answers GET with
 * it) and the parser both ends read it with, plus the value rules COS states for it, checked by the
 * client before sending and by the server before storing.
 */
import type { CosErrorCode } from '../errors.js';
import { LIMITS } from '../limits.js';
import { xmlBoolean, xmlDocument, xmlInteger, xmlParent, xmlText } from './build.js';
import { XmlCodecError } from './codec-error.js';
import { childrenNamed, firstChild, readOptionalString, toInteger } from './fields.js';
import { parseXmlRoot } from './parse.js';

/** Methods a rule may allow (COS enum; OPTIONS is the preflight itself and never listed). */
export const CORS_METHODS = ['PUT', 'GET', 'POST', 'DELETE', 'HEAD'] as const;

/** One `<CORSRule>`. Lists are always arrays (possibly empty when read from a lenient source). */
export interface CorsRule {
  /** Optional name of the rule, at most {@link LIMITS.maxCorsRuleIdLength} characters. */
  ID?: string;
  /** Origins, e.g. `https://example.com`, `http://*.example.com`, `*`; at most one `*` each. */
  AllowedOrigin: string[];
  /** Upper-case methods from {@link CORS_METHODS}. */
  AllowedMethod: string[];
  /** Request headers a preflight may announce (case-insensitive; `*` and one-`*` patterns allowed). */
  AllowedHeader: string[];
  /** Response headers the browser may read (no `*`). */
  ExposeHeader: string[];
  /** Seconds a browser may cache the preflight answer (`Access-Control-Max-Age`). */
  MaxAgeSeconds?: number;
}

/** Body of PUT Bucket cors and of GET Bucket cors's answer. */
export interface CorsConfiguration {
  CORSRule: CorsRule[];
  /** COS's switch for `Vary: Origin` on CORS answers (coskit always sends it; kept for round trips). */
  ResponseVary?: boolean;
}

/** A broken value rule: the COS code the server answers and a message saying what to change. */
export interface CorsProblem {
  readonly code: CosErrorCode;
  readonly message: string;
}

/**
 * Builds the document (declaration, compact, no namespace); element order follows COS's example.
 *
 * @throws {@link XmlUnrepresentableError} if a value holds characters XML 1.0 cannot carry.
 */
export function buildCorsConfiguration(model: CorsConfiguration): string {
  const rules = model.CORSRule.map((rule, i) =>
    xmlParent('CORSRule', [
      ...(rule.ID !== undefined ? [xmlText('ID', rule.ID, `CORSRule[${i}].ID`)] : []),
      ...rule.AllowedOrigin.map((v) => xmlText('AllowedOrigin', v, `CORSRule[${i}].AllowedOrigin`)),
      ...rule.AllowedMethod.map((v) => xmlText('AllowedMethod', v, `CORSRule[${i}].AllowedMethod`)),
      ...rule.AllowedHeader.map((v) => xmlText('AllowedHeader', v, `CORSRule[${i}].AllowedHeader`)),
      ...rule.ExposeHeader.map((v) => xmlText('ExposeHeader', v, `CORSRule[${i}].ExposeHeader`)),
      ...(rule.MaxAgeSeconds !== undefined ? [xmlInteger('MaxAgeSeconds', rule.MaxAgeSeconds)] : []),
    ]),
  );
  const vary = model.ResponseVary !== undefined ? [xmlBoolean('ResponseVary', model.ResponseVary)] : [];
  return xmlDocument(xmlParent('CORSConfiguration', [...rules, ...vary]));
}

/**
 * Reads the document. Lists are arrays; text is trimmed (origins, methods and header names never
 * carry meaningful surrounding space, and pretty-printed bodies are common). Value rules are
 * {@link checkCorsConfiguration}'s job.
 *
 * @throws {@link XmlCodecError} if the body is not a `CORSConfiguration` document or a
 *   `MaxAgeSeconds` is not a non-negative integer.
 */
export function parseCorsConfiguration(xml: string | Uint8Array): CorsConfiguration {
  const root = parseXmlRoot(xml, 'CORSConfiguration');
  const texts = (rule: (typeof root.children)[number], name: string) =>
    childrenNamed(rule, [name])
      .map((el) => el.text.trim())
      .filter((text) => text !== '');
  const rules = childrenNamed(root, ['CORSRule']).map((rule, i): CorsRule => {
    const parsed: CorsRule = {
      AllowedOrigin: texts(rule, 'AllowedOrigin'),
      AllowedMethod: texts(rule, 'AllowedMethod'),
      AllowedHeader: texts(rule, 'AllowedHeader'),
      ExposeHeader: texts(rule, 'ExposeHeader'),
    };
    const id = readOptionalString(rule, 'ID');
    if (id !== undefined) parsed.ID = id;
    const maxAge = firstChild(rule, ['MaxAgeSeconds']);
    if (maxAge && maxAge.text.trim() !== '') {
      const value = toInteger(maxAge.text);
      if (value === undefined) {
        throw new XmlCodecError(
          `CORSRule[${i}].MaxAgeSeconds is not an integer: ${JSON.stringify(maxAge.text)}`,
        );
      }
      parsed.MaxAgeSeconds = value;
    }
    return parsed;
  });
  const config: CorsConfiguration = { CORSRule: rules };
  const vary = firstChild(root, ['ResponseVary']);
  if (vary) config.ResponseVary = vary.text.trim().toLowerCase() === 'true';
  return config;
}

/**
 * The value rules of PUT Bucket cors (see docs/PROTOCOL-DECISIONS.md, "CORS"): 1–100 rules, each
 * with at least one origin and one method; methods from {@link CORS_METHODS} (any case, stored upper
 * case by {@link normalizeCorsConfiguration}); at most one `*` per origin and per allowed header; no
 * `*` among exposed headers; IDs of at most 255 characters.
 *
 * @returns the first problem, or undefined when the configuration is acceptable.
 */
export function checkCorsConfiguration(config: CorsConfiguration): CorsProblem | undefined {
  const rules = config.CORSRule;
  if (rules.length === 0)
    return { code: 'MalformedXML', message: 'CORSConfiguration needs at least one <CORSRule>.' };
  if (rules.length > LIMITS.maxCorsRules) {
    return {
      code: 'InvalidArgument',
      message: `CORSConfiguration has ${rules.length} rules; at most ${LIMITS.maxCorsRules} are allowed.`,
    };
  }
  for (const [i, rule] of rules.entries()) {
    const at = `CORSRule[${i}]`;
    if (rule.AllowedOrigin.length === 0)
      return { code: 'MalformedXML', message: `${at} needs at least one <AllowedOrigin>.` };
    if (rule.AllowedMethod.length === 0)
      return { code: 'MalformedXML', message: `${at} needs at least one <AllowedMethod>.` };
    for (const method of rule.AllowedMethod) {
      if (!(CORS_METHODS as readonly string[]).includes(method.toUpperCase())) {
        return {
          code: 'InvalidArgument',
          message: `${at}: unsupported AllowedMethod "${method}"; use ${CORS_METHODS.join(', ')}.`,
        };
      }
    }
    for (const origin of rule.AllowedOrigin) {
      if (wildcards(origin) > 1)
        return {
          code: 'InvalidArgument',
          message: `${at}: AllowedOrigin "${origin}" has more than one "*".`,
        };
    }
    for (const header of rule.AllowedHeader) {
      if (wildcards(header) > 1)
        return {
          code: 'InvalidArgument',
          message: `${at}: AllowedHeader "${header}" has more than one "*".`,
        };
    }
    for (const header of rule.ExposeHeader) {
      if (header.includes('*'))
        return {
          code: 'InvalidArgument',
          message: `${at}: ExposeHeader cannot be a wildcard; name "${header}" exactly.`,
        };
    }
    if (rule.ID !== undefined && rule.ID.length > LIMITS.maxCorsRuleIdLength) {
      return {
        code: 'InvalidArgument',
        message: `${at}: ID is ${rule.ID.length} characters; at most ${LIMITS.maxCorsRuleIdLength} are allowed.`,
      };
    }
  }
  return undefined;
}

/** The configuration as the server stores it: methods upper case (COS's enum spelling). */
export function normalizeCorsConfiguration(config: CorsConfiguration): CorsConfiguration {
  return {
    ...config,
    CORSRule: config.CORSRule.map((rule) => ({
      ...rule,
      AllowedMethod: rule.AllowedMethod.map((m) => m.toUpperCase()),
    })),
  };
}

function wildcards(value: string): number {
  return value.split('*').length - 1;
}
