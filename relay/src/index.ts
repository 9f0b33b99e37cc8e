export { buildRelay, ROUTE_SECRET_HEADER, sessionCookieName, type RelayDependencies } from './app'
export { ConfigError, loadConfig, parseSettings, type RelayConfig } from './config'
export { RelayError, RelayErrorCode } from './errors'
export type { CodeExchangeRequest, VerifiedLogin } from './esignet/client'
