import { useLoadedAncConfig } from '@anc/shared/config/react'
import type { VerifiedIdentity } from '@anc/shared/esignet'
import { useLanguage } from '@anc/shared/i18n'
import { useEffect, useState } from 'react'
import type { Clinic } from '../common/queries'
import { useServices } from '../common/services'
import {
    applyVerifiedIdentity,
    emptyForm,
    type PersonField,
    type PregnancyField,
    type RegistrationForm,
} from './form'

export interface RegistrationFormState {
    form: RegistrationForm
    /** Ignored for a field the national ID verified (it stays as verified). */
    changePerson: (field: PersonField, value: string) => void
    changePregnancy: (field: PregnancyField | 'dating', value: string) => void
    chooseClinic: (orgUnit: string) => void
    /** Verified claims fill and lock their fields; the rest is cleared and stays editable. */
    applyIdentity: (identity: VerifiedIdentity) => void
    /** An empty form for the next woman, at the same clinic. */
    clear: () => void
}

/** The registration form's values. `clinics`: hers; with only one, it is chosen for her. */
export function useRegistrationForm(clinics: Clinic[] | undefined): RegistrationFormState {
    const services = useServices()
    const { claims } = useLoadedAncConfig()
    const [language] = useLanguage()
    const [form, setForm] = useState<RegistrationForm>(() => emptyForm())

    useEffect(() => {
        const only = clinics?.length === 1 ? clinics[0] : undefined
        if (only && form.orgUnit === '') setForm((f) => ({ ...f, orgUnit: only.id }))
    }, [clinics, form.orgUnit])

    return {
        form,
        changePerson: (field, value) => {
            if (form.verification?.lockedFields.includes(field)) return
            setForm((f) => ({ ...f, person: { ...f.person, [field]: value } }))
        },
        changePregnancy: (field, value) =>
            setForm((f) => ({ ...f, pregnancy: { ...f.pregnancy, [field]: value } })),
        chooseClinic: (orgUnit) => setForm((f) => ({ ...f, orgUnit })),
        applyIdentity: (identity) =>
            setForm((f) =>
                applyVerifiedIdentity(f, identity, {
                    locale: language,
                    today: services.today(),
                    now: services.now(),
                    claims,
                })
            ),
        clear: () => setForm((f) => emptyForm(f.orgUnit)),
    }
}
