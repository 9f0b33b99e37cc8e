import { errors as joseErrors } from 'jose'
import { RelayError, RelayErrorCode } from '../errors'

/** Maps a jose verification failure to a typed error naming the failed check. */
export function joseFailure(code: string, what: string, error: unknown): RelayError {
    let reason = 'verification failed'
    if (error instanceof RelayError) {
        return error
    }
    if (error instanceof joseErrors.JWTExpired) {
        reason = error.claim === 'iat' ? 'issued too long ago' : 'expired'
    } else if (error instanceof joseErrors.JWTClaimValidationFailed) {
        reason = `claim "${error.claim}" check failed (${error.reason})`
    } else if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
        reason = 'signature does not verify'
    } else if (error instanceof joseErrors.JWKSNoMatchingKey) {
        reason = "signed with a key not in eSignet's key set"
    } else if (error instanceof joseErrors.JWKSMultipleMatchingKeys) {
        reason = 'ambiguous signing key'
    } else if (error instanceof joseErrors.JOSEAlgNotAllowed) {
        reason = 'signature algorithm not allowed'
    } else if (error instanceof joseErrors.JWEDecryptionFailed) {
        reason = 'cannot be decrypted with the configured key'
    } else if (error instanceof joseErrors.JWKSTimeout) {
        return new RelayError(
            504,
            RelayErrorCode.esignetTimeout,
            "eSignet's key set did not arrive in time"
        )
    } else if (error instanceof joseErrors.JOSENotSupported) {
        reason = 'uses an unsupported algorithm'
    } else if (error instanceof joseErrors.JOSEError) {
        reason = `malformed (${error.code})`
    } else {
        // Not a verification verdict: fetching the key set itself failed.
        return new RelayError(
            502,
            RelayErrorCode.esignetUnreachable,
            "eSignet's key set could not be fetched",
            {
                cause: error,
            }
        )
    }
    return new RelayError(502, code, `${what} rejected: ${reason}`, { cause: error })
}
