import { DEFAULT_CLAIMS_MAPPING, type ClaimsMappingConfig } from '@anc/shared/src/claims'
import { DEFAULT_FHIR_MAPPING, type FhirMappingConfig } from '@anc/shared/src/fhir/config'

/**
 * The ANC metadata package stores sex as the lower-case option codes of option set `ancOsSex000`
 * (`female`, `male`, `other`, `unknown`), while the shipped claims mapping produces `FEMALE` and
 * the FHIR mapping expects it. DHIS2 refuses any other code (E1125), so the app maps claims onto
 * the metadata's codes and teaches the FHIR mapping both spellings.
 */
export const SEX_CODES = ['female', 'male', 'other', 'unknown'] as const
export type SexCode = (typeof SEX_CODES)[number]

export const CLAIMS_CONFIG: ClaimsMappingConfig = {
    ...DEFAULT_CLAIMS_MAPPING,
    genderOptions: Object.fromEntries(
        Object.entries(DEFAULT_CLAIMS_MAPPING.genderOptions).map(([label, code]) => [
            label,
            code.toLowerCase(),
        ])
    ),
}

export const FHIR_CONFIG: FhirMappingConfig = {
    ...DEFAULT_FHIR_MAPPING,
    genderCodes: {
        ...DEFAULT_FHIR_MAPPING.genderCodes,
        female: 'female',
        male: 'male',
        other: 'other',
        unknown: 'unknown',
    },
}

/** Clinics in Sri Lanka keep one calendar: "today" is Colombo's, whatever the laptop says. */
export const CLINIC_TIME_ZONE = 'Asia/Colombo'
