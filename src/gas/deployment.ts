/**
 * The same bundle runs two ways: bound to the cluster's spreadsheet, or as
 * an editor add-on (a standalone project the Sheet's editors cannot change).
 * Add-ons follow stricter rules: their menu lives under Extensions, and
 * their time-driven triggers fire at most hourly and without a document.
 */
export function runsAsAddOn(): boolean {
  try {
    return ScriptApp.getInstallationSource() !== ScriptApp.InstallationSource.NONE;
  } catch {
    // Before authorization (AuthMode.NONE) only an add-on's onOpen runs: a bound script's runs LIMITED.
    return true;
  }
}
