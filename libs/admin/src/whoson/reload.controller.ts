import { Get, Query, Req, Res } from '@nestjs/common';
import { SiteRepository, OperatorRepository } from '@switchboard/persistence';
import type { ReloadTarget } from '@switchboard/protocol';
import type { Request, Response } from 'express';
import { AdminException } from '../admin.exception';
import { sendActionPage } from '../formats/respond';
import { parseInput, siteQuery, userQuery } from '../support/query';
import { ReloadService, type ReloadOutcome } from './reload.service';
import { AdminController } from './whoson.decorators';

/** The fields of an action page that say where a reload went and who applied it. */
export function describeReload(outcome: ReloadOutcome | null): Record<string, unknown> {
  if (outcome === null) return {};
  return {
    'reload published to': `cluster stream CHAT at sequence ${outcome.sequence}`,
    target: outcome.key === null ? outcome.target : `${outcome.target} ${outcome.key}`,
    'applied by': outcome.acknowledgedBy.length === 0 ? 'no process yet' : outcome.acknowledgedBy.join(', '),
    processes: outcome.acknowledgedBy.length,
  };
}

const labels: Readonly<Record<ReloadTarget, string>> = {
  site: 'the site',
  sites: 'all sites',
  user: 'the user',
  users: 'all users',
  usergroups: 'all user groups',
  workperiods: 'all work periods',
  skills: 'all skills',
  settings: 'the server settings (parameters)',
};

/** WhosOn's load*.htm endpoints: every process of the cluster re-reads what is named. */
@AdminController()
export class ReloadController {
  constructor(
    private readonly sites: SiteRepository,
    private readonly operators: OperatorRepository,
    private readonly reloads: ReloadService,
  ) {}

  /** An unknown site key is refused (404) and nothing is published. */
  @Get('loadsite.htm')
  async site(@Query() query: unknown, @Res() response: Response): Promise<void> {
    const { sitekey } = parseInput(siteQuery, query);
    if (!(await this.sites.findByKey(sitekey))) throw AdminException.notFound(`site ${sitekey}`);
    await this.answer(response, 'site', sitekey);
  }

  /** An unknown username is refused (404) and nothing is published. */
  @Get('loaduser.htm')
  async user(@Query() query: unknown, @Res() response: Response): Promise<void> {
    const { username } = parseInput(userQuery, query);
    if (!(await this.operators.findByUsername(username))) throw AdminException.notFound(`user ${username}`);
    await this.answer(response, 'user', username);
  }

  @Get([
    'loadallsites.htm',
    'loadallusers.htm',
    'loadusergroups.htm',
    'loadworkperiods.htm',
    'loadskills.htm',
    'loadsettings.htm',
  ])
  async all(@Req() request: Request, @Res() response: Response): Promise<void> {
    const targets: Readonly<Record<string, ReloadTarget>> = {
      'loadallsites.htm': 'sites',
      'loadallusers.htm': 'users',
      'loadusergroups.htm': 'usergroups',
      'loadworkperiods.htm': 'workperiods',
      'loadskills.htm': 'skills',
      'loadsettings.htm': 'settings',
    };
    await this.answer(response, targets[request.path.slice(1)] ?? 'settings');
  }

  private async answer(response: Response, target: ReloadTarget, key?: string): Promise<void> {
    const outcome = await this.reloads.reload(target, key);
    sendActionPage(
      response,
      'Reload',
      `Reload of ${labels[target]}${key === undefined ? '' : ` ${key}`} published to every process of the cluster (stream CHAT, sequence ${outcome.sequence}); applied by ${outcome.acknowledgedBy.length} process(es) so far.`,
      describeReload(outcome),
    );
  }
}
