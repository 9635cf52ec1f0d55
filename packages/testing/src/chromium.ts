import { type Browser, type BrowserServer, chromium } from 'playwright-core';

/**
 * Flags for the system Chromium in tests: headless on a machine without a GPU or sandbox, no background
 * traffic, no QUIC, and real host candidates (mDNS-obfuscated ones would not resolve on loopback).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

const launchOptions = () => ({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [...CHROMIUM_ARGS],
});

/** The system Chromium (CHROMIUM_PATH, else /usr/bin/chromium), headless; browsers are never downloaded. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(launchOptions());
}

/**
 * The same Chromium as a server of its own, so a test knows its process (to freeze the whole browser, as
 * a lost network would silence it) and connects with `chromium.connect(server.wsEndpoint())`.
 */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(launchOptions());
}
