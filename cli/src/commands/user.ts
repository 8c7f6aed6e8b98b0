import type { Command } from 'commander'
import { roles, systemActor } from '@switchboard/core'
import { withApp } from '../support/with-app.js'
import { table } from '../support/output.js'

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage users')

  user
    .command('create')
    .description('Create a user')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--password <password>', 'at least 10 characters')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--locale <locale>', 'en or zh-CN', 'en')
    .action(async (options: { email: string; password: string; role: string; name?: string; locale: string }) => {
      const created = await withApp((app) =>
        app.services.users.create(systemActor('cli'), {
          email: options.email,
          password: options.password,
          role: options.role as (typeof roles)[number],
          name: options.name,
          locale: options.locale as 'en',
        }),
      )
      process.stdout.write(`Created ${created.role} ${created.email} (id ${created.id})\n`)
    })

  user
    .command('list')
    .description('List users')
    .option('--role <role>', `only this role (${roles.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (options: { role?: string; json?: boolean }) => {
      if (options.role && !roles.includes(options.role as (typeof roles)[number])) {
        throw new Error(`--role must be one of ${roles.join(', ')}`)
      }
      const users = await withApp((app) => app.services.users.list({ role: options.role, limit: 500 }))
      if (options.json) {
        process.stdout.write(JSON.stringify(users, null, 2) + '\n')
        return
      }
      process.stdout.write(
        table(
          users.map((u) => ({
            email: u.email,
            name: u.name,
            role: u.role,
            active: u.active ? 'yes' : 'no',
            teams: u.teams.map((t) => t.name).join(', '),
          })),
        ),
      )
    })
}
