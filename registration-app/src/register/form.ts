import {
    ageInYears,
    checkMeasurement,
    daysBetween,
    eddFromLmp,
    formatGestationalAge,
    gestationalAgeIfAfterLmp,
    isCalendarDate,
    lmpFromEdd,
    type CalendarDate,
    type MeasurementKind,
} from '@anc/shared/anc'
import {
    MAPPED_FIELDS,
    mapClaimsToFields,
    normaliseEmail,
    normaliseNic,
    normalisePhone,
    normaliseText,
    requiredAttribute,
    type ClaimsMappingConfig,
    type MappedField,
} from '@anc/shared/claims'
import type { VerifiedIdentity } from '@anc/shared/esignet'
import { ATTRIBUTES, type SexCode } from '@anc/shared/metadata'
import { type AttributeValue, type DataValue, dataValuesOf } from '@anc/shared/tracker'
import { rangeMessage } from '@anc/shared/ui'
import i18n from '@dhis2/d2-i18n'

/**
 * The demographic fields of the form: the claims mapping's fields but the eSignet subject (set
 * only by verification). Which attribute holds each is the mapping's `attributeOf`, the table the
 * claims and the FHIR Patient read too; a field it gives no attribute is not asked for.
 */
export type PersonField = Exclude<MappedField, 'sub'>
export type PersonValues = Record<PersonField, string>

export const PERSON_FIELDS = MAPPED_FIELDS.filter((field): field is PersonField => field !== 'sub')

/** The fields this operator's mapping stores (each with its attribute), in form order. */
export function storedPersonFields(claims: ClaimsMappingConfig): Map<PersonField, string> {
    const stored = new Map<PersonField, string>()
    for (const field of PERSON_FIELDS) {
        const uid = claims.attributeOf[field]
        if (uid !== undefined) stored.set(field, uid)
    }
    return stored
}

export const PREGNANCY_FIELDS = [
    'lmp',
    'edd',
    'gravida',
    'parity',
    'previousComplications',
    'heightCm',
    'weightKg',
    'systolic',
    'diastolic',
] as const
export type PregnancyField = (typeof PREGNANCY_FIELDS)[number]
export type PregnancyValues = Record<PregnancyField, string> & { dating: 'lmp' | 'edd' }

/** What "Verify with National ID" established: the identity and which fields it locked. */
export interface Verification {
    sub: string
    verifiedAt: string
    /** Person fields filled from verified claims: read-only in the form. */
    lockedFields: PersonField[]
    /** Claims eSignet sent that could not be used (shown so the midwife knows why a field is empty). */
    unusableClaims: string[]
}

export interface RegistrationForm {
    person: PersonValues
    pregnancy: PregnancyValues
    verification: Verification | null
    orgUnit: string
}

export const EMPTY_PERSON: PersonValues = {
    fullName: '',
    givenName: '',
    familyName: '',
    birthDate: '',
    // ANC registers pregnant women: a sensible default the midwife can still change.
    sex: 'FEMALE' satisfies SexCode,
    phone: '',
    email: '',
    address: '',
    nic: '',
}

export const EMPTY_PREGNANCY: PregnancyValues = {
    dating: 'lmp',
    lmp: '',
    edd: '',
    gravida: '',
    parity: '',
    previousComplications: '',
    heightCm: '',
    weightKg: '',
    systolic: '',
    diastolic: '',
}

export function emptyForm(orgUnit = ''): RegistrationForm {
    return {
        person: { ...EMPTY_PERSON },
        pregnancy: { ...EMPTY_PREGNANCY },
        verification: null,
        orgUnit,
    }
}

/**
 * Applies a verified identity: verified claims fill and lock their fields; every other field
 * (a voluntary claim she declined, or one that could not be read) is cleared and stays editable,
 * so nothing typed before verification is mistaken for verified data. `claims` is the operator's
 * claims mapping (AncConfig.claims).
 */
export function applyVerifiedIdentity(
    form: RegistrationForm,
    identity: VerifiedIdentity,
    options: { locale: string; today: CalendarDate; now: Date; claims: ClaimsMappingConfig }
): RegistrationForm {
    const mapped = mapClaimsToFields(
        { ...identity.claims, sub: identity.sub },
        { config: options.claims, locale: options.locale, today: options.today }
    )
    const person: PersonValues = { ...form.person }
    const locked: PersonField[] = []
    for (const field of PERSON_FIELDS) {
        const value = mapped.fields[field]
        if (value === undefined) continue
        person[field] = value
        locked.push(field)
    }
    return {
        ...form,
        person,
        verification: {
            sub: mapped.fields.sub ?? identity.sub,
            verifiedAt: (identity.authTime
                ? new Date(identity.authTime * 1000)
                : options.now
            ).toISOString(),
            lockedFields: locked,
            unusableClaims: mapped.problems.map((problem) => problem.claim),
        },
    }
}

export type FieldErrors = Partial<Record<PersonField | PregnancyField | 'orgUnit', string>>

function rangeError(kind: MeasurementKind, input: string): string | undefined {
    return rangeMessage(checkMeasurement(kind, input))
}

function optionalRange(kind: MeasurementKind, input: string): string | undefined {
    return input.trim() === '' ? undefined : rangeError(kind, input)
}

/** The LMP the pregnancy is dated from: typed, or derived from the EDD. */
export function datingLmp(pregnancy: PregnancyValues): CalendarDate | undefined {
    if (pregnancy.dating === 'lmp') return isCalendarDate(pregnancy.lmp) ? pregnancy.lmp : undefined
    return isCalendarDate(pregnancy.edd) ? lmpFromEdd(pregnancy.edd) : undefined
}

/** GA and EDD as she types, or nothing while the date is incomplete or implausible. */
export function pregnancySummary(
    pregnancy: PregnancyValues,
    today: CalendarDate
):
    | { lmp: CalendarDate; edd: CalendarDate; gestationalAge: string; weeks: number; days: number }
    | undefined {
    const lmp = datingLmp(pregnancy)
    if (!lmp) return undefined
    const ga = gestationalAgeIfAfterLmp(lmp, today)
    if (!ga || ga.weeks > 45) return undefined
    return {
        lmp,
        edd: eddFromLmp(lmp),
        gestationalAge: formatGestationalAge(ga),
        weeks: ga.weeks,
        days: ga.days,
    }
}

export function validatePerson(
    person: PersonValues,
    today: CalendarDate,
    claims: ClaimsMappingConfig
): FieldErrors {
    const errors: FieldErrors = {}
    const name = normaliseText(person.fullName, claims.maxLength)
    if (person.fullName.trim() === '') errors.fullName = i18n.t('Enter her full name.')
    else if (!name.ok)
        errors.fullName = i18n.t('This name contains characters that cannot be saved.')
    if (person.birthDate === '') errors.birthDate = i18n.t('Enter her date of birth.')
    else if (!isCalendarDate(person.birthDate)) errors.birthDate = i18n.t('Enter a valid date.')
    else if (daysBetween(person.birthDate, today) < 0)
        errors.birthDate = i18n.t('The date of birth cannot be in the future.')
    else {
        const age = ageInYears(person.birthDate, today) ?? -1
        if (!checkMeasurement('ageYears', age).ok)
            errors.birthDate = i18n.t('Her age would be {{age}}: check the date of birth.', { age })
    }
    if (person.sex === '') errors.sex = i18n.t('Choose a sex.')
    if (person.phone.trim() !== '') {
        const phone = normalisePhone(
            person.phone,
            claims.phone.defaultCountryCode,
            claims.phone.nationalNumberLengths
        )
        if (!phone.ok) errors.phone = i18n.t('Enter a mobile number such as 071 234 5678.')
    }
    if (person.email.trim() !== '' && !normaliseEmail(person.email).ok)
        errors.email = i18n.t('Enter a valid email address.')
    if (person.nic.trim() !== '' && !normaliseNic(person.nic).ok)
        errors.nic = i18n.t('Enter an NIC of 12 digits, or 9 digits and V or X.')
    return errors
}

export function validatePregnancy(pregnancy: PregnancyValues, today: CalendarDate): FieldErrors {
    const errors: FieldErrors = {}
    const dateField = pregnancy.dating
    const typed = pregnancy[dateField]
    if (typed === '') {
        errors[dateField] =
            dateField === 'lmp'
                ? i18n.t('Enter the first day of her last menstrual period, or the EDD.')
                : i18n.t('Enter the estimated date of delivery, or the LMP.')
    } else if (!isCalendarDate(typed)) errors[dateField] = i18n.t('Enter a valid date.')
    else {
        const lmp = datingLmp(pregnancy) as CalendarDate
        const days = daysBetween(lmp, today)
        if (days < 0)
            errors[dateField] =
                dateField === 'lmp'
                    ? i18n.t('The LMP cannot be in the future.')
                    : i18n.t('This EDD would put the LMP in the future.')
        else if (days > 45 * 7)
            errors[dateField] = i18n.t('This date gives more than 45 weeks of pregnancy: check it.')
    }
    if (pregnancy.gravida.trim() === '') errors.gravida = i18n.t('Enter the gravida.')
    else errors.gravida = rangeError('gravida', pregnancy.gravida)
    if (pregnancy.parity.trim() === '') errors.parity = i18n.t('Enter the parity.')
    else errors.parity = rangeError('parity', pregnancy.parity)
    if (!errors.gravida && !errors.parity) {
        // Gravida counts this pregnancy; parity counts births before it.
        if (Number(pregnancy.parity) > Number(pregnancy.gravida) - 1)
            errors.parity = i18n.t('Parity must be less than gravida.')
    }
    if (pregnancy.previousComplications.length > 2000)
        errors.previousComplications = i18n.t('Keep this under 2000 characters.')
    errors.heightCm = optionalRange('heightCm', pregnancy.heightCm)
    errors.weightKg = optionalRange('weightKg', pregnancy.weightKg)
    errors.systolic = optionalRange('systolic', pregnancy.systolic)
    errors.diastolic = optionalRange('diastolic', pregnancy.diastolic)
    const sbp = pregnancy.systolic.trim()
    const dbp = pregnancy.diastolic.trim()
    if (!errors.systolic && !errors.diastolic) {
        if (sbp !== '' && dbp === '')
            errors.diastolic = i18n.t('Enter both blood pressure numbers.')
        else if (sbp === '' && dbp !== '')
            errors.systolic = i18n.t('Enter both blood pressure numbers.')
        else if (sbp !== '' && Number(sbp) <= Number(dbp))
            errors.diastolic = i18n.t('The diastolic pressure must be lower than the systolic.')
    }
    return stripUndefined(errors)
}

function stripUndefined(errors: FieldErrors): FieldErrors {
    return Object.fromEntries(
        Object.entries(errors).filter(([, message]) => message !== undefined)
    ) as FieldErrors
}

export function validateForm(
    form: RegistrationForm,
    today: CalendarDate,
    claims: ClaimsMappingConfig
): FieldErrors {
    const errors = {
        ...validatePerson(form.person, today, claims),
        ...validatePregnancy(form.pregnancy, today),
    }
    if (form.orgUnit === '') errors.orgUnit = i18n.t('Choose the clinic.')
    return stripUndefined(errors)
}

/** Values as stored: phone in E.164, NIC upper-case, text trimmed. */
export function normalisedPerson(person: PersonValues, claims: ClaimsMappingConfig): PersonValues {
    const phone = normalisePhone(
        person.phone,
        claims.phone.defaultCountryCode,
        claims.phone.nationalNumberLengths
    )
    const nic = normaliseNic(person.nic)
    return {
        fullName: person.fullName.trim(),
        givenName: person.givenName.trim(),
        familyName: person.familyName.trim(),
        birthDate: person.birthDate,
        sex: person.sex,
        phone: phone.ok ? phone.value : person.phone.trim(),
        email: person.email.trim(),
        address: person.address.trim(),
        nic: nic.ok ? nic.value : person.nic.trim(),
    }
}

/** The tracked entity attributes of a new registration (PHN included). */
export function registrationAttributes(
    form: RegistrationForm,
    phn: { serial: string; phn: string },
    claims: ClaimsMappingConfig
): AttributeValue[] {
    const person = normalisedPerson(form.person, claims)
    const attributes: AttributeValue[] = []
    for (const [field, uid] of storedPersonFields(claims)) {
        const value = person[field]
        if (value !== '') attributes.push({ attribute: uid, value })
    }
    attributes.push({ attribute: ATTRIBUTES.phn, value: phn.phn })
    attributes.push({ attribute: ATTRIBUTES.phnSerial, value: phn.serial })
    if (form.verification) {
        attributes.push({
            attribute: requiredAttribute(claims, 'sub'),
            value: form.verification.sub,
        })
        attributes.push({ attribute: ATTRIBUTES.verificationStatus, value: 'VERIFIED' })
        attributes.push({ attribute: ATTRIBUTES.verifiedAt, value: form.verification.verifiedAt })
    } else {
        attributes.push({ attribute: ATTRIBUTES.verificationStatus, value: 'UNVERIFIED' })
    }
    return attributes
}

/** The first contact's data values (LMP and EDD always; GA on the day of registration). */
export function firstContactDataValues(
    pregnancy: PregnancyValues,
    today: CalendarDate
): DataValue[] {
    const summary = pregnancySummary(pregnancy, today)
    if (!summary) throw new RangeError('the pregnancy is not dated')
    return dataValuesOf({
        lmp: summary.lmp,
        edd: summary.edd,
        gestationalAgeWeeks: summary.weeks,
        gravida: pregnancy.gravida,
        parity: pregnancy.parity,
        previousComplications: pregnancy.previousComplications,
        heightCm: pregnancy.heightCm,
        weightKg: pregnancy.weightKg,
        systolicBp: pregnancy.systolic,
        diastolicBp: pregnancy.diastolic,
    })
}
