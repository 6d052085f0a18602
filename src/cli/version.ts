// Injected by esbuild from package.json (see scripts/build.mjs); falls back when run from sources (tests).
declare const __INCIDENT_LENS_VERSION__: string | undefined;
export const version: string =
  typeof __INCIDENT_LENS_VERSION__ === 'string' ? __INCIDENT_LENS_VERSION__ : '0.0.0-dev';
