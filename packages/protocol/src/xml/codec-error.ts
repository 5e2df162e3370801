/**
 * The two typed failures of the XML layer. Each carries the COS error code the server answers with,
 * so that no handler spells an XML-related code itself.
 */
import type { CosErrorCode } from '../errors.js';

/**
 * A document could not be read: not XML, not well-formed, a DOCTYPE/entity declaration, the wrong
 * root element, or (for the bodies the server reads) a schema rule broken. The server answers
 * `400 MalformedXML`; the client reports it as an unreadable response.
 */
export class XmlCodecError extends Error {
  /** The COS code the server answers with (400 in the registry). */
  readonly cosCode = 'MalformedXML' satisfies CosErrorCode;

  /**
   * @param message - What was wrong, for logs; not sent on the wire (the registry message is).
   * @param options - Standard `cause`, e.g. the underlying parser exception.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'XmlCodecError';
  }
}

/**
 * A builder was given text that XML 1.0 cannot carry (C0 controls other than tab/LF/CR, unpaired
 * surrogates, U+FFFE, U+FFFF). Such text is never emitted silently: a reader would reject the
 * whole document. In listings these values are representable only with `encoding-type=url`, so
 * the suggested answer is `400 InvalidArgument` telling the caller to ask for it.
 */
export class XmlUnrepresentableError extends Error {
  /** The COS code a server answers with: the request can be repeated with `encoding-type=url`. */
  readonly cosCode = 'InvalidArgument' satisfies CosErrorCode;
  /** Which model field held the text, e.g. `Contents.Key`. */
  readonly field: string;
  /** The first offending code point. */
  readonly codePoint: number;

  /**
   * @param field - Model field path of the value.
   * @param codePoint - The first code point not allowed in XML 1.0.
   */
  constructor(field: string, codePoint: number) {
    super(
      `${field} contains U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 cannot carry ` +
        '(a listing can carry it with encoding-type=url)',
    );
    this.name = 'XmlUnrepresentableError';
    this.field = field;
    this.codePoint = codePoint;
  }
}
