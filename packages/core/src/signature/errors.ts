/** A signature is defined wrongly: the message names the signature, the field and what to change. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  constructor(
    message: string,
    readonly signatureName: string,
    readonly fieldName?: string,
  ) {
    super(message);
  }
}
