// The version of the tool that wrote a Report. esbuild injects it from package.json (scripts/build.mjs);
// running from sources (tests) falls back. Kept in core so the core never imports from the CLI.
declare const __INCIDENT_LENS_VERSION__: string | undefined;
export const toolVersion: string =
  typeof __INCIDENT_LENS_VERSION__ === 'string' ? __INCIDENT_LENS_VERSION__ : '0.0.0-dev';
