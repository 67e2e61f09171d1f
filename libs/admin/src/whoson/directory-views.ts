import type { OperatorRecord, SiteRecord, WorkPeriodRecord } from '@switchboard/persistence';

const statusNames = ['offline', 'online', 'busy', 'away'] as const;

const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** A site's settings as site.json/xml show them, with its opening hours. */
export function siteView(site: SiteRecord, workPeriods: readonly WorkPeriodRecord[]) {
  return {
    siteKey: site.siteKey,
    name: site.name,
    domain: site.domain,
    paused: site.paused,
    timeZone: site.timeZone,
    chatTemplate: site.chatTemplate,
    offlineMessage: site.offlineMessage,
    textRules: site.textRules ?? [],
    textRuleMessage: site.textRuleMessage,
    createdAt: site.createdAt,
    workPeriods: workPeriods.map((period) => ({
      id: period.id,
      dayOfWeek: period.dayOfWeek,
      start: clock(period.startMinute),
      end: clock(period.endMinute),
    })),
  };
}

/** A user as user.json/users.json show it: never the password hash, the photo only through userphoto.json. */
export function userView(operator: OperatorRecord, userGroups: ReadonlyMap<number, string>) {
  return {
    id: operator.id,
    username: operator.username,
    displayName: operator.displayName,
    email: operator.email,
    role: operator.role,
    authSource: operator.authSource,
    disabled: operator.disabled,
    status: operator.status,
    statusName: statusNames[operator.status],
    statusChangedAt: operator.statusChangedAt,
    maxChats: operator.maxChats,
    openChats: operator.openChats,
    userGroup: operator.userGroupId === null ? null : (userGroups.get(operator.userGroupId) ?? null),
    skills: operator.skills,
    hasPhoto: operator.photo !== null,
    createdAt: operator.createdAt,
  };
}
