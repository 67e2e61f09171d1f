/** The seed's "Template OIDC JSON" filled in for an Azure tenant; `properties` changes or adds (undefined drops). */
export function azureTemplate(properties: Record<string, unknown> = {}) {
  return {
    IdDomain: 'contoso.com',
    IsEnabled: 'true',
    Name: 'Azure AD',
    Properties: {
      TENANT: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      CLIENTID: 'app-id',
      CLIENTSECRET: 's3cret~value',
      ...properties,
    },
  };
}
