import type { OperationOutcome } from '@medplum/fhirtypes'

type IssueType = NonNullable<OperationOutcome['issue']>[number]['code']

/** An OperationOutcome with one issue, its text in `diagnostics` as HAPI writes it. */
export function outcome(
    severity: 'error' | 'information',
    code: IssueType,
    text: string
): OperationOutcome {
    return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: text }] }
}

export function invalid(text: string): OperationOutcome {
    return outcome('error', 'invalid', text)
}

/** Error outcomes without Medplum's internal ids (HAPI's carry none). */
export function publicOutcome(value: OperationOutcome): OperationOutcome {
    const { id: _id, ...rest } = value
    return rest
}
