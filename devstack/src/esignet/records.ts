/** The stand-in's own records in the durable store (beside oidc-provider's models). */
export const RECORD = {
    /** per interaction uid: who is signing in and whether the OTP was verified */
    auth: (uid: string) => `EsignetAuth:${uid}`,
    /** per grant id: the languages (ISO 639-3) userinfo renders tagged claims in */
    grantLanguages: (grantId: string) => `EsignetGrant:${grantId}`,
    /** per client and person: the remembered consent (eSignet stores it per client and PSUT) */
    consent: (clientId: string, individualId: string) =>
        `EsignetConsent:${clientId}:${individualId}`,
}
