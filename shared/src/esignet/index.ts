// @anc/shared/esignet: the relay's public config, the exchange through the relay, and the
// outcomes of a sign-in. The popup / redirect sign-in itself (oidc-client-ts) is
// @anc/shared/esignet/signin, so that apps can load it after their first screen.
export type { EsignetPublicConfig } from './config'
export {
    isFailure,
    relayUnreachable,
    type PatientSigninOutcome,
    type SigninFailure,
    type StaffSigninOutcome,
    type VerifiedIdentity,
} from './outcomes'
export {
    exchangeStaffCode,
    fetchPatientRelayConfig,
    fetchStaffRelayConfig,
    NO_LINKED_RECORD_CODE,
    PATIENT_RELAY_BASE,
    startPatientSession,
} from './relay-client'
