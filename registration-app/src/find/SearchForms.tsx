import { useLoadedAncConfig } from '@anc/shared/config/react'
import { checkPhn, phnLength } from '@anc/shared/phn'
import i18n from '@dhis2/d2-i18n'
import { Button, InputField } from '@dhis2/ui'
import React, { useState } from 'react'

/** A PHN, its check digit checked before any request: a typo is caught here. */
export const FindByPhnForm = ({ onSearch }: { onSearch: (phn: string) => void }) => {
    const { phn: phnConfig } = useLoadedAncConfig()
    const [phn, setPhn] = useState('')
    const [error, setError] = useState<string>()
    const search = () => {
        const check = checkPhn(phn, phnConfig)
        if (check.kind !== 'valid') {
            setError(
                check.kind === 'badCheckDigit'
                    ? i18n.t('This PHN has a typing mistake (the check digit does not match).')
                    : check.kind === 'incomplete'
                      ? i18n.t('A PHN has {{count}} digits.', { count: phnLength(phnConfig) })
                      : i18n.t('A PHN has digits only.')
            )
            return
        }
        setError(undefined)
        onSearch(check.phn)
    }
    return (
        <form
            aria-label={i18n.t('Find by PHN')}
            onSubmit={(event) => {
                event.preventDefault()
                search()
            }}
        >
            <InputField
                name="phn"
                label={i18n.t('PHN')}
                value={phn}
                inputWidth="200px"
                error={Boolean(error)}
                validationText={error}
                onChange={({ value }: { value?: string }) => setPhn(value ?? '')}
            />
            <Button type="submit">{i18n.t('Find by PHN')}</Button>
        </form>
    )
}

/** At least two letters of her name and her date of birth. */
export const FindByNameForm = ({
    onSearch,
}: {
    onSearch: (name: string, birthDate: string) => void
}) => {
    const [name, setName] = useState('')
    const [birthDate, setBirthDate] = useState('')
    const [error, setError] = useState<string>()
    return (
        <form
            aria-label={i18n.t('Find by name and date of birth')}
            onSubmit={(event) => {
                event.preventDefault()
                if (name.trim().length < 2 || birthDate === '') {
                    setError(
                        i18n.t('Enter at least two letters of the name and the date of birth.')
                    )
                    return
                }
                setError(undefined)
                onSearch(name.trim(), birthDate)
            }}
        >
            <InputField
                name="searchName"
                label={i18n.t('Name')}
                value={name}
                onChange={({ value }: { value?: string }) => setName(value ?? '')}
            />
            <InputField
                name="searchBirthDate"
                label={i18n.t('Date of birth')}
                type="date"
                value={birthDate}
                error={Boolean(error)}
                validationText={error}
                onChange={({ value }: { value?: string }) => setBirthDate(value ?? '')}
            />
            <Button type="submit">{i18n.t('Find by name and date of birth')}</Button>
        </form>
    )
}
