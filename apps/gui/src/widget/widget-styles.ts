/** The widget's styles, inside its shadow root so that the host page and the widget leave each other alone. */
export const WIDGET_STYLES = `
:host { all: initial; }
* { box-sizing: border-box; }
.root { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2433; }
button, input, textarea { font: inherit; }
button { cursor: pointer; border-radius: 8px; border: 1px solid transparent; padding: 7px 12px; }
button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #ffbf47; outline-offset: 1px; }
.primary { background: var(--accent); color: #fff; }
.secondary { background: #fff; color: #1d2433; border-color: #c5cbd8; }
.launcher { display: flex; align-items: center; gap: 8px; margin-left: auto; padding: 12px 18px; border-radius: 999px; background: var(--accent); color: #fff; font-weight: 600; box-shadow: 0 6px 20px rgba(0,0,0,.2); }
.launcher .badge { background: #e5484d; border-radius: 999px; padding: 0 7px; font-size: 12px; }
.panel { display: flex; flex-direction: column; width: min(360px, calc(100vw - 40px)); height: min(540px, calc(100vh - 100px)); margin-bottom: 12px; background: #fff; border-radius: 14px; box-shadow: 0 12px 40px rgba(0,0,0,.25); overflow: hidden; }
.panel[hidden], [hidden] { display: none !important; }
header { display: flex; align-items: flex-start; gap: 8px; padding: 12px 14px; background: var(--accent); color: #fff; }
header .heading { flex: 1; }
h2 { margin: 0; font-size: 16px; }
.status { margin: 2px 0 0; font-size: 12px; opacity: .9; }
.minimize { background: transparent; color: #fff; border-color: rgba(255,255,255,.5); padding: 2px 9px; }
form.prechat { display: flex; flex-direction: column; gap: 10px; padding: 16px; }
label { display: flex; flex-direction: column; gap: 4px; font-weight: 600; font-size: 13px; }
label .hint { font-weight: 400; color: #5b6477; }
input, textarea { width: 100%; border: 1px solid #c5cbd8; border-radius: 8px; padding: 8px 10px; color: #1d2433; background: #fff; }
.conversation { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.transcript { flex: 1; overflow-y: auto; margin: 0; padding: 12px; list-style: none; display: flex; flex-direction: column; gap: 8px; background: #f5f7fb; }
.line { max-width: 85%; padding: 7px 10px; border-radius: 12px; background: #fff; border: 1px solid #e2e6ee; align-self: flex-start; white-space: pre-wrap; overflow-wrap: anywhere; }
.line--own { align-self: flex-end; background: var(--accent-soft); border-color: transparent; }
.line--system { align-self: center; background: transparent; border: 0; color: #5b6477; font-size: 12px; }
.line--pending { opacity: .6; }
.meta { display: block; font-size: 11px; color: #5b6477; }
.sender { font-weight: 600; }
.text { display: block; }
.notice { align-self: center; font-size: 12px; color: #5b6477; }
.typing { min-height: 20px; margin: 0; padding: 2px 12px; font-size: 12px; color: #5b6477; font-style: italic; background: #f5f7fb; }
form.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e2e6ee; }
form.composer textarea { resize: none; height: 40px; }
.actions { display: flex; justify-content: space-between; gap: 8px; padding: 0 10px 10px; }
.error { margin: 0; padding: 0 14px; color: #b42318; font-size: 13px; }
.error:not(:empty) { padding: 8px 14px; background: #fef3f2; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
