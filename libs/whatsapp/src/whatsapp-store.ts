import { Injectable } from '@nestjs/common';
import { createRepositories, type Repositories } from '@switchboard/persistence';
import { DataSource } from 'typeorm';

/** The repositories the connector works with, over the process's DataSource. */
@Injectable()
export class WhatsappStore {
  readonly repositories: Repositories;

  constructor(dataSource: DataSource) {
    this.repositories = createRepositories(dataSource);
  }
}
