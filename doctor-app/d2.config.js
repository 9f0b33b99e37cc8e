const shared = require('../d2.config.shared.js')

/** @type {import('@dhis2/cli-app-scripts').D2Config} */
const config = {
    ...shared,
    type: 'app',
    name: 'anc-doctor',
    title: 'ANC Doctor',
    description:
        'Open an antenatal record by PHN, see it whole from the national FHIR record, record each visit',
    customAuthorities: ['ANC_USE_RELAY', 'ANC_USE_FHIR'],
    shortcuts: [{ name: 'Open a record by PHN', url: '#/find' }],
}

module.exports = config
