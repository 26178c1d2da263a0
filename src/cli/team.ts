import type { Command } from 'commander';
import type { Team } from '../contracts/index.js';
import { type ApiClient, clientFrom, type ServerOptions, withServerOptions } from './http.js';
import { out, outJson } from './io.js';

type Opts = ServerOptions & { json?: boolean };

function line(t: Team): string {
  return `${t.id}  ${t.name}  (${t.memberIds.length} member${t.memberIds.length === 1 ? '' : 's'})`;
}

async function changeMembers(
  api: ApiClient,
  teamId: string,
  change: (ids: string[]) => string[],
): Promise<Team> {
  const path = `/api/v1/teams/${encodeURIComponent(teamId)}`;
  const { body, etag } = await api.requestWithEtag<Team>('GET', path);
  return api.request<Team>('PATCH', path, { memberIds: change(body.memberIds) }, { 'if-match': etag });
}

/** `steward team list|create|add-member|remove-member`: team administration through the API. */
export function registerTeamCommands(program: Command): void {
  const team = program.command('team').description('manage teams (through the API: --server, --token)');
  withServerOptions(team.command('list').description('list teams'))
    .option('--json', 'JSON output')
    .action(async (opts: Opts) => {
      const page = await clientFrom(opts).request<{ items: Team[] }>('GET', '/api/v1/teams?limit=200');
      if (opts.json) outJson(page.items);
      else page.items.forEach((t) => out(line(t)));
    });
  withServerOptions(team.command('create').description('create a team').argument('<name>', 'team name'))
    .option('--description <text>', 'what the team does', '')
    .option('--json', 'JSON output')
    .action(async (name: string, opts: Opts & { description: string }) => {
      const t = await clientFrom(opts).request<Team>('POST', '/api/v1/teams', {
        name,
        description: opts.description,
      });
      if (opts.json) outJson(t);
      else out(`created ${line(t)}`);
    });
  withServerOptions(
    team.command('add-member').description('add a user to a team').argument('<teamId>').argument('<userId>'),
  )
    .option('--json', 'JSON output')
    .action(async (teamId: string, userId: string, opts: Opts) => {
      const t = await changeMembers(clientFrom(opts), teamId, (ids) => [...new Set([...ids, userId])]);
      if (opts.json) outJson(t);
      else out(`updated ${line(t)}`);
    });
  withServerOptions(
    team
      .command('remove-member')
      .description('remove a user from a team')
      .argument('<teamId>')
      .argument('<userId>'),
  )
    .option('--json', 'JSON output')
    .action(async (teamId: string, userId: string, opts: Opts) => {
      const t = await changeMembers(clientFrom(opts), teamId, (ids) => ids.filter((id) => id !== userId));
      if (opts.json) outJson(t);
      else out(`updated ${line(t)}`);
    });
}
