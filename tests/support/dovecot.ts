import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, spawnServer, stopChild } from '../../platform/process/child-process.js'

/*
 * A real Dovecot IMAP server for the email connector's tests: the server people run, not
 * an in-memory imitation. Debian's dovecot-imapd is installed on first use (CI machines are
 * fresh; scripts/install-dovecot.sh serialises parallel test files), then each caller runs
 * its own private instance from a temp folder on a free loopback port, with one user.
 *
 * The folder's name starts with `leadwire-test-`: CI fails when a process whose command
 * line holds that name outlives the tests, so call stop() in afterAll.
 */

export interface TestDovecot {
  host: string
  port: number
  user: string
  password: string
  /** Folder of the instance (config, log, maildirs). */
  dir: string
  /** The server's log so far (for a failing test's message). */
  log(): Promise<string>
  /** Disconnects the user's sessions from the server side (`doveadm kick`), as a server restart would. */
  kick(): void
  stop(): Promise<void>
}

const INSTALL_SCRIPT = fileURLToPath(new URL('../../scripts/install-dovecot.sh', import.meta.url))

function findDovecot(): string | undefined {
  for (const candidate of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) {
    if (existsSync(candidate)) return candidate
  }
  try {
    return execFileSync('sh', ['-c', 'command -v dovecot'], { encoding: 'utf-8' }).trim() || undefined
  } catch {
    return undefined
  }
}

function installDovecot(): string {
  try {
    execFileSync('bash', [INSTALL_SCRIPT], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 })
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? ''
    throw new Error(`could not install Dovecot (apt-get, as root): ${stderr || String(err)}`, { cause: err })
  }
  const binary = findDovecot()
  if (!binary) throw new Error('dovecot-imapd was installed but no dovecot binary was found')
  return binary
}

/** "2.3.19.1 (9b53102964)" → [2, 3]. */
function dovecotVersion(binary: string): [number, number] {
  const out = execFileSync(binary, ['--version'], { encoding: 'utf-8' })
  const [major = 0, minor = 0] = out.trim().split(/[.\s]/).map(Number)
  return [major, minor]
}

function ids(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf-8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

/**
 * The whole configuration, with no include of /etc/dovecot: nothing on the machine changes
 * what the test sees. 2.4 renamed most settings (https://doc.dovecot.org/2.4.0/installation/upgrade/2.3-to-2.4.html),
 * so each major line gets its own text. Passwords carry their scheme ({PLAIN}) in the file.
 */
function configText(version: [number, number], dir: string, port: number): string {
  const common = [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'ssl = no',
    'auth_mechanisms = plain login',
    // nobody (65534) owns the maildirs; the default floor of 500 would refuse it.
    'first_valid_uid = 1',
    'first_valid_gid = 1',
    // A bad-credentials test would slow every later login: Dovecot delays a failed login
    // by 2 s, then penalises the client IP (doubling up to 15 s) through anvil's penalty
    // socket, which mode 0 turns off (https://doc.dovecot.org/2.3/configuration_manual/authentication/auth_penalty/).
    'auth_failure_delay = 0',
  ]
  const service = [
    'service imap-login {',
    `  inet_listener imap {\n    port = ${port}\n  }`,
    '  inet_listener imaps {\n    port = 0\n  }',
    '}',
    // The mail processes run as nobody and report to the stats service; the default socket
    // mode only lets the dovecot user in, which fills the log with permission errors.
    'service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}',
    'service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
  ]
  if (version[0] > 2 || (version[0] === 2 && version[1] >= 4)) {
    return [
      'dovecot_config_version = 2.4.0',
      'dovecot_storage_version = 2.4.0',
      ...common,
      'auth_allow_cleartext = yes',
      'mail_driver = maildir',
      `mail_home = ${dir}/mail/%{user}`,
      `mail_path = ${dir}/mail/%{user}`,
      'passdb passwd-file {',
      `  passwd_file_path = ${dir}/passwd`,
      '}',
      'userdb static {',
      '  fields {',
      '    uid = nobody',
      '    gid = nogroup',
      `    home = ${dir}/mail/%{user}`,
      '  }',
      '}',
      ...service,
      '',
    ].join('\n')
  }
  return [
    ...common,
    'disable_plaintext_auth = no',
    `mail_location = maildir:${dir}/mail/%u`,
    'passdb {',
    '  driver = passwd-file',
    `  args = ${dir}/passwd`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=nobody gid=nogroup home=${dir}/mail/%u`,
    '}',
    ...service,
    '',
  ].join('\n')
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Starts a private Dovecot (installing it first if the machine has none). */
export async function startDovecot(): Promise<TestDovecot> {
  const binary = findDovecot() ?? installDovecot()
  const version = dovecotVersion(binary)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwire-test-dovecot-'))
  const host = '127.0.0.1'
  const user = 'leads'
  const password = `pw-${randomBytes(6).toString('hex')}`
  const logFile = path.join(dir, 'dovecot.log')
  const log = () => readFile(logFile, 'utf-8').catch(() => '')
  let child: ReturnType<typeof spawnServer> | undefined
  try {
    // Dovecot's unprivileged processes (auth as `dovecot`, mail as `nobody`) must reach into it.
    await chmod(dir, 0o755)
    const mail = path.join(dir, 'mail')
    await mkdir(mail)
    const owner = ids()
    await chown(mail, owner.uid, owner.gid)
    await writeFile(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 })
    const port = await freePort(host)
    const conf = path.join(dir, 'dovecot.conf')
    await writeFile(conf, configText(version, dir, port))
    child = spawnServer(binary, ['-F', '-c', conf])
    const output: string[] = []
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()))
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()))
    const running = child
    const deadline = Date.now() + 10_000
    while (!(await accepts(host, port))) {
      if (running.exitCode !== null || Date.now() > deadline) {
        throw new Error(`dovecot did not start on ${host}:${port}: ${output.join('')}${await log()}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    return {
      host,
      port,
      user,
      password,
      dir,
      log,
      kick() {
        const doveadm = ['/usr/bin/doveadm', '/usr/local/bin/doveadm'].find((p) => existsSync(p)) ?? 'doveadm'
        execFileSync(doveadm, ['-c', conf, 'kick', user], { stdio: 'pipe' })
      },
      async stop() {
        // SIGTERM: the master stops its children (imap, auth, log) before it exits.
        await stopChild(running, 'SIGTERM', 10_000)
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    if (child) await stopChild(child, 'SIGKILL', 1_000)
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}
