import { act, render, screen } from '@testing-library/react'
import React from 'react'
import { createHashRouter } from './hash-router'

type Route = { page: 'find' } | { page: 'record'; id: string }

const router = createHashRouter<Route>(
    (hash) => {
        const m = /^#\/record\/(\w+)$/.exec(hash)
        return m ? { page: 'record', id: m[1]! } : { page: 'find' }
    },
    (route) => (route.page === 'record' ? `#/record/${route.id}` : '#/find')
)

const Page = () => {
    const route = router.useRoute()
    return <h1>{route.page === 'record' ? `record ${route.id}` : 'find'}</h1>
}

const hashChanged = () => act(() => void window.dispatchEvent(new HashChangeEvent('hashchange')))

describe('createHashRouter', () => {
    beforeEach(() => {
        window.location.hash = ''
    })

    it('starts on the page of the current hash, and an unknown hash on the default page', () => {
        window.location.hash = '#/record/abc'
        const { unmount } = render(<Page />)
        expect(screen.getByRole('heading')).toHaveTextContent('record abc')
        unmount()
        window.location.hash = '#/nowhere'
        render(<Page />)
        expect(screen.getByRole('heading')).toHaveTextContent('find')
    })

    it('navigate writes the hash, and the page follows every hash change (links, Back)', () => {
        render(<Page />)
        act(() => router.navigate({ page: 'record', id: 'xyz' }))
        expect(window.location.hash).toBe('#/record/xyz')
        hashChanged()
        expect(screen.getByRole('heading')).toHaveTextContent('record xyz')
        window.location.hash = '#/find'
        hashChanged()
        expect(screen.getByRole('heading')).toHaveTextContent('find')
        expect(router.hrefOf({ page: 'record', id: 'q' })).toBe('#/record/q')
    })
})
