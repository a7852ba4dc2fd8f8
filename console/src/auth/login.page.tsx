import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { api, ApiError } from '../api/client'
import { Button } from '../ui/button'
import { TextField } from '../ui/field'
import { ME_KEY } from './session'

/** Sign-in: POST /v1/auth/login sets the HttpOnly session cookie; the console never sees the token. */
export function LoginPage() {
  const queryClient = useQueryClient()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  useEffect(() => {
    document.title = 'Sign in · Leadwire'
  }, [])
  const login = useMutation({
    mutationFn: () => api('/v1/auth/login', { body: { email, password } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_KEY }),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    login.mutate()
  }
  const error = login.error
  const message =
    error instanceof ApiError
      ? error.status === 401
        ? 'That email and password do not match an active account.'
        : error.status === 429
          ? 'Too many attempts. Wait a few minutes, then try again.'
          : error.message
      : error
        ? 'Could not reach Leadwire. Check your connection and try again.'
        : undefined
  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Leadwire</h1>
        {message ? (
          <div className="alert alert-error" role="alert">
            {message}
          </div>
        ) : null}
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" variant="primary" busy={login.isPending} disabled={!email || !password}>
          Sign in
        </Button>
      </form>
    </main>
  )
}
