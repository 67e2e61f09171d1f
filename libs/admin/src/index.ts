export * from './admin-api.module';
export * from './admin-endpoints';
export { AdminListener } from './access/admin-listener';
export {
  AUTH_FILE_NAME,
  loadAdminAccessSettings,
  type AdminAccessSettings,
} from './access/admin-access.settings';
export { RELOAD_WAIT_OPTIONS, type ReloadWaitOptions } from './whoson/reload.service';
