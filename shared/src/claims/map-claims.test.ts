import { ATTRIBUTES } from '../metadata/ids'
import { DEFAULT_CLAIMS_MAPPING, mergeClaimsMappingConfig } from './config'
import {
    attributesOfFields,
    languagePreference,
    mapClaimsToAttributes,
    mapClaimsToFields,
    pickLanguageTagged,
} from './map-claims'
import { normaliseNic, normalisePhone } from './normalise'

const TODAY = '2026-11-20'
const SUB = 'Zq3vN7b2c1kS9yQmY0xw5o8L6pRtUaHgEjIdKfWnXcM'

/** Userinfo as the mock identity system ≥ 0.12 returns it when several languages are asked for. */
const multilingual = {
    sub: SUB,
    'name#eng': 'Nimali Perera',
    'name#sin': 'නිමාලි පෙරේරා',
    'name#tam': 'நிமாலி பெரேரா',
    'given_name#eng': 'Nimali',
    'given_name#sin': 'නිමාලි',
    'family_name#eng': 'Perera',
    'family_name#sin': 'පෙරේරා',
    'gender#eng': 'Female',
    'gender#sin': 'ස්ත්‍රී',
    'gender#tam': 'பெண்',
    birthdate: '1996/05/14',
    phone_number: '+94771234503',
    email: 'nimali.perera@Example.LK',
    address: {
        'street_address#eng': '24 Lake Road',
        'street_address#sin': '24 වැව් පාර',
        'locality#eng': 'Gampaha',
        'locality#sin': 'ගම්පහ',
        'region#eng': 'Western Province',
        postal_code: '11000',
        'country#eng': 'Sri Lanka',
        'country#sin': 'ශ්‍රී ලංකාව',
    },
    individual_id: '199663510742',
    iss: 'http://localhost:8088/v1/esignet',
    aud: 'anc-relay',
}

/** The esignet.md sample identity, one language only: plain keys, foreign phone. */
const singleLanguage = {
    sub: SUB,
    name: 'Siddharth K Mansour',
    gender: 'Male',
    birthdate: '1987/11/25',
    phone_number: '+919427357934',
    email: 'siddhartha.km@gmail.com',
    address: {
        street_address: 'Slung',
        locality: 'yuán',
        region: 'Fès-Meknès',
        postal_code: '45009',
        country: 'Cmattye',
    },
}

const A = ATTRIBUTES

describe('real eSignet-shaped payloads', () => {
    it('maps every claim, choosing English names for locale en', () => {
        const r = mapClaimsToAttributes(multilingual, { locale: 'en', today: TODAY })
        expect(r.problems).toEqual([])
        expect(r.values).toEqual({
            [A.fullName]: 'Nimali Perera',
            [A.givenName]: 'Nimali',
            [A.familyName]: 'Perera',
            [A.birthDate]: '1996-05-14',
            [A.sex]: 'FEMALE',
            [A.phone]: '+94771234503',
            [A.email]: 'nimali.perera@example.lk',
            [A.address]: '24 Lake Road, Gampaha, Western Province, 11000, Sri Lanka',
            [A.esignetSub]: SUB,
            [A.nic]: '199663510742',
        })
        expect([...r.verifiedAttributes].sort()).toEqual(Object.keys(r.values).sort())
    })

    it('chooses Sinhala for locale si, falling back to English per claim where Sinhala is absent', () => {
        const r = mapClaimsToAttributes(multilingual, { locale: 'si-LK', today: TODAY })
        expect(r.values[A.fullName]).toBe('නිමාලි පෙරේරා')
        expect(r.values[A.familyName]).toBe('පෙරේරා')
        expect(r.values[A.address]).toBe('24 වැව් පාර, ගම්පහ, Western Province, 11000, ශ්‍රී ලංකාව')
        expect(r.values[A.sex]).toBe('FEMALE')
    })

    it('chooses Tamil for ta, and English where no Tamil value exists', () => {
        const r = mapClaimsToAttributes(multilingual, { locale: 'ta', today: TODAY })
        expect(r.values[A.fullName]).toBe('நிமாலி பெரேரா')
        expect(r.values[A.givenName]).toBe('Nimali')
    })

    it.each([
        ['name#si', 'si', 'සිංහල'],
        ['name#en', 'en', 'English'],
        ['name#ta', 'tam', 'தமிழ்'],
    ])('accepts 2-letter tag %s for locale %s', (key, locale, value) => {
        const r = mapClaimsToAttributes(
            { sub: SUB, [key]: value, 'name#fra': 'Français' },
            { locale, today: TODAY }
        )
        expect(r.values[A.fullName]).toBe(value)
    })

    it('maps the single-language sample identity (plain keys, foreign phone kept as sent)', () => {
        const r = mapClaimsToAttributes(singleLanguage, { locale: 'ta', today: TODAY })
        expect(r.problems).toEqual([])
        expect(r.values[A.fullName]).toBe('Siddharth K Mansour')
        expect(r.values[A.sex]).toBe('MALE')
        expect(r.values[A.birthDate]).toBe('1987-11-25')
        expect(r.values[A.phone]).toBe('+919427357934')
        // No NIC claim: the person did not share it, and nothing is reported.
        expect(r.values[A.nic]).toBeUndefined()
        // given/family are not split out of the full name: that would be a guess.
        expect(r.values[A.givenName]).toBeUndefined()
    })

    it('picks a remaining language deterministically when neither locale nor fallback is present', () => {
        const r = mapClaimsToAttributes(
            { sub: SUB, 'name#fra': 'Jean', 'name#ara': 'جان' },
            { locale: 'si', today: TODAY }
        )
        expect(r.values[A.fullName]).toBe('جان')
    })
})

describe('missing and declined claims', () => {
    it('reports missing essential claims; voluntary ones absent are simply declined', () => {
        const r = mapClaimsToAttributes({ sub: SUB, email: 'a@b.lk' }, { today: TODAY })
        expect(r.problems).toEqual([
            { claim: 'name', reason: 'missing' },
            { claim: 'birthdate', reason: 'missing' },
            { claim: 'gender', reason: 'missing' },
        ])
        expect(r.values).toEqual({ [A.email]: 'a@b.lk', [A.esignetSub]: SUB })
    })

    it('reports a missing sub and maps nothing from a non-object', () => {
        expect(mapClaimsToAttributes({ name: 'A B' }, { today: TODAY }).problems).toContainEqual({
            claim: 'sub',
            reason: 'missing',
        })
        for (const payload of [null, 'name', 42, [multilingual]]) {
            expect(mapClaimsToAttributes(payload, { today: TODAY })).toEqual({
                values: {},
                verifiedAttributes: [],
                problems: [{ claim: '', reason: 'missing' }],
            })
        }
    })

    it('treats a null claim as absent', () => {
        const r = mapClaimsToAttributes({ ...multilingual, phone_number: null }, { today: TODAY })
        expect(r.values[A.phone]).toBeUndefined()
        expect(r.problems).toEqual([])
    })
})

describe('wrong formats are reported, never guessed', () => {
    it.each<[string, unknown, string]>([
        ['birthdate', '14/05/1996', 'badDateFormat'],
        ['birthdate', '1996-5-14', 'badDateFormat'],
        ['birthdate', '1996/02/30', 'impossibleDate'],
        ['birthdate', '1995/02/29', 'impossibleDate'],
        ['birthdate', '1800/01/01', 'impossibleDate'],
        ['birthdate', '2030/01/01', 'futureDate'],
        ['birthdate', 19960514, 'notAString'],
        ['gender', 'unknown', 'unknownGender'],
        ['gender', '', 'empty'],
        ['phone_number', '+94 77 12', 'badPhone'],
        ['phone_number', '077 123 4567 ext 2', 'badPhone'],
        ['phone_number', 'call me', 'badPhone'],
        ['phone_number', '+9477123456789012', 'badPhone'],
        ['email', 'not-an-email', 'badEmail'],
        ['email', 'a@b', 'badEmail'],
        ['email', 'a b@c.lk', 'badEmail'],
        ['sub', 'short', 'badSub'],
        ['sub', 'a b c d e f g h', 'badSub'],
    ])('%s = %j → %s', (claim, value, reason) => {
        const r = mapClaimsToAttributes({ ...singleLanguage, [claim]: value }, { today: TODAY })
        expect(r.problems).toContainEqual({ claim, reason })
        expect(r.problems).toHaveLength(1)
    })

    it('reports the claim key as received, language tag included', () => {
        const r = mapClaimsToAttributes(
            { ...multilingual, 'gender#sin': 'නොදනී' },
            { locale: 'si', today: TODAY }
        )
        expect(r.problems).toEqual([{ claim: 'gender#sin', reason: 'unknownGender' }])
        expect(r.values[A.sex]).toBeUndefined()
    })

    it('refuses a non-object address and an address with one bad part, whole', () => {
        expect(
            mapClaimsToAttributes({ ...singleLanguage, address: 'Lake Road' }, { today: TODAY })
                .problems
        ).toEqual([{ claim: 'address', reason: 'badAddress' }])
        const r = mapClaimsToAttributes(
            {
                ...multilingual,
                address: { ...multilingual.address, 'locality#eng': 'Gam\u202epaha' },
            },
            { today: TODAY }
        )
        expect(r.problems).toEqual([{ claim: 'address.locality#eng', reason: 'bidiControls' }])
        expect(r.values[A.address]).toBeUndefined()
    })

    it('uses address.formatted when no structured parts exist', () => {
        const r = mapClaimsToAttributes(
            { ...singleLanguage, address: { formatted: '1 Main St, Kandy' } },
            { today: TODAY }
        )
        expect(r.values[A.address]).toBe('1 Main St, Kandy')
    })
})

describe('gender labels of MOSIP identity systems and eSignet sample data', () => {
    // mosip/mosip-data mosip_master_csv/csv/dynamic_field.csv and gender.csv (MOSIP masterdata:
    // what MOSIP ID authentication returns), mosip/esignet helm/esignet/mock-auth-data/*.json and
    // docs/design/dynamic-forms.md (v1.8.0), mosip/esignet-mock-services
    // AuthenticationServiceImplTest (v0.13.0); Sinhala and Tamil as in devstack/seed.
    it.each<[string, string]>([
        ['Male', 'MALE'],
        ['Female', 'FEMALE'],
        ['Others', 'OTHER'],
        ['Other', 'OTHER'],
        ['MLE', 'MALE'],
        ['FLE', 'FEMALE'],
        ['OTH', 'OTHER'],
        ['Mâle', 'MALE'],
        ['Femelle', 'FEMALE'],
        ['Femâle', 'FEMALE'],
        ['Masculin', 'MALE'],
        ['Féminin', 'FEMALE'],
        ['Autres', 'OTHER'],
        ['Autre', 'OTHER'],
        ['Dautres', 'OTHER'],
        ['ذكر', 'MALE'],
        ['أنثى', 'FEMALE'],
        ['آحرون', 'OTHER'],
        ['آخر', 'OTHER'],
        ['පුරුෂ', 'MALE'],
        ['ස්ත්‍රී', 'FEMALE'],
        ['වෙනත්', 'OTHER'],
        ['ஆண்', 'MALE'],
        ['பெண்', 'FEMALE'],
        ['பிற', 'OTHER'],
    ])('%s → %s', (label, code) => {
        const r = mapClaimsToAttributes({ ...singleLanguage, gender: label }, { today: TODAY })
        expect(r.problems).toEqual([])
        expect(r.values[A.sex]).toBe(code)
        // Decomposed input (e.g. "Ma\u0302le" from another system) means the same label.
        const decomposed = mapClaimsToAttributes(
            { ...singleLanguage, gender: label.normalize('NFD') },
            { today: TODAY }
        )
        expect(decomposed.values[A.sex]).toBe(code)
    })
})

describe('the national ID claim (individual_id)', () => {
    it.each([
        ['a new NIC', '199663510742', '199663510742'],
        ['an old NIC', '853400937v', '853400937V'],
    ])('fills the NIC from %s', (_what, individualId, nic) => {
        const r = mapClaimsToAttributes({ ...singleLanguage, individual_id: individualId })
        expect(r.values[A.nic]).toBe(nic)
        expect(r.verifiedAttributes).toContain(A.nic)
    })

    // MOSIP ID authentication releases the UIN or VID she signed in with (16-digit VIDs,
    // 10-digit UINs), which is not her NIC: never stored as one, and not an error either.
    it.each([
        ['a MOSIP UIN', '8267411072'],
        ['a MOSIP VID', '6814563402618293'],
        ['12 digits that are no NIC (day 999)', '199699910742'],
        ['a short number', '12345678'],
        ['not a string', 8267411072],
    ])('leaves the NIC empty for %s, without a problem', (_what, individualId) => {
        const r = mapClaimsToAttributes(
            { ...singleLanguage, individual_id: individualId },
            { today: TODAY }
        )
        expect(r.values[A.nic]).toBeUndefined()
        expect(r.verifiedAttributes).not.toContain(A.nic)
        expect(r.problems).toEqual([])
    })
})

describe('hostile strings', () => {
    it.each<[string, string]>([
        ['<script>alert(1)</script>', 'markup'],
        ['<img src=x onerror=alert(1)>', 'markup'],
        ['Nimali\u0000Perera', 'controlCharacters'],
        ['Nimali\u001bPerera', 'controlCharacters'],
        ['Nimali\u0085Perera', 'controlCharacters'],
        ['Nimali\u2028Perera', 'controlCharacters'],
        ['\u202eareреP ilamiN', 'bidiControls'],
        ['Nimali\u2066Perera\u2069', 'bidiControls'],
        ['Nimali\u200fPerera', 'bidiControls'],
        ['Nim\u200bali', 'invisibleCharacters'],
        ['\ufeffNimali', 'invisibleCharacters'],
        ['x'.repeat(231), 'tooLong'],
        ['x'.repeat(5_000_000), 'tooLong'],
        ['   ', 'empty'],
    ])('name %j → %s, and is not stored', (name, reason) => {
        const r = mapClaimsToAttributes({ ...singleLanguage, name }, { today: TODAY })
        expect(r.problems).toEqual([{ claim: 'name', reason }])
        expect(r.values[A.fullName]).toBeUndefined()
        expect(r.verifiedAttributes).not.toContain(A.fullName)
    })

    it('keeps the zero-width joiner Sinhala needs, and normalises to NFC and single spaces', () => {
        const r = mapClaimsToAttributes(
            { ...singleLanguage, name: '  ශ්‍රී \t  Cafe\u0301 ' },
            { today: TODAY }
        )
        expect(r.values[A.fullName]).toBe('ශ්‍රී Café')
    })

    it('is immune to prototype-pollution keys', () => {
        const payload = JSON.parse(
            `{"sub":"${SUB}","__proto__":{"polluted":"yes","name":"Mallory"},"constructor":{"prototype":{"polluted":"yes"}},` +
                `"name#__proto__":"x","address":{"__proto__":{"locality":"Evil"},"locality":"Kandy"},"gender":"__proto__"}`
        ) as unknown
        const r = mapClaimsToAttributes(payload, { today: TODAY })
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(Object.keys(r.values).every((k) => /^[A-Za-z][A-Za-z0-9]{10}$/.test(k))).toBe(true)
        expect(r.values[A.address]).toBe('Kandy')
        expect(r.values[A.sex]).toBeUndefined()
        expect(r.problems).toContainEqual({ claim: 'gender', reason: 'unknownGender' })
        // The inherited "name" from the polluted prototype is not a claim.
        expect(r.values[A.fullName]).toBe('x')
    })

    it('does not treat inherited properties (toString, hasOwnProperty) as gender labels', () => {
        for (const gender of ['toString', 'hasOwnProperty', 'constructor']) {
            const r = mapClaimsToAttributes({ ...singleLanguage, gender }, { today: TODAY })
            expect(r.problems).toEqual([{ claim: 'gender', reason: 'unknownGender' }])
        }
    })
})

describe('normalisers', () => {
    it.each([
        ['+94 77 123 4567', '+94771234567'],
        ['0771234567', '+94771234567'],
        ['077-123-4567', '+94771234567'],
        ['(077) 123 4567', '+94771234567'],
        ['0094771234567', '+94771234567'],
        ['771234567', '+94771234567'],
        ['+919427357934', '+919427357934'],
    ])('phone %j → %s', (raw, e164) => {
        expect(normalisePhone(raw, '94', [9])).toEqual({ ok: true, value: e164 })
    })

    it.each(['+9477123456', '07712345678', '+0771234567', '12345', '++94771234567'])(
        'phone %j is refused',
        (raw) => {
            expect(normalisePhone(raw, '94', [9]).ok).toBe(false)
        }
    )

    it('honours a configured default country code', () => {
        expect(normalisePhone('0612345678', '33', [9])).toEqual({ ok: true, value: '+33612345678' })
    })

    it.each([
        ['853400937v', '853400937V'],
        ['858400937X', '858400937X'],
        ['198534000937', '198534000937'],
        ['199686500937', '199686500937'],
    ])('NIC %j → %s', (raw, nic) => {
        expect(normaliseNic(raw)).toEqual({ ok: true, value: nic })
    })

    it.each([
        '85340093V',
        '853400937Z',
        '850000937V',
        '853700937V',
        '19853400093',
        'NIC198534000937',
    ])('NIC %j is refused', (raw) => {
        expect(normaliseNic(raw)).toEqual({ ok: false, reason: 'badNic' })
    })
})

describe('language preference and tagged keys', () => {
    it.each([
        ['si', ['sin', 'si', '', 'eng', 'en']],
        ['ta_LK', ['tam', 'ta', '', 'eng', 'en']],
        ['sin', ['sin', 'si', '', 'eng', 'en']],
        ['fra', ['fra', '', 'eng', 'en']],
        [undefined, ['', 'eng', 'en']],
    ])('locale %p → %j', (locale, prefs) => {
        expect(languagePreference(locale, DEFAULT_CLAIMS_MAPPING)).toEqual(prefs)
    })

    it('matches only exact base names, not prefixes', () => {
        expect(pickLanguageTagged({ names: 'x', 'name_x#eng': 'y' }, 'name', [''])).toBeUndefined()
    })
})

describe('mapping config from the datastore', () => {
    it('applies a valid stored override and drops a field mapped to null', () => {
        const { config, problems } = mergeClaimsMappingConfig({
            claimOf: { nic: 'nic' },
            attributeOf: { email: null },
            phone: { defaultCountryCode: '33', nationalNumberLengths: [9] },
            genderOptions: { Femme: 'FEMALE', Homme: 'MALE' },
        })
        expect(problems).toEqual([])
        const r = mapClaimsToAttributes(
            {
                sub: SUB,
                name: 'Amélie',
                gender: 'femme',
                birthdate: '1990/01/02',
                email: 'a@b.fr',
                nic: '199000200123',
                phone_number: '0612345678',
            },
            { config, today: TODAY }
        )
        expect(r.values).toEqual({
            [A.fullName]: 'Amélie',
            [A.sex]: 'FEMALE',
            [A.birthDate]: '1990-01-02',
            [A.nic]: '199000200123',
            [A.phone]: '+33612345678',
            [A.esignetSub]: SUB,
        })
    })

    it('reads each field once, and stores it where the one field-to-attribute table says', () => {
        const { config } = mergeClaimsMappingConfig({ attributeOf: { phone: 'ancAttrMob1' } })
        const claims = { sub: SUB, name: 'Nimali Perera', phone_number: '077 123 4567' }
        const fields = mapClaimsToFields(claims, { config, today: TODAY })
        expect(fields.fields).toEqual({
            fullName: 'Nimali Perera',
            phone: '+94771234567',
            sub: SUB,
        })
        const attributes = mapClaimsToAttributes(claims, { config, today: TODAY })
        expect(attributes.values).toEqual(attributesOfFields(fields.fields, config))
        expect(attributes.values).toEqual({
            [A.fullName]: 'Nimali Perera',
            ancAttrMob1: '+94771234567',
            [A.esignetSub]: SUB,
        })
    })

    it.each<[unknown, string[]]>([
        [{ attributeOf: { fullName: '__proto__' } }, ['attributeOf']],
        [{ attributeOf: { password: 'ancAttrName' } }, ['attributeOf']],
        // A registration cannot do without her name, birth date, sex and subject.
        [{ attributeOf: { fullName: null } }, ['attributeOf']],
        [{ attributeOf: { sub: null } }, ['attributeOf']],
        [{ claimOf: { fullName: 'name; drop' } }, ['claimOf']],
        [{ requestedClaims: [{ claim: 'name' }] }, ['requestedClaims']],
        [{ phone: { defaultCountryCode: '+94', nationalNumberLengths: [9] } }, ['phone']],
        [{ languages: { si: ['sinhala'] } }, ['languages']],
        [{ genderOptions: { female: '<b>' } }, ['genderOptions']],
        [{ maxLength: 1e9, addressSeparator: '' }, ['addressSeparator', 'maxLength']],
    ])('refuses invalid stored section %j and keeps the default', (stored, paths) => {
        const { config, problems } = mergeClaimsMappingConfig(stored)
        expect(problems.map((p) => p.path).sort()).toEqual(paths)
        expect(config).toEqual(mergeClaimsMappingConfig(undefined).config)
    })

    it('ignores a polluted stored config', () => {
        const { config } = mergeClaimsMappingConfig(JSON.parse('{"__proto__":{"maxLength":5}}'))
        expect(config.maxLength).toBe(230)
        expect(mergeClaimsMappingConfig('x').problems).toEqual([
            { path: '', reason: 'not an object' },
        ])
    })
})
