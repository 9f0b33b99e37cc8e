import { useLoadedAncConfig } from '@anc/shared/config/react'
import { DATASTORE } from '@anc/shared/metadata'
import type { ImportProblems } from '@anc/shared/tracker'
import { trackerKeys, useTrackerEngine } from '@anc/shared/tracker/react'
import i18n from '@dhis2/d2-i18n'
import { useQueryClient } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { setFlash } from '../common/flash'
import { navigate } from '../common/routes'
import { useServices } from '../common/services'
import {
    storedPersonFields,
    validateForm,
    type FieldErrors,
    type PersonField,
    type PregnancyField,
    type RegistrationForm,
} from './form'
import { saveRegistration, type SaveAttempt, type SaveOutcome } from './save'

export type SaveState =
    | { kind: 'editing' }
    | { kind: 'saving' }
    | { kind: 'failed'; message: string }
    | { kind: 'rejected'; problems: ImportProblems }
    | { kind: 'saved'; outcome: Extract<SaveOutcome, { kind: 'saved' }> }

/** The order of the fields on the page: the first with a problem gets the focus. */
const ORDER: (PersonField | PregnancyField | 'orgUnit')[] = [
    'fullName',
    'birthDate',
    'sex',
    'phone',
    'email',
    'nic',
    'lmp',
    'edd',
    'gravida',
    'parity',
    'heightCm',
    'weightKg',
    'systolic',
    'diastolic',
    'previousComplications',
    'orgUnit',
]

/** Opens a record instead of the form, with a one-time explanation on it. */
export function openExisting(trackedEntity: string, message?: string): void {
    if (message) setFlash(message)
    navigate({ page: 'record', trackedEntity })
}

export interface SaveRegistration {
    state: SaveState
    /** The form's problems once she tried to save, DHIS2's refusals beside their fields. */
    errors: FieldErrors
    /** She tried to save and the form still has problems. */
    incomplete: boolean
    save: () => Promise<void>
    /** A new registration: nothing of the last one (PHN, UIDs) is reused. */
    reset: () => void
}

/**
 * Saving the registration: the form checked (focus on the first problem), the duplicate check
 * passed, then the 3-request save (register/save.ts). What one save obtained (PHN, UIDs) is
 * kept across retries, so a retry after a lost answer neither duplicates her nor wastes a PHN.
 */
export function useSaveRegistration(
    form: RegistrationForm,
    today: string,
    clearToSave: () => Promise<boolean>
): SaveRegistration {
    const services = useServices()
    const engine = useTrackerEngine()
    const config = useLoadedAncConfig()
    const queryClient = useQueryClient()
    const [submitted, setSubmitted] = useState(false)
    const [state, setState] = useState<SaveState>({ kind: 'editing' })
    const attempt = useRef<SaveAttempt>({})

    const problems = submitted ? validateForm(form, today, config.claims) : {}
    const errors: FieldErrors = { ...problems }
    if (state.kind === 'rejected') {
        const stored = [...storedPersonFields(config.claims)]
        for (const [uid, messages] of Object.entries(state.problems.fields)) {
            const field = stored.find(([, attribute]) => attribute === uid)?.[0]
            if (field) errors[field] = messages.join(' ')
        }
    }

    const save = async () => {
        setSubmitted(true)
        const problems = validateForm(form, today, config.claims)
        const first = ORDER.find((field) => problems[field])
        if (first) {
            document.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
            return
        }
        setState({ kind: 'saving' })
        try {
            if (!(await clearToSave())) {
                setState({ kind: 'editing' })
                return
            }
            const outcome = await saveRegistration({
                engine,
                form,
                today,
                attempt: attempt.current,
                outbox: services.outbox,
                pushFhir: services.pushFhir,
                config,
            })
            if (outcome.kind === 'duplicate') {
                const existing = outcome.existing[0]
                if (existing) {
                    openExisting(
                        existing.trackedEntity,
                        i18n.t(
                            'She was registered meanwhile (perhaps on another computer). This is her existing record; nothing new was saved.'
                        )
                    )
                    return
                }
                setState({
                    kind: 'failed',
                    message: i18n.t(
                        'She is already registered, but her record is outside the places you can search. Ask your supervisor.'
                    ),
                })
                return
            }
            if (outcome.kind === 'rejected') {
                setState({ kind: 'rejected', problems: outcome.problems })
                return
            }
            if (outcome.fhir !== 'sent') {
                void queryClient.invalidateQueries({
                    queryKey: trackerKeys.outbox(DATASTORE.outboxNamespace),
                })
            }
            setState({ kind: 'saved', outcome })
        } catch {
            setState({
                kind: 'failed',
                message: i18n.t(
                    'The record could not be saved because DHIS2 did not answer. Nothing was lost: check the connection and save again.'
                ),
            })
        }
    }

    return {
        state,
        errors,
        incomplete: Object.keys(problems).length > 0,
        save,
        reset: () => {
            attempt.current = {}
            setSubmitted(false)
            setState({ kind: 'editing' })
        },
    }
}
