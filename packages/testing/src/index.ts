export { CHROMIUM_ARGS, launchChromium, launchChromiumServer } from './chromium.ts';
