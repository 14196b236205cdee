import { SigilError, type SigilErrorOptions } from '../errors/sigil-error';

/**
 * A signature is defined wrongly: the message names the signature, the field and what to change.
 * Code `SIGNATURE_INVALID`.
 */
export class SignatureError extends SigilError {
  static override readonly code: string = 'SIGNATURE_INVALID';
  readonly signatureName: string;
  readonly fieldName?: string;

  constructor(message: string, details: SigilErrorOptions & { signature: string; field?: string }) {
    super(message, details);
    this.signatureName = details.signature;
    this.fieldName = details.field;
  }
}
