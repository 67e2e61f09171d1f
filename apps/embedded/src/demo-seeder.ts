import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import { SiteRepository, OperatorRepository, SkillRepository } from '@switchboard/persistence';
import { BOOTSTRAP_SETTINGS } from '@switchboard/platform';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_SITE_KEY = 'demo';
export const DEMO_AGENT_USERNAME = 'agent';
const CREDENTIALS_FILE = 'demo-credentials.txt';

export interface DemoLogin {
  readonly username: string;
  /** Undefined when the demo agent existed before this process and its password file is gone. */
  readonly password: string | undefined;
  readonly credentialsFile: string;
}

/**
 * Seeds a demo site and a demo agent on the embedded mode's first start, so that a fresh clone has
 * something to chat with. The agent's password is random, written once to DATADIR with mode 0600
 * and printed at every start; nothing is seeded when any site already exists.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');
  private login: DemoLogin | undefined;

  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly operators: OperatorRepository,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const credentialsFile = join(this.settings.dataDirectory, CREDENTIALS_FILE);
    const { sites } = this;
    if ((await sites.list()).length === 0) {
      const password = randomBytes(9).toString('base64url');
      const skill = await this.skills.create('general', 'Demo skill');
      await sites.create({ siteKey: DEMO_SITE_KEY, name: 'Demo site', domain: 'localhost', timeZone: 'UTC' });
      await this.operators.create({
        username: DEMO_AGENT_USERNAME,
        displayName: 'Demo Agent',
        password,
        email: 'agent@example.invalid',
        maxChats: 3,
        skillIds: [skill.id],
      });
      writeFileSync(credentialsFile, `${DEMO_AGENT_USERNAME}\n${password}\n`, { mode: 0o600 });
      this.logger.log(
        `seeded demo site "${DEMO_SITE_KEY}" and demo agent "${DEMO_AGENT_USERNAME}" (first start)`,
      );
    }
    const password = existsSync(credentialsFile)
      ? readFileSync(credentialsFile, 'utf8').split('\n')[1]
      : undefined;
    this.login = { username: DEMO_AGENT_USERNAME, password, credentialsFile };
  }

  demoLogin(): DemoLogin | undefined {
    return this.login;
  }
}
