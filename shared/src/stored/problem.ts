/**
 * One thing wrong with a configuration read from the DHIS2 datastore (claims mapping, PHN
 * format, FHIR codes). Validators report these and fall back to the shipped default for that
 * path, so a bad edit by an administrator degrades one setting, never the whole app.
 */
export interface ConfigProblem {
    /** dotted path of the offending setting, e.g. `claims.birthdate.attribute` */
    path: string
    /** human-readable reason, in English (shown to administrators) */
    reason: string
}
