import type { ClaimsMappingConfig, MappedField } from '@anc/shared/claims'
import type { TrackedEntity } from '@anc/shared/tracker'

export function attributeValue(te: TrackedEntity, attribute: string): string | undefined {
    return te.attributes.find((a) => a.attribute === attribute)?.value ?? undefined
}

/** One of her fields, read from the attribute the operator's claims mapping says holds it. */
export function personValue(
    te: TrackedEntity,
    claims: Pick<ClaimsMappingConfig, 'attributeOf'>,
    field: MappedField
): string | undefined {
    const uid = claims.attributeOf[field]
    return uid === undefined ? undefined : attributeValue(te, uid)
}
