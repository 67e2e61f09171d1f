import { Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { formatOf, sendActionPage, sendAs } from '../formats/respond';
import { actorOf } from '../support/admin-actor';
import { idQuery, parseInput, siteQuery, userQuery, usersQuery } from '../support/query';
import { DirectoryService } from './directory.service';
import { describeReload } from './reload.controller';
import { AdminController } from './whoson.decorators';

/** WhosOn's site and user endpoints: read, delete, pause and resume. */
@AdminController()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get(['site.json', 'site.xml'])
  async site(@Query() query: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { sitekey } = parseInput(siteQuery, query);
    sendAs(response, formatOf(request), await this.directory.site(sitekey), {
      root: 'site',
      title: `Site ${sitekey}`,
    });
  }

  @Get('user.json')
  async user(@Query() query: unknown): Promise<unknown> {
    return this.directory.user(parseInput(userQuery, query).username);
  }

  @Get('users.json')
  async users(@Query() query: unknown): Promise<unknown> {
    return this.directory.users(parseInput(usersQuery, query));
  }

  @Get('userphoto.json')
  async userPhoto(@Query() query: unknown): Promise<unknown> {
    return this.directory.userPhoto(parseInput(userQuery, query).username);
  }

  @Get('cannedresponses.json')
  async cannedResponses(@Query() query: unknown): Promise<unknown> {
    return this.directory.cannedResponses(parseInput(userQuery, query).username);
  }

  @Get(['pausesite.htm', 'resumesite.htm'])
  async pauseOrResume(
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { sitekey } = parseInput(siteQuery, query);
    const paused = request.path.endsWith('pausesite.htm');
    const reload = await this.directory.setPaused(sitekey, paused, actorOf(request));
    const message = paused
      ? `Site ${sitekey} is paused: it takes no new chats and tells visitors so; open chats go on.`
      : `Site ${sitekey} is resumed: it takes new chats again.`;
    sendActionPage(response, paused ? 'Site paused' : 'Site resumed', message, describeReload(reload));
  }

  @Get('deletesite.htm')
  async deleteSite(
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { sitekey } = parseInput(siteQuery, query);
    const reload = await this.directory.deleteSite(sitekey, actorOf(request));
    sendActionPage(
      response,
      'Site deleted',
      `Site ${sitekey} was deleted with its ended chats and work periods.`,
      describeReload(reload),
    );
  }

  @Get('deleteuser.htm')
  async deleteUser(
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { username } = parseInput(userQuery, query);
    const reload = await this.directory.deleteUser(username, actorOf(request));
    sendActionPage(response, 'User deleted', `User ${username} was deleted.`, describeReload(reload));
  }

  @Get('deleteusergroup.htm')
  async deleteUserGroup(
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { id } = parseInput(idQuery, query);
    const reload = await this.directory.deleteUserGroup(id, actorOf(request));
    sendActionPage(
      response,
      'User group deleted',
      `User group ${id} was deleted; its users are in no group now.`,
      describeReload(reload),
    );
  }

  @Get('deleteworkperiod.htm')
  async deleteWorkPeriod(
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { id } = parseInput(idQuery, query);
    const reload = await this.directory.deleteWorkPeriod(id, actorOf(request));
    sendActionPage(response, 'Work period deleted', `Work period ${id} was deleted.`, describeReload(reload));
  }
}
