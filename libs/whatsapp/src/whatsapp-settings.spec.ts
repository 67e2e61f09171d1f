import { BootstrapSettingsError } from '@switchboard/config';
import { loadWhatsappSettings } from './whatsapp-settings';

describe('the connector settings (SWITCHBOARD_WHATSAPP_*)', () => {
  it('has defaults for an empty environment', () => {
    expect(loadWhatsappSettings({})).toEqual({
      webhookSecret: undefined,
      sweepIntervalMs: 5000,
      leaseMs: 30_000,
      autoResponses: true,
      tyntecTimeoutMs: 5000,
    });
  });

  it('reads every variable', () => {
    expect(
      loadWhatsappSettings({
        SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: 'a-secret-of-16-chars',
        SWITCHBOARD_WHATSAPP_SWEEP_MS: '1000',
        SWITCHBOARD_WHATSAPP_LEASE_MS: '60000',
        SWITCHBOARD_WHATSAPP_AUTO_RESPONSES: 'off',
        SWITCHBOARD_WHATSAPP_TYNTEC_TIMEOUT_MS: '1500',
      }),
    ).toEqual({
      webhookSecret: 'a-secret-of-16-chars',
      sweepIntervalMs: 1000,
      leaseMs: 60_000,
      autoResponses: false,
      tyntecTimeoutMs: 1500,
    });
  });

  it.each([
    [{ SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: 'short' }, 'at least 16 characters'],
    [{ SWITCHBOARD_WHATSAPP_SWEEP_MS: 'soon' }, 'SWITCHBOARD_WHATSAPP_SWEEP_MS must be an integer'],
    [{ SWITCHBOARD_WHATSAPP_LEASE_MS: '10' }, 'SWITCHBOARD_WHATSAPP_LEASE_MS must be an integer'],
    [{ SWITCHBOARD_WHATSAPP_AUTO_RESPONSES: 'yes' }, 'must be on or off'],
  ])('refuses %j, naming the variable', (environment, message) => {
    expect(() => loadWhatsappSettings(environment)).toThrow(message);
  });

  it('reports every bad variable at once, never repeating the secret', () => {
    let error: unknown;
    try {
      loadWhatsappSettings({
        SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: 'short-secret',
        SWITCHBOARD_WHATSAPP_SWEEP_MS: 'soon',
        SWITCHBOARD_WHATSAPP_AUTO_RESPONSES: 'yes',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BootstrapSettingsError);
    expect((error as BootstrapSettingsError).problems).toEqual([
      'SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET must have at least 16 characters (or be unset to generate one)',
      'SWITCHBOARD_WHATSAPP_SWEEP_MS must be an integer number of milliseconds, 50 to 3600000 (got "soon")',
      'SWITCHBOARD_WHATSAPP_AUTO_RESPONSES must be on or off (got "yes")',
    ]);
  });
});
