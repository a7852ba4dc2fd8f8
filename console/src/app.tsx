import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, Suspense, useMemo, type ComponentType, type LazyExoticComponent } from 'react'
import { createBrowserRouter, Navigate, RouterProvider, useRouteError } from 'react-router'
import { ApiError } from './api/client'
import { LoginPage } from './auth/login.page'
import { SessionProvider, useMe, useSession } from './auth/session'
import { SECTIONS } from './layout/navigation'
import { Shell } from './layout/shell'
import { Loading, Page } from './ui/page'
import { ProblemAlert } from './ui/problem-alert'

/*
 * Routes: each page is its own chunk, loaded when first opened, so the first paint only
 * needs the shell. A page a role may not open is not routed for it at all.
 */
const pages: Record<string, LazyExoticComponent<ComponentType>> = {
  tasks: lazy(() => import('./features/tasks/tasks.page')),
  leads: lazy(() => import('./features/leads/leads.page')),
  lead: lazy(() => import('./features/leads/lead.page')),
  pipeline: lazy(() => import('./features/pipeline/pipeline.page')),
  dashboards: lazy(() => import('./features/dashboards/dashboards.page')),
  channels: lazy(() => import('./features/channels/channels.page')),
  imports: lazy(() => import('./features/imports/imports.page')),
  import: lazy(() => import('./features/imports/import.page')),
}

function Lazy({ page }: { page: string }) {
  const Component = pages[page]!
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  )
}

function RouteError() {
  const error = useRouteError()
  return (
    <Page title="Something went wrong">
      <ProblemAlert error={error} />
    </Page>
  )
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>This page does not exist, or your role cannot open it.</p>
    </Page>
  )
}

function Home() {
  const { can } = useSession()
  const first = SECTIONS.find((s) => can(s.object, s.action))
  return first ? <Navigate to={first.path} replace /> : <NotFound />
}

function Routes() {
  const { can } = useSession()
  const router = useMemo(() => buildRouter(can), [can])
  return <RouterProvider router={router} />
}

function buildRouter(can: (object: string, action?: string) => boolean) {
  const allowed = (path: string) => SECTIONS.some((s) => s.path === path && can(s.object, s.action))
  const children = [
    { index: true, element: <Home /> },
    ...(allowed('/tasks') ? [{ path: 'tasks', element: <Lazy page="tasks" /> }] : []),
    ...(allowed('/leads')
      ? [
          { path: 'leads', element: <Lazy page="leads" /> },
          { path: 'leads/:id', element: <Lazy page="lead" /> },
        ]
      : []),
    ...(allowed('/pipeline') ? [{ path: 'pipeline', element: <Lazy page="pipeline" /> }] : []),
    ...(allowed('/dashboards') ? [{ path: 'dashboards', element: <Lazy page="dashboards" /> }] : []),
    ...(allowed('/channels') ? [{ path: 'channels', element: <Lazy page="channels" /> }] : []),
    ...(allowed('/imports')
      ? [
          { path: 'imports', element: <Lazy page="imports" /> },
          { path: 'imports/:id', element: <Lazy page="import" /> },
        ]
      : []),
    { path: '*', element: <NotFound /> },
  ]
  return createBrowserRouter([{ path: '/', element: <Shell />, errorElement: <RouteError />, children }], {
    basename: '/console',
  })
}

function Gate() {
  const me = useMe()
  if (me.isPending) return <Loading label="Starting Leadwire…" />
  if (me.isError) return <ProblemAlert error={me.error} />
  if (!me.data) return <LoginPage />
  return (
    <SessionProvider me={me.data}>
      <Routes />
    </SessionProvider>
  )
}

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a network blip might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
      staleTime: 15_000,
    },
  },
})

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Gate />
    </QueryClientProvider>
  )
}
