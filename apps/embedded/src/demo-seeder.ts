import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import {
  SiteRepository,
  OperatorRepository,
  SkillRepository,
  type Repositories,
} from '@switchboard/persistence';
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
 * Seeds a demo site (skill "general") and a demo agent when the database has no site yet, so that a
 * fresh installation has something to chat with. The agent's password is random, written once to
 * DATADIR with mode 0600 and read back at every start. Used by `npm start` (DemoSeeder) and by
 * `npm run cluster -- --demo` (dev/cluster-demo.ts).
 */
export async function seedDemo(
  { sites, skills, operators }: Pick<Repositories, 'sites' | 'skills' | 'operators'>,
  dataDirectory: string,
  logger: Pick<Logger, 'log'> = new Logger('DemoSeeder'),
): Promise<DemoLogin> {
  const credentialsFile = join(dataDirectory, CREDENTIALS_FILE);
  if ((await sites.list()).length === 0) {
    const password = randomBytes(9).toString('base64url');
    const skill = await skills.create('general', 'Demo skill');
    await sites.create({ siteKey: DEMO_SITE_KEY, name: 'Demo site', domain: 'localhost', timeZone: 'UTC' });
    await operators.create({
      username: DEMO_AGENT_USERNAME,
      displayName: 'Demo Agent',
      password,
      email: 'agent@example.invalid',
      maxChats: 3,
      skillIds: [skill.id],
    });
    writeFileSync(credentialsFile, `${DEMO_AGENT_USERNAME}\n${password}\n`, { mode: 0o600 });
    logger.log(`seeded demo site "${DEMO_SITE_KEY}" and demo agent "${DEMO_AGENT_USERNAME}" (first start)`);
  }
  const password = existsSync(credentialsFile)
    ? readFileSync(credentialsFile, 'utf8').split('\n')[1]
    : undefined;
  return { username: DEMO_AGENT_USERNAME, password, credentialsFile };
}

/** The line both modes print about the demo agent's login. */
export function demoLoginLine(login: DemoLogin): string {
  return `  demo agent    ${login.username} / ${login.password ?? `(password file ${login.credentialsFile} was removed)`}`;
}

/** Seeds the demo on the embedded mode's start (see seedDemo); nothing when any site already exists. */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private login: DemoLogin | undefined;

  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly operators: OperatorRepository,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { sites, skills, operators } = this;
    this.login = await seedDemo({ sites, skills, operators }, this.settings.dataDirectory);
  }

  demoLogin(): DemoLogin | undefined {
    return this.login;
  }
}
