// Browser journeys wait on real builds and services: give them minutes, not Jest's 5 s.
jest.setTimeout(120_000)
