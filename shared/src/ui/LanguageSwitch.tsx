import i18n from '@dhis2/d2-i18n'
import { SingleSelectField, SingleSelectOption } from '@dhis2/ui'
import React from 'react'
import { SUPPORTED_LANGUAGES, supportedLanguage, type LanguageCode } from '../i18n/languages'

export interface LanguageSwitchProps {
    value: string
    onChange: (language: LanguageCode) => void
}

/** English, Sinhala, Tamil; each name in its own language. */
export const LanguageSwitch = ({ value, onChange }: LanguageSwitchProps) => (
    <SingleSelectField
        label={i18n.t('Language')}
        selected={supportedLanguage(value)}
        onChange={({ selected }: { selected: string }) => onChange(supportedLanguage(selected))}
        dense
    >
        {SUPPORTED_LANGUAGES.map((language) => (
            <SingleSelectOption key={language.code} value={language.code} label={language.name} />
        ))}
    </SingleSelectField>
)
