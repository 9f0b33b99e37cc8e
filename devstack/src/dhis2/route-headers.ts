/** Which headers a DHIS2 route passes (dhis2-core RouteService), in one place for the stand-in and tests. */

/** Request headers DHIS2 forwards upstream; everything else (Authorization, Cookie...) is dropped. */
export const REQUEST_HEADER_ALLOW_LIST = [
    'accept',
    'accept-encoding',
    'accept-language',
    'x-requested-with',
    'user-agent',
    'cache-control',
    'content-type',
    'if-match',
    'if-modified-since',
    'if-none-match',
    'if-range',
    'if-unmodified-since',
    'x-forwarded-for',
    'x-forwarded-host',
    'x-forwarded-port',
    'x-forwarded-proto',
    'x-forwarded-prefix',
    'forwarded',
]

/** Response headers DHIS2 passes back; Location, Set-Cookie and the rest are stripped. */
export const RESPONSE_HEADER_ALLOW_LIST = [
    'content-encoding',
    'content-language',
    'content-length',
    'content-type',
    'expires',
    'cache-control',
    'last-modified',
    'etag',
]
