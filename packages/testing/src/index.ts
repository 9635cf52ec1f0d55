export { CHROMIUM_ARGS, launchChromium } from './chromium.ts';
