/**
 * Test support for the relay and its benchmarks (never imported by relay/src): a hostile eSignet
 * issuer, a FHIR double, and a fixture wiring both to a relay built by the production code.
 */
export { FhirDouble } from './fhir-double'
export {
    CLIENT_ID,
    LogCapture,
    REDIRECT_URI,
    ROUTE_SECRET,
    SESSION_SECRET,
    startFixture,
    testRelaySettings,
    type Fixture,
} from './fixture'
export { HostileIssuer, pkcePair, type Behaviour, type Grant } from './hostile-issuer'
