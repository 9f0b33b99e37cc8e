import {
    compareVersions,
    isAtLeast,
    parseVersion,
    selectVersion,
    UnsupportedVersionError,
    type VersionSetting,
} from './version'

const SETTING: VersionSetting = {
    product: 'DHIS2',
    variable: 'DHIS2_VERSION',
    releases: [
        { line: '2.41', from: '2.41.7' },
        { line: '2.42', from: '2.42.0' },
    ],
    defaultVersion: '2.42.5',
}

describe('product versions', () => {
    it('reads dotted numbers of any length and compares them part by part', () => {
        expect(parseVersion('2.41.9.1')?.parts).toEqual([2, 41, 9, 1])
        expect(parseVersion(' 1.6 ')?.text).toBe('1.6')
        for (const bad of ['', 'v2.41', '2.41-SNAPSHOT', '2..41', 'latest']) {
            expect(parseVersion(bad)).toBeUndefined()
        }
        expect(compareVersions([2, 41, 10], [2, 41, 9, 1])).toBeGreaterThan(0)
        expect(compareVersions([2, 42], [2, 42, 0])).toBe(0)
        const version = parseVersion('2.41.9.1')!
        expect(isAtLeast(version, '2.41.7')).toBe(true)
        expect(isAtLeast(version, '2.42')).toBe(false)
    })

    it('takes the default when nothing is chosen, and a version of a modelled line', () => {
        expect(selectVersion(SETTING, undefined).text).toBe('2.42.5')
        expect(selectVersion(SETTING, '').text).toBe('2.42.5')
        expect(selectVersion(SETTING, '2.41.9.1').parts).toEqual([2, 41, 9, 1])
        expect(selectVersion(SETTING, '2.42.0').text).toBe('2.42.0')
    })

    it('refuses a version it does not model, saying what it models and how to get the default', () => {
        // Older than the line's first modelled patch, another line, a line prefix lookalike.
        for (const requested of ['2.41.6', '2.40.11', '2.43.0', '2.4', '3.41.7']) {
            expect(() => selectVersion(SETTING, requested)).toThrow(UnsupportedVersionError)
        }
        expect(() => selectVersion(SETTING, '2.41.6')).toThrow(
            'DHIS2_VERSION=2.41.6: DHIS2 2.41.6 is not modelled. The DHIS2 stand-in models ' +
                '2.41 (from 2.41.7), 2.42 (from 2.42.0); unset DHIS2_VERSION for 2.42.5.'
        )
        expect(() => selectVersion(SETTING, 'latest')).toThrow(
            'DHIS2_VERSION=latest is not a version number.'
        )
    })
})
