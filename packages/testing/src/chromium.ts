import { existsSync } from 'node:fs';
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

/** The launch options, or an error that says how to get Chromium when it is not there (a fresh machine). */
function launchOptions() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: the browser tests use the system's. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return { executablePath, args: [...CHROMIUM_ARGS] };
}

/** The system Chromium (CHROMIUM_PATH, else /usr/bin/chromium), headless; browsers are never downloaded. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch(launchOptions());
}

/**
 * The same Chromium as a server of its own, so a test knows its process (to freeze the whole browser, as
 * a lost network would silence it) and connects with `chromium.connect(server.wsEndpoint())`.
 */
export async function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(launchOptions());
}
