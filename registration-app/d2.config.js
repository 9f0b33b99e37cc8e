const shared = require('../d2.config.shared.js')

/** @type {import('@dhis2/cli-app-scripts').D2Config} */
const config = {
    ...shared,
    type: 'app',
    name: 'anc-registration',
    title: 'ANC Registration',
    description:
        'Register pregnant women for antenatal care, verified with the national ID (eSignet), and issue a PHN',
    customAuthorities: ['ANC_USE_RELAY', 'ANC_USE_FHIR'],
    shortcuts: [
        { name: 'Register a pregnant woman', url: '#/register' },
        { name: 'Find a registration', url: '#/find' },
    ],
}

module.exports = config
