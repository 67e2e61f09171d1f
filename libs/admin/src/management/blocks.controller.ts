import { Delete, Get, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { actorOf } from '../support/admin-actor';
import { idParameter, parseInput } from '../support/query';
import { AdminController } from '../whoson/whoson.decorators';
import { BlocksService } from './blocks.service';

/** `/api/blocks`: the visitor blocks in force (an agent's "block visitor", BX), and lifting one. */
@AdminController('api')
export class BlocksController {
  constructor(private readonly blocks: BlocksService) {}

  @Get('blocks')
  list() {
    return this.blocks.list();
  }

  @Delete('blocks/:id')
  lift(@Param('id') id: string, @Req() request: Request) {
    return this.blocks.lift(parseInput(idParameter, id), actorOf(request));
  }
}
