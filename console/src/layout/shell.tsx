import { NavLink, Outlet } from 'react-router'
import { useSession } from '../auth/session'
import { humanize } from '../ui/format'
import { SECTIONS } from './navigation'

/** Role names as people write them (the rest read fine humanized: "Sales manager"). */
const ROLE_LABELS: Record<string, string> = { sdr: 'SDR' }

/** The frame around every page: skip link, the sections this role may use, who is signed in. */
export function Shell() {
  const { me, can, signOut } = useSession()
  const sections = SECTIONS.filter((s) => can(s.object, s.action))
  const groups = [...new Set(sections.map((s) => s.group))]
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Leadwire</span>
        <div className="who">
          <span>
            {me.user.name}{' '}
            <span className="muted">· {ROLE_LABELS[me.role.name] ?? humanize(me.role.name)}</span>
          </span>
          <button type="button" className="btn btn-link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Sections">
        {groups.map((group) => (
          <div key={group} className="nav-group">
            <h2 className="nav-group-title">{group}</h2>
            <ul>
              {sections
                .filter((s) => s.group === group)
                .map((s) => (
                  <li key={s.path}>
                    <NavLink to={s.path}>{s.label}</NavLink>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  )
}
